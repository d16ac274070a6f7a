package org.biotwin.plant.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.api.model.KineticModel;
import org.biotwin.kinetics.internal.sim.SimulatorComponent;
import org.biotwin.models.cho.internal.ChoMabFedBatchModel;
import org.junit.jupiter.api.Test;

/**
 * Component lifecycle without a broker: the plant keeps its clock while the broker is unreachable (publishing never
 * blocks it; overflow is counted), configuration updates, model removal, and fail-fast configuration.
 */
class ReactorLifecycleTest {

    /** Nothing listens on port 1: connects fail at once and are retried with back-off. */
    static final String DEAD_BROKER = "tcp://127.0.0.1:1";
    static final KineticModel CHO = new ChoMabFedBatchModel();
    static final Map<String, Object> CHO_PROPS = Map.of(KineticModel.MODEL_ID, "cho.mab.fedbatch",
            KineticModel.MODEL_VERSION, "1.0.0");

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 1000; i++) { // at most 10 s
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("not within 10 s: " + what);
    }

    static Map<String, Object> values(Object... kv) {
        Map<String, Object> v = new HashMap<>(TestConfigs.cho(kv));
        v.putIfAbsent("broker_uri", DEAD_BROKER);
        return v;
    }

    @Test
    void withTheBrokerDownTheClockRunsAndOverflowIsCountedNotBlocking() throws Exception {
        Map<String, Object> v = values("acceleration", 36_000.0, "publish_queue_capacity", 16);
        SimulatedReactorComponent c = new SimulatedReactorComponent(new SimulatorComponent(), TestConfigs.plant(v), v);
        try {
            c.bindModel(CHO, CHO_PROPS);
            await(() -> c.counters().get("steps") > 300, "300 steps");
            Map<String, Long> n = c.counters();
            assertThat(n.get("connected")).isZero();
            assertThat(n.get("published")).isZero();
            assertThat(n.get("dropped")).isPositive();
            assertThat(n.get("queued")).isLessThanOrEqualTo(16);
            assertThat(c.status()).isEqualTo("RUNNING");
        } finally {
            c.deactivate();
        }
    }

    @Test
    void aFaultsOnlyUpdateKeepsTheBatchAndAnyOtherUpdateStartsANewOne() throws Exception {
        Map<String, Object> v = values("acceleration", 3600.0);
        SimulatedReactorComponent c = new SimulatedReactorComponent(new SimulatorComponent(), TestConfigs.plant(v), v);
        try {
            c.bindModel(CHO, CHO_PROPS);
            await(() -> c.truth() != null && c.truth().ageH() > 0.5, "half an hour");
            Map<String, Object> faults = new HashMap<>(v);
            faults.put("faults", new String[] {"feed_pump_failure"});
            c.modified(TestConfigs.plant(faults), faults);
            await(() -> c.truth().activeFaults().contains("feed_pump_failure"), "fault from configuration");
            double age = c.truth().ageH();
            assertThat(age).isGreaterThan(0.5); // same batch

            Map<String, Object> other = new HashMap<>(faults);
            other.put("initial_state", new String[] {"Xv=1"});
            c.modified(TestConfigs.plant(other), other);
            await(() -> c.truth() != null && c.truth().states().get("Xv") >= 0.99 && c.truth().ageH() < age,
                    "a new batch with the new initial state");
            assertThat(c.truth().activeFaults()).containsExactly("feed_pump_failure");
        } finally {
            c.deactivate();
        }
    }

    @Test
    void whenTheModelGoesAwayThePlantPausesAndResumesWhereItWas() throws Exception {
        Map<String, Object> v = values("acceleration", 3600.0);
        SimulatedReactorComponent c = new SimulatedReactorComponent(new SimulatorComponent(), TestConfigs.plant(v), v);
        try {
            c.bindModel(CHO, CHO_PROPS);
            await(() -> c.truth() != null && c.truth().ageH() > 0.2, "running");
            c.unbindModel(CHO, CHO_PROPS);
            await(() -> c.status().startsWith("WAITING_FOR_MODEL"), "paused");
            double paused = c.truth().ageH();
            Thread.sleep(300);
            assertThat(c.truth().ageH()).isEqualTo(paused);
            c.bindModel(CHO, CHO_PROPS);
            await(() -> c.truth().ageH() > paused + 0.1, "resumed");
            assertThat(c.counters().get("batches")).isEqualTo(1); // the same batch continued
        } finally {
            c.deactivate();
        }
    }

    @Test
    void aConfigurationThatDoesNotFitTheModelWaitsWithTheReasonAsStatus() throws Exception {
        Map<String, Object> v = values("parameters", new String[] {"mu_maxx=0.03"});
        SimulatedReactorComponent c = new SimulatedReactorComponent(new SimulatorComponent(), TestConfigs.plant(v), v);
        try {
            c.bindModel(CHO, CHO_PROPS);
            await(() -> c.status().startsWith("CONFIG_ERROR"), "configuration error");
            assertThat(c.status()).contains("property 'parameters'").contains("'mu_maxx' is not a parameter");
            assertThat(c.truth()).isNull();
        } finally {
            c.deactivate();
        }
    }

    @Test
    void withRestartANewBatchStartsWhenOneEnds() throws Exception {
        Map<String, Object> v = values("acceleration", 36_000.0, "batch_duration_h", 0.5, "batch_restart", true,
                "batch_start", "2026-03-01T00:00:00Z");
        SimulatedReactorComponent c = new SimulatedReactorComponent(new SimulatorComponent(), TestConfigs.plant(v), v);
        try {
            c.bindModel(CHO, CHO_PROPS);
            await(() -> c.counters().get("batches") >= 3, "three batches");
            assertThat(c.status()).isEqualTo("RUNNING");
            assertThat(c.truth().ageH()).isLessThanOrEqualTo(0.5);
        } finally {
            c.deactivate();
        }
    }

    @Test
    void badConfigurationFailsActivationNamingTheProperty() {
        assertThatThrownBy(() -> TestConfigs.settings(values("unit", "BR/101")))
                .hasMessageContaining("property 'unit'");
        assertThatThrownBy(() -> TestConfigs.settings(values("acceleration", 0.0)))
                .hasMessageContaining("property 'acceleration'");
        assertThatThrownBy(() -> TestConfigs.settings(values("schedule", "profile:F_feed=1@5,2@3")))
                .hasMessageContaining("property 'schedule'").hasMessageContaining("not strictly increasing");
        assertThatThrownBy(() -> TestConfigs.settings(values("schedule", "feed:F_feed=1@0")))
                .hasMessageContaining("unknown kind");
        assertThatThrownBy(() -> TestConfigs.settings(values("broker_uri", "http://x:80")))
                .hasMessageContaining("property 'broker.uri'");
        assertThatThrownBy(() -> TestConfigs.settings(values("faults", new String[] {"aeration_loss@5-2"})))
                .hasMessageContaining("property 'faults'");
        assertThatThrownBy(() -> TestConfigs.settings(values("lab_assays", new String[] {"VCD_lab=VCD;cv=3"})))
                .hasMessageContaining("property 'lab.assays'").hasMessageContaining("unknown option 'cv=3'");
        assertThatThrownBy(() -> TestConfigs.settings(values("payload_mode", "XML")))
                .hasMessageContaining("property 'payload.mode'");
        assertThatThrownBy(() -> TestConfigs.settings(values("inlet_o2", 0.9995, "inlet_co2", 0.001)))
                .hasMessageContaining("no inert gas");
        assertThatThrownBy(() -> TestConfigs.settings(values("parameters", new String[] {"mu_max"})))
                .hasMessageContaining("property 'parameters'").hasMessageContaining("not name=value");
        assertThatThrownBy(() -> TestConfigs.settings(values("batch_start", "yesterday")))
                .hasMessageContaining("property 'batch.start'");
    }

    @Test
    void theScheduleFormatIsTheEnginesFormat() {
        var s = OperatingSchedule.parse("profile:F_feed=0@0,1.25@72;bolus:72=50{GLC=300};withdrawal:24=0.01");
        assertThat(s.profile("F_feed").orElseThrow().valueAt(80, -1)).isEqualTo(1.25);
        assertThat(s.events()).hasSize(2);
        assertThat(s.events().get(0).time()).isEqualTo(24);
        assertThat(((org.biotwin.api.model.ProcessEvent.Bolus) s.events().get(1)).content()).containsEntry("GLC", 300.0);
    }
}
