package org.biotwin.closedloop.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.biotwin.api.advisory.Advisor;
import org.biotwin.api.advisory.Advisory;
import org.biotwin.api.advisory.AdvisoryStatus;
import org.biotwin.api.advisory.ClosedLoopStatus;
import org.biotwin.api.advisory.Decision;
import org.biotwin.api.advisory.Outcome;
import org.biotwin.api.advisory.ProposedAction;
import org.biotwin.api.advisory.SetpointLimit;
import org.biotwin.api.advisory.WhatIfResult;
import org.biotwin.api.audit.AuditEntry;
import org.biotwin.api.audit.SignatureMeaning;
import org.biotwin.api.messaging.PlantWriter;
import org.biotwin.api.model.InputProfile;
import org.biotwin.api.twin.GoldenBatchBand;
import org.biotwin.api.twin.Lineage;
import org.biotwin.api.twin.PlanningBasis;
import org.biotwin.api.twin.Prediction;
import org.biotwin.api.twin.Twin;
import org.biotwin.api.twin.TwinRegistry;
import org.biotwin.api.twin.TwinState;
import org.biotwin.ebr.internal.audit.FileAuditTrail;
import org.biotwin.ebr.internal.signature.AuditedSignatureService;
import org.biotwin.ebr.internal.signature.PasswordHasher;
import org.biotwin.ebr.internal.signature.SignatureConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The closed loop against the real audit trail and e-signature service of the batch record bundle. The twin, the
 * advisor and the plant writer are small in-memory stand-ins that hold a batch age, a list of advisories and the
 * messages written: the end-to-end path through the real twin, advisor and MQTT broker is the web panel's browser
 * test (integration-tests/panel). Ticks are driven by the test ({@link ClosedLoopComponent#tick(String)}); the
 * component's own timer runs at its slowest (60 s).
 */
class ClosedLoopComponentTest {

    static final String UNIT = "BR-101";
    static final String BATCH = "B-1";
    static String[] users;

    @TempDir
    Path dir;
    FileAuditTrail trail;
    AuditedSignatureService signatures;
    final LiveTwin twin = new LiveTwin();
    final Advice advice = new Advice();
    final Plant plant = new Plant();
    ClosedLoopComponent loop;

    @BeforeAll
    static void hashes() {
        // The minimum iteration count keeps the test quick; the default for real users is 600,000.
        users = new String[] {
            "op1|Olga Operator|operator|" + PasswordHasher.hash("op1-secret".toCharArray(), 210_000),
            "sup1|Sam Supervisor|supervisor|" + PasswordHasher.hash("sup1-secret".toCharArray(), 210_000)};
    }

    @BeforeEach
    void start() {
        trail = new FileAuditTrail(dir, Clock.systemUTC());
        signatures = new AuditedSignatureService(trail, new SignatureConfig(users, new String[] {
            "ACCEPTED_ADVICE=operator,supervisor", "ENABLED_CLOSED_LOOP=supervisor"}, new String[0], 3, 0,
            new String[0]), Clock.systemUTC());
        loop = new ClosedLoopComponent(60_000, new Registry(twin), advice, signatures, trail, Clock.systemUTC());
        setField("plant", plant);
        setLimits(new UnitLimitsComponent(UNIT, new SetpointLimit("F_feed", 0, 2.0, 0.6),
                "plant/{unit}/setpoint/{input}"));
    }

    @AfterEach
    void stop() {
        loop.deactivate();
        trail.close();
    }

    private void setLimits(UnitLimitsComponent... l) {
        setField("unitLimits", List.of(l));
    }

    private void setField(String name, Object value) {
        try {
            var f = ClosedLoopComponent.class.getDeclaredField(name);
            f.setAccessible(true); // DS sets these fields; the test does what SCR does
            f.set(loop, value);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aUnitWithoutLimitsStaysInIndirectControl() {
        assertThatThrownBy(() -> loop.status("BR-102")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BR-102 has no closed-loop limits").hasMessageContaining("indirect control");
        assertThatThrownBy(() -> loop.enable("BR-102", "sup1", "sup1-secret".toCharArray(), "trial"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(loop.status(UNIT).enabled()).isFalse();
    }

    @Test
    void onlyAnAuthorisedPersonWithTheirPasswordAndAReasonEnablesIt() {
        assertThatThrownBy(() -> loop.enable(UNIT, "op1", "op1-secret".toCharArray(), "trial"))
                .isInstanceOf(SecurityException.class);
        assertThatThrownBy(() -> loop.enable(UNIT, "sup1", "wrong".toCharArray(), "trial"))
                .isInstanceOf(SecurityException.class);
        assertThatThrownBy(() -> loop.enable(UNIT, "sup1", "sup1-secret".toCharArray(), " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reason");
        assertThat(loop.status(UNIT).enabled()).isFalse();

        ClosedLoopStatus s = loop.enable(UNIT, "sup1", "sup1-secret".toCharArray(), "feed trial on BR-101");
        assertThat(s.enabled()).isTrue();
        assertThat(s.enabledBy()).isEqualTo("sup1");
        assertThat(signatures.signaturesFor("closedloop", UNIT)).singleElement()
                .satisfies(sig -> assertThat(sig.meaning()).isEqualTo(SignatureMeaning.ENABLED_CLOSED_LOOP));
        assertThat(actions("closedloop", UNIT)).contains("closedloop.enable");
    }

    @Test
    void anAdviceAcceptedWhileEnabledIsWrittenStepByStepAndAudited() {
        twin.age = 80;
        Advisory before = accepted("A-old", Instant.now().minusSeconds(60), profile(new double[] {80}, 1.9));
        advice.list.add(before);
        loop.enable(UNIT, "sup1", "sup1-secret".toCharArray(), "feed trial");
        loop.tick(UNIT);
        assertThat(plant.messages).as("advice accepted before the enablement is not carried out").isEmpty();

        // the advice steps to 1.6 from 80 h and to 1.8 from 100 h
        advice.list.add(0, accepted("A-1", Instant.now(), profile(new double[] {80, 100}, 1.6, 1.8)));
        loop.tick(UNIT);
        loop.tick(UNIT);
        assertThat(plant.messages).hasSize(1);
        assertThat(plant.messages.get(0).topic()).isEqualTo("plant/BR-101/setpoint/F_feed");
        assertThat(plant.messages.get(0).text()).contains("\"value\":1.6").contains("\"advisory\":\"A-1\"");
        twin.age = 99.9;
        loop.tick(UNIT);
        assertThat(plant.messages).hasSize(1);
        twin.age = 100.2;
        loop.tick(UNIT);
        assertThat(plant.messages).hasSize(2);
        assertThat(plant.messages.get(1).text()).contains("\"value\":1.8");

        ClosedLoopStatus s = loop.status(UNIT);
        assertThat(s.executing()).isEqualTo("A-1");
        assertThat(s.writes()).extracting(w -> w.value()).containsExactly(1.6, 1.8);
        assertThat(actions("batch", BATCH)).containsSubsequence("closedloop.execute", "closedloop.setpoint",
                "closedloop.setpoint");
        assertThat(trail.verify().valid()).isTrue();
    }

    @Test
    void aWriteOutsideTheLimitsIsRefusedAuditedAndTheAdvisoryIsLeftToAPerson() {
        twin.age = 80;
        loop.enable(UNIT, "sup1", "sup1-secret".toCharArray(), "feed trial");
        advice.list.add(accepted("A-2", Instant.now(), profile(new double[] {80}, 2.5)));
        loop.tick(UNIT);
        assertThat(plant.messages).isEmpty();
        assertThat(loop.status(UNIT).lastRefusal()).contains("outside the closed-loop limits [0.0, 2.0]");
        assertThat(loop.status(UNIT).executing()).isNull();
        // within the limits, but its second step (1.0 -> 1.9 at 85 h) is larger than 0.6 L/h
        advice.list.add(0, accepted("A-3", Instant.now(), profile(new double[] {80, 85}, 1.0, 1.9)));
        loop.tick(UNIT);
        assertThat(plant.messages).hasSize(1);
        twin.age = 85.5;
        loop.tick(UNIT);
        assertThat(plant.messages).hasSize(1);
        assertThat(loop.status(UNIT).lastRefusal()).contains("exceeds the largest step 0.6");
        assertThat(actions("batch", BATCH)).filteredOn("closedloop.refuse"::equals).hasSize(2);
        // a plant connection that refuses (store full) is a refusal too, never a silent drop
        plant.full.set(true);
        advice.list.add(0, accepted("A-4", Instant.now(), profile(new double[] {80}, 1.2)));
        loop.tick(UNIT);
        assertThat(loop.status(UNIT).lastRefusal()).contains("plant connection refused it");
        assertThat(plant.messages).hasSize(1);
        assertThat(actions("batch", BATCH)).filteredOn("closedloop.refuse"::equals).hasSize(3);
        // so is a plant connection that went away
        plant.full.set(false);
        setField("plant", null);
        advice.list.add(0, accepted("A-5", Instant.now(), profile(new double[] {80}, 1.3)));
        loop.tick(UNIT);
        assertThat(loop.status(UNIT).lastRefusal()).contains("no plant connection");
        assertThat(actions("batch", BATCH)).filteredOn("closedloop.refuse"::equals).hasSize(4);
        assertThatThrownBy(() -> loop.enable(UNIT, "sup1", "sup1-secret".toCharArray(), "again"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no plant connection");
    }

    @Test
    void valuesAreRoundedToThePlantsResolutionAndARepeatIsNotWritten() {
        setLimits(new UnitLimitsComponent(UNIT, new SetpointLimit("F_feed", 0, 2.0, 0.6, 0.01),
                "plant/{unit}/setpoint/{input}"));
        twin.age = 80;
        loop.enable(UNIT, "sup1", "sup1-secret".toCharArray(), "feed trial");
        // an optimiser's 1.6e-7 L/h is a stopped pump; 0.4023 and 0.4011 are the same 0.40 L/h for the pump
        advice.list.add(accepted("A-7", Instant.now(), profile(new double[] {80, 82, 84, 86}, 1.6e-7, 0, 0.4023,
                0.4011)));
        for (double age : new double[] {80, 82.5, 84.5, 86.5}) {
            twin.age = age;
            loop.tick(UNIT);
        }
        assertThat(plant.messages).extracting(Message::text).hasSize(2)
                .satisfies(m -> assertThat(m.get(0)).contains("\"value\":0.0,"))
                .satisfies(m -> assertThat(m.get(1)).contains("\"value\":0.4,"));
        assertThat(loop.status(UNIT).limits()).singleElement().satisfies(l -> assertThat(l.resolution()).isEqualTo(0.01));
    }

    @Test
    void switchOffTakesEffectAtOnceAndIsAudited() {
        twin.age = 80;
        loop.enable(UNIT, "sup1", "sup1-secret".toCharArray(), "feed trial");
        advice.list.add(accepted("A-5", Instant.now(), profile(new double[] {80, 90}, 1.5, 1.7)));
        loop.tick(UNIT);
        assertThat(plant.messages).hasSize(1);
        ClosedLoopStatus off = loop.disable(UNIT, "op1", "DO alarm on BR-101");
        assertThat(off.enabled()).isFalse();
        assertThat(off.writes()).hasSize(1);
        twin.age = 95;
        loop.tick(UNIT);
        assertThat(plant.messages).as("nothing is written after the switch-off").hasSize(1);
        assertThat(actions("closedloop", UNIT)).containsSubsequence("closedloop.enable", "closedloop.disable");
        // enabling again needs a new signature, and an advisory accepted before it is not resumed
        loop.enable(UNIT, "sup1", "sup1-secret".toCharArray(), "resume trial");
        loop.tick(UNIT);
        assertThat(plant.messages).hasSize(1);
    }

    @Test
    void changedLimitsSwitchTheLoopOff() {
        twin.age = 80;
        loop.enable(UNIT, "sup1", "sup1-secret".toCharArray(), "feed trial");
        setLimits(new UnitLimitsComponent(UNIT, new SetpointLimit("F_feed", 0, 5.0, 5.0),
                "plant/{unit}/setpoint/{input}"));
        advice.list.add(accepted("A-6", Instant.now(), profile(new double[] {80}, 4.0)));
        loop.tick(UNIT);
        assertThat(plant.messages).isEmpty();
        assertThat(loop.status(UNIT).enabled()).isFalse();
        assertThat(trail.entriesFor("closedloop", UNIT)).last()
                .satisfies(e -> assertThat(e.event().reason()).contains("limits of BR-101 changed or were removed"));
    }

    @Test
    void badLimitsAreRefusedWithTheProperty() {
        assertThatThrownBy(() -> new SetpointLimit("F_feed", 2, 1, 0.5)).hasMessageContaining("min <= max");
        assertThatThrownBy(() -> new SetpointLimit("F_feed", 0, 1, 0)).hasMessageContaining("maxStep");
        assertThatThrownBy(() -> new SetpointLimit("F_feed", 0, 1, 1, -0.1)).hasMessageContaining("resolution");
        assertThatThrownBy(() -> new UnitLimitsComponent(" ", new SetpointLimit("F_feed", 0, 1, 1), "t"))
                .hasMessageContaining("'unit'");
        assertThatThrownBy(() -> new UnitLimitsComponent(UNIT, new SetpointLimit("F_feed", 0, 1, 1),
                "plant/+/setpoint")).hasMessageContaining("'topic'");
    }

    private List<String> actions(String type, String id) {
        return trail.entriesFor(type, id).stream().map(AuditEntry::event).map(e -> e.action()).toList();
    }

    private static InputProfile profile(double[] times, double... values) {
        return new InputProfile("F_feed", times, values);
    }

    private static Advisory accepted(String id, Instant decidedAt, InputProfile p) {
        Outcome o = new Outcome("product mass", "g", 1, 2, 3, Map.of(), List.of(), 240);
        WhatIfResult w = new WhatIfResult(UNIT, decidedAt, 80, ProposedAction.feed(p, "feed " + p), o, o, 0, 1, 2,
                Double.NaN, "");
        return new Advisory(id, UNIT, BATCH, decidedAt, "cho.mab.fedbatch:1.0.0", List.of("test"), w,
                AdvisoryStatus.ACCEPTED, new Decision("op1", "Olga Operator", decidedAt, true, "ok", "sig-" + id));
    }

    record Message(String topic, String text) {
    }

    static final class Plant implements PlantWriter {
        final List<Message> messages = new CopyOnWriteArrayList<>();
        final AtomicBoolean full = new AtomicBoolean();

        @Override
        public void publish(String topic, byte[] payload, boolean retained) {
            if (full.get()) {
                throw new IllegalStateException("store full (10000 messages)");
            }
            messages.add(new Message(topic, new String(payload, StandardCharsets.UTF_8)));
        }
    }

    static final class Advice implements Advisor {
        final List<Advisory> list = new CopyOnWriteArrayList<>();

        @Override
        public List<Advisory> advisories(String unitId) {
            return new ArrayList<>(list);
        }

        @Override
        public Optional<Advisory> advise(String unitId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public WhatIfResult whatIf(String unitId, ProposedAction action) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Advisory> advisory(String advisoryId) {
            return list.stream().filter(a -> a.id().equals(advisoryId)).findFirst();
        }

        @Override
        public Advisory decide(String advisoryId, boolean accept, String userId, char[] password, String reason) {
            throw new UnsupportedOperationException();
        }
    }

    /** A twin that only knows its batch age. */
    static final class LiveTwin implements Twin {
        volatile double age;

        @Override
        public String unitId() {
            return UNIT;
        }

        @Override
        public Optional<TwinState> state() {
            return Optional.of(new TwinState(UNIT, BATCH, Instant.now(), age, List.of("X"), List.of("1"),
                    new double[] {1}, new double[][] {{1}}, new Lineage("m", "1.0.0", "d", "ekf", Instant.EPOCH,
                            Instant.now(), 1)));
        }

        @Override
        public Optional<PlanningBasis> planningBasis() {
            return Optional.empty(); // no plan: the first write has no step check
        }

        @Override
        public Optional<Prediction> prediction() {
            return Optional.empty();
        }

        @Override
        public Optional<String> activeModel() {
            return Optional.of("m:1.0.0");
        }

        @Override
        public List<String> alarms() {
            return List.of();
        }

        @Override
        public List<GoldenBatchBand> goldenBatch() {
            return List.of();
        }

        @Override
        public long samplesProcessed() {
            return 0;
        }

        @Override
        public List<String> availableModelVersions() {
            return List.of();
        }

        @Override
        public String activateModel(String version) {
            throw new UnsupportedOperationException();
        }
    }

    static final class Registry implements TwinRegistry {
        final Twin twin;

        Registry(Twin twin) {
            this.twin = twin;
        }

        @Override
        public Collection<Twin> twins() {
            return List.of(twin);
        }

        @Override
        public Optional<Twin> twin(String unitId) {
            return unitId.equals(twin.unitId()) ? Optional.of(twin) : Optional.empty();
        }
    }
}
