package org.biotwin.plant.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.biotwin.api.sample.Quality;
import org.biotwin.api.sample.Sample;
import org.biotwin.connector.mqtt.internal.ConnectorProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the plant publishes is exactly what the MQTT connector consumes: its payloads go through the connector's real
 * message processor (topic patterns {@code plant/{unit}/{tag}} and {@code plant/{unit}}, JSON decoding, UCUM unit
 * normalisation), declared as a site would declare the plant's tags. Nothing may be rejected.
 */
class ConnectorContractTest {

    static final String[] TAGS = {"DO=%", "pH=[pH]", "T=Cel", "offgas.O2=%", "offgas.CO2=%", "airflow=L/min",
        "volume=L", "weight=kg", "F_feed=L/h", "F_feed.sp=L/h", "OUR=mmol/L/h", "CER=mmol/L/h",
        "viability_lab=%", "GLC_lab=g/L", "LAC_lab=g/L", "titre_lab=g/L"};

    @Test
    void batchAndSinglePayloadsAreAcceptedTagForTagWithTheirTimestampsAndUnits(@TempDir Path dir) {
        ReactorCore core = ReactorCoreTest.core("lab_times_h", new String[] {"1"}, "lab_delay_h", 0.5, "lab_interval_h", 0.0,
                "schedule", "profile:F_feed=0.5@0", "lab_assays", new String[] {"viability_lab=viability;sd=1.5",
                    "GLC_lab=glucose;sd=0.05;rel=0.02", "LAC_lab=lactate;sd=0.05;rel=0.02",
                    "titre_lab=titre;sd=0.01;rel=0.05"});
        Clock clock = Clock.fixed(ReactorCoreTest.START.plusSeconds(6 * 3600), ZoneOffset.UTC);
        ConnectorProbe connector = new ConnectorProbe("BR-101", TAGS, clock, dir);
        int accepted = 0;
        boolean sawLab = false;
        for (int i = 0; i < 120; i++) {
            ReactorCore.Output o = core.step();
            Instant ts = core.timestamp(o.ageH());
            ConnectorProbe.Outcome batch = connector.process("plant/BR-101", Payloads.batch("BR-101", ts, o.online()));
            assertThat(batch.rejected()).isEmpty();
            assertThat(batch.accepted()).hasSameSizeAs(o.online());
            Map<String, Sample> byTag = batch.accepted().stream().collect(Collectors.toMap(Sample::tag, s -> s));
            for (ReactorCore.Reading r : o.online()) {
                Sample s = byTag.get(r.tag());
                assertThat(s.timestamp()).isEqualTo(ts);
                assertThat(s.quality()).isEqualTo(Quality.GOOD);
                double expected = r.tag().startsWith("offgas.") ? r.value() * 100 : r.value(); // mole fraction → %
                assertThat(s.value()).as(r.tag()).isCloseTo(expected, within(1e-9 * Math.abs(expected) + 1e-12));
            }
            accepted += batch.accepted().size();
            for (ReactorCore.LabResult lab : o.released()) {
                sawLab = true;
                Instant sampled = core.timestamp(lab.samplingAgeH());
                ConnectorProbe.Outcome single = connector.process("plant/BR-101/" + lab.tag(),
                        Payloads.single(sampled, lab.value(), lab.uom()));
                assertThat(single.rejected()).isEmpty();
                assertThat(single.accepted()).singleElement().satisfies(s -> {
                    assertThat(s.timestamp()).isEqualTo(Instant.parse("2026-03-01T01:00:00Z"));
                    assertThat(s.value()).isCloseTo(lab.value(), within(1e-9 * Math.abs(lab.value()) + 1e-12));
                });
            }
        }
        assertThat(sawLab).isTrue();
        assertThat(accepted).isEqualTo(120 * 12);
        List<String> undeclared = connector.process("plant/BR-101", Payloads.batch("BR-101",
                core.timestamp(core.ageH() + 0.1), List.of(new ReactorCore.Reading("mystery", 1, "g/L")))).rejected();
        assertThat(undeclared).singleElement().asString().startsWith("UNKNOWN_TAG"); // the probe does reject
    }

    /** The CHO model's VCD unit {@code 10*6{cells}/mL} (UCUM §4.2, atom {@code 10*}) is accepted by the connector. */
    @Test
    void theModelsVcdUnitIsAcceptedByTheConnector(@TempDir Path dir) {
        ConnectorProbe connector = new ConnectorProbe("BR-101", new String[] {"VCD_lab=10*6{cells}/mL"},
                Clock.fixed(ReactorCoreTest.START.plusSeconds(3600), ZoneOffset.UTC), dir);
        assertThat(connector.process("plant/BR-101/VCD_lab", Payloads.single(ReactorCoreTest.START, 1.2,
                "10*6{cells}/mL")).rejected()).isEmpty();
    }
}
