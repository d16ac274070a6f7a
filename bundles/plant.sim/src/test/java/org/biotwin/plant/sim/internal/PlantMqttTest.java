package org.biotwin.plant.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.biotwin.api.estimation.OffGasReading;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.kinetics.internal.sim.SimulatorComponent;
import org.biotwin.models.cho.internal.ChoMabFedBatchModel;
import org.biotwin.softsensor.internal.RespirationSoftSensorComponent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The virtual plant end to end against a real Mosquitto: the component built as DS would build it, with the real
 * kinetic core and the real CHO model, and a real Paho subscriber on the other side. Each test runs a few real
 * seconds at an accelerated clock.
 */
class PlantMqttTest {

    static final KineticModel CHO = new ChoMabFedBatchModel();
    static final String START = "2026-03-01T00:00:00Z";
    static final Duration WAIT = Duration.ofSeconds(20);
    static MosquittoBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new MosquittoBroker(Files.createTempDirectory("plant-mosquitto"));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    static SimulatedReactorComponent reactor(Object... kv) {
        Map<String, Object> values = TestConfigs.cho(kv);
        values.put("broker_uri", broker.uri());
        values.putIfAbsent("batch_start", START);
        SimulatedReactorComponent c = new SimulatedReactorComponent(new SimulatorComponent(),
                TestConfigs.plant(values), values);
        c.bindModel(CHO, Map.of(KineticModel.MODEL_ID, "cho.mab.fedbatch", KineticModel.MODEL_VERSION, "1.0.0"));
        return c;
    }

    static double ageH(JsonNode batch) {
        return Duration.between(Instant.parse(START), Instant.parse(batch.get("ts").asText())).toMillis() / 3.6e6;
    }

    static double value(JsonNode batch, String tag) {
        return batch.get("values").get(tag).get("value").asDouble();
    }

    /** Whether a message is a reading or lab batch carrying {@code tag}. */
    static boolean has(Subscriber.Msg m, String tag) {
        return m.text().startsWith("{\"unit\"") && m.json().path("values").has(tag);
    }

    @Test
    void publishesTheOnlineTagsWithPlausibleValuesThatInvertToTheModelsOur() throws Exception {
        try (Subscriber sub = new Subscriber(broker.uri(), "plant/BR-201/#")) {
            SimulatedReactorComponent c = reactor("unit", "BR-201", "acceleration", 3600.0, "drift_scale", 0.0);
            try {
                sub.await(m -> m.topic().equals("plant/BR-201") && ageH(m.json()) >= 1.0, WAIT);
            } finally {
                c.deactivate();
            }
            List<JsonNode> online = new ArrayList<>();
            for (Subscriber.Msg m : sub.on("plant/BR-201")) {
                if (has(m, "DO")) {
                    online.add(m.json());
                }
            }
            assertThat(online.size()).isGreaterThanOrEqualTo(60);
            JsonNode first = online.get(0);
            assertThat(first.get("unit").asText()).isEqualTo("BR-201");
            Map<String, String> uoms = Map.ofEntries(Map.entry("DO", "%"), Map.entry("pH", "[pH]"),
                    Map.entry("T", "Cel"), Map.entry("offgas.O2", "1"), Map.entry("offgas.CO2", "1"),
                    Map.entry("airflow", "L/min"), Map.entry("volume", "L"), Map.entry("weight", "kg"),
                    Map.entry("F_feed", "L/h"), Map.entry("F_feed.sp", "L/h"), Map.entry("OUR", "mmol/L/h"),
                    Map.entry("CER", "mmol/L/h"));
            for (Map.Entry<String, String> e : uoms.entrySet()) {
                assertThat(first.get("values").get(e.getKey()).get("uom").asText()).as(e.getKey()).isEqualTo(e.getValue());
            }
            // An independent reference: the model alone, integrated by the kinetic core (no feed, DO never limiting).
            double[] times = online.stream().mapToDouble(PlantMqttTest::ageH).toArray();
            Trajectory ref = new SimulatorComponent().simulate(new SimulationRequest(CHO, CHO.nominalInitialState(),
                    CHO.nominalParameters(), 0, times[times.length - 1], times, OperatingSchedule.NONE,
                    SolverSettings.DEFAULT));
            double[] refOur = ref.observable("OUR");
            double[] refV = ref.observable("volume");
            RespirationSoftSensorComponent soft = new RespirationSoftSensorComponent();
            double sum = 0;
            double sumSq = 0;
            for (int k = 0; k < online.size(); k++) {
                JsonNode b = online.get(k);
                double our = soft.rates(new OffGasReading(times[k], value(b, "airflow"), 0.2095, 0.0004,
                        value(b, "offgas.O2"), value(b, "offgas.CO2"), value(b, "volume")), 22.414).our();
                double rel = our / refOur[k] - 1;
                sum += rel;
                sumSq += rel * rel;
                assertThat(value(b, "volume")).isCloseTo(refV[k], within(refV[k] * 0.002 * 5)); // 0.2 % noise
                assertThat(value(b, "DO")).isBetween(30.0, 105.0);
                assertThat(value(b, "pH")).isCloseTo(7.0, within(0.05));
                assertThat(value(b, "T")).isCloseTo(36.5, within(0.2));
                assertThat(value(b, "OUR")).isCloseTo(our, within(1e-9 + 1e-9 * Math.abs(our)));
            }
            double mean = sum / online.size();
            double rms = Math.sqrt(sumSq / online.size());
            System.out.printf("MQTT: %d readings, OUR from off-gas vs model: mean %.4f, rms %.4f%n", online.size(),
                    mean, rms);
            assertThat(Math.abs(mean)).isLessThan(0.01);
            assertThat(rms).isLessThan(0.05);
            // Retained status with the publishing counters.
            Subscriber.Msg status = sub.await(m -> m.topic().equals("plant/BR-201/sim/status")
                    && m.json().get("counters").get("published").asLong() > 0, WAIT);
            assertThat(status.json().get("counters").get("failed").asLong()).isZero();
            assertThat(status.json().get("model").asText()).isEqualTo("cho.mab.fedbatch:1.0.0");
        }
    }

    @Test
    void labResultsArriveLateCarryingTheirSamplingTimestamp() throws Exception {
        try (Subscriber sub = new Subscriber(broker.uri(), "plant/BR-202")) {
            SimulatedReactorComponent c = reactor("unit", "BR-202", "acceleration", 36_000.0, "lab_first_h", 1.0,
                    "lab_interval_h", 1.0, "lab_delay_h", 2.0);
            Subscriber.Msg lab;
            try {
                lab = sub.await(m -> has(m, "VCD_lab"), WAIT);
                sub.await(m -> has(m, "VCD_lab") && ageH(m.json()) >= 2.0 - 1e-9, WAIT);
            } finally {
                c.deactivate();
            }
            JsonNode j = lab.json();
            assertThat(Instant.parse(j.get("ts").asText())).isEqualTo(Instant.parse("2026-03-01T01:00:00Z"));
            assertThat(j.get("values").fieldNames()).toIterable().containsExactlyInAnyOrder("VCD_lab",
                    "viability_lab", "GLC_lab", "LAC_lab", "titre_lab");
            assertThat(j.get("values").get("GLC_lab").get("uom").asText()).isEqualTo("g/L");
            // When the result arrives, the online readings have moved on by the delay.
            List<Subscriber.Msg> all = sub.messages();
            double latestOnlineBeforeLab = all.stream().filter(m -> m.receivedNanos() <= lab.receivedNanos()
                    && has(m, "DO")).mapToDouble(m -> ageH(m.json())).max().orElseThrow();
            assertThat(latestOnlineBeforeLab).isGreaterThanOrEqualTo(3.0 - 1.0 / 60 - 1e-9);
            // Plausible: within 5 sd of the model's VCD at 1 h (5 % assay noise).
            Trajectory ref = new SimulatorComponent().simulate(new SimulationRequest(CHO, CHO.nominalInitialState(),
                    CHO.nominalParameters(), 0, 1, new double[] {1}, OperatingSchedule.NONE, SolverSettings.DEFAULT));
            double vcd = ref.observable("VCD")[0];
            assertThat(value(j, "VCD_lab")).isCloseTo(vcd, within(vcd * 0.25));
        }
    }

    @Test
    void aSetpointChangesTheFeedRateAndInvalidSetpointsAreRejectedWithAReason() throws Exception {
        try (Subscriber sub = new Subscriber(broker.uri(), "plant/BR-203/#")) {
            SimulatedReactorComponent c = reactor("unit", "BR-203", "acceleration", 3600.0, "schedule",
                    "profile:F_feed=0.3@0");
            try {
                sub.await(m -> m.topic().equals("plant/BR-203") && has(m, "F_feed"), WAIT);
                sub.publish("plant/BR-203/setpoint/F_feed", "{\"value\": 0.8}");
                Subscriber.Msg changed = sub.await(m -> has(m, "F_feed.sp")
                        && value(m.json(), "F_feed.sp") == 0.8, WAIT);
                assertThat(value(changed.json(), "F_feed")).isCloseTo(0.8, within(0.8 * 0.05));

                sub.publish("plant/BR-203/setpoint/F_feed", "5000");
                JsonNode r1 = sub.await(m -> m.topic().equals("plant/BR-203/setpoint/rejected"), WAIT).json();
                assertThat(r1.get("input").asText()).isEqualTo("F_feed");
                assertThat(r1.get("reason").asText()).contains("outside the input's bounds [0.0, 1000.0]");
                int n = sub.size();
                sub.publish("plant/BR-203/setpoint/F_feed", "fast please");
                JsonNode r2 = sub.await(m -> m.topic().equals("plant/BR-203/setpoint/rejected"), n, WAIT).json();
                assertThat(r2.get("reason").asText()).contains("is not a number");
                n = sub.size();
                sub.publish("plant/BR-203/setpoint/F_fed", "1");
                JsonNode r3 = sub.await(m -> m.topic().equals("plant/BR-203/setpoint/rejected"), n, WAIT).json();
                assertThat(r3.get("reason").asText()).contains("'F_fed' is not an input");
                n = sub.size();
                // Nothing accepted was lost: the feed stays at 0.8.
                Subscriber.Msg later = sub.await(m -> m.topic().equals("plant/BR-203") && has(m, "F_feed"), n, WAIT);
                assertThat(value(later.json(), "F_feed.sp")).isEqualTo(0.8);
                assertThat(c.counters().get("setpoints.rejected")).isEqualTo(3);
                assertThat(c.counters().get("setpoints.accepted")).isEqualTo(1);
            } finally {
                c.deactivate();
            }
        }
    }

    @Test
    void faultsSwitchedOverMqttAndGogoHaveTheirDocumentedEffect() throws Exception {
        try (Subscriber sub = new Subscriber(broker.uri(), "plant/BR-204/#")) {
            SimulatedReactorComponent c = reactor("unit", "BR-204", "acceleration", 3600.0, "schedule",
                    "profile:F_feed=1@0", "initial_state", new String[] {"Xv=3"});
            PlantCommands gogo = new PlantCommands();
            gogo.bindReactor(c);
            try {
                sub.await(m -> m.topic().equals("plant/BR-204") && has(m, "DO"), WAIT);
                sub.publish("plant/BR-204/command/fault", "feed_pump_failure on");
                Subscriber.Msg pump = sub.await(m -> has(m, "F_feed") && value(m.json(), "F_feed") == 0.0, WAIT);
                assertThat(value(pump.json(), "F_feed.sp")).isEqualTo(1.0);

                sub.publish("plant/BR-204/command/fault", "{\"fault\": \"freeze:DO\", \"active\": true}");
                sub.publish("plant/BR-204/command/fault", "aeration_loss on");
                for (int i = 0; i < 200 && !c.truth().activeFaults().contains("aeration_loss"); i++) {
                    Thread.sleep(10);
                }
                Thread.sleep(200); // let readings taken before the freeze drain
                int n = sub.size();
                Subscriber.Msg a = sub.await(m -> has(m, "DO"), n, WAIT);
                n = sub.size();
                Subscriber.Msg b = sub.await(m -> has(m, "DO"), n + 5, WAIT);
                assertThat(value(b.json(), "DO")).isEqualTo(value(a.json(), "DO")); // frozen
                assertThat(c.truth().activeFaults()).contains("freeze:DO", "feed_pump_failure", "aeration_loss");

                assertThat(gogo.fault("BR-204", "freeze:DO", "off")).contains("OFF");
                n = sub.size();
                // Aeration loss: the true DO falls far below the 40 % setpoint; now that DO is unfrozen it shows.
                sub.await(m -> has(m, "DO") && value(m.json(), "DO") < 10, n, WAIT);
                assertThat(c.truth().airFlow()).isCloseTo(10.0, within(1e-9));

                assertThat(gogo.fault("BR-204", "feed_pump_failure", "off")).contains("OFF");
                n = sub.size();
                Subscriber.Msg resumed = sub.await(m -> has(m, "F_feed") && value(m.json(), "F_feed") > 0.9, n, WAIT);
                assertThat(value(resumed.json(), "F_feed")).isCloseTo(1.0, within(0.05));

                sub.publish("plant/BR-204/command/fault", "meltdown on");
                JsonNode rej = sub.await(m -> m.topic().equals("plant/BR-204/command/rejected"), WAIT).json();
                assertThat(rej.get("reason").asText()).contains("unknown fault 'meltdown'");

                assertThat(gogo.list()).contains("BR-204").contains("RUNNING");
                assertThat(gogo.state("BR-204")).contains("cho.mab.fedbatch:1.0.0").contains("aeration_loss");
            } finally {
                c.deactivate();
            }
        }
    }

    @Test
    void theAcceleratedClockRunsTheConfiguredRatio() throws Exception {
        try (Subscriber sub = new Subscriber(broker.uri(), "plant/BR-205")) {
            SimulatedReactorComponent c = reactor("unit", "BR-205", "acceleration", 1800.0, "sample_period_s", 10.0);
            Subscriber.Msg first;
            Subscriber.Msg last;
            double age0;
            double age1;
            long t0;
            long t1;
            Map<String, Long> counters;
            try {
                sub.await(m -> has(m, "DO"), WAIT);
                Thread.sleep(500); // past the connection set-up, which queues the first readings
                first = sub.messages().get(sub.size() - 1);
                t0 = System.nanoTime();
                age0 = c.truth().ageH();
                Thread.sleep(3000);
                t1 = System.nanoTime();
                age1 = c.truth().ageH();
                last = sub.messages().get(sub.size() - 1);
                counters = c.counters();
            } finally {
                c.deactivate();
            }
            // The plant's own clock, and the readings' time stamps against their arrival times.
            double ratio = (age1 - age0) * 3600 / ((t1 - t0) / 1e9);
            double simulatedS = (ageH(last.json()) - ageH(first.json())) * 3600;
            double realS = (last.receivedNanos() - first.receivedNanos()) / 1e9;
            double observed = simulatedS / realS;
            System.out.printf("clock: ratio %.1f by the plant's age, %.1f by %.1f simulated s received in %.3f real s "
                    + "(configured 1800)%n", ratio, observed, simulatedS, realS);
            assertThat(ratio).isCloseTo(1800, within(1800 * 0.03));
            assertThat(observed).isCloseTo(1800, within(1800 * 0.05));
            assertThat(counters).containsEntry("clock.slips", 0L).containsEntry("dropped", 0L)
                    .containsEntry("failed", 0L);
        }
    }

    @Test
    void singlePayloadModePublishesOneMessagePerTagOnItsOwnTopic() throws Exception {
        try (Subscriber sub = new Subscriber(broker.uri(), "plant/BR-206/+")) {
            SimulatedReactorComponent c = reactor("unit", "BR-206", "acceleration", 3600.0, "payload_mode", "SINGLE");
            try {
                JsonNode j = sub.await(m -> m.topic().equals("plant/BR-206/DO"), WAIT).json();
                assertThat(j.get("uom").asText()).isEqualTo("%");
                assertThat(j.get("quality").asText()).isEqualTo("GOOD");
                assertThat(j.get("value").asDouble()).isBetween(30.0, 105.0);
                assertThat(Instant.parse(j.get("ts").asText())).isAfterOrEqualTo(Instant.parse(START));
                sub.await(m -> m.topic().equals("plant/BR-206/offgas.CO2"), WAIT);
            } finally {
                c.deactivate();
            }
        }
    }

    @Test
    void withoutItsModelTheReactorWaitsAndStartsWhenTheModelArrives() throws Exception {
        try (Subscriber sub = new Subscriber(broker.uri(), "plant/BR-207/#")) {
            Map<String, Object> values = TestConfigs.cho("unit", "BR-207", "acceleration", 3600.0,
                    "broker_uri", broker.uri(), "model_version", "1.0.0");
            SimulatedReactorComponent c = new SimulatedReactorComponent(new SimulatorComponent(),
                    TestConfigs.plant(values), values);
            try {
                JsonNode status = sub.await(m -> m.topic().equals("plant/BR-207/sim/status"), WAIT).json();
                assertThat(status.get("status").asText()).startsWith("WAITING_FOR_MODEL")
                        .contains("biotwin.model.id=cho.mab.fedbatch");
                assertThat(sub.on("plant/BR-207")).isEmpty();
                // Another version is not taken when 1.0.0 is pinned.
                c.bindModel(CHO, Map.of(KineticModel.MODEL_ID, "cho.mab.fedbatch", KineticModel.MODEL_VERSION, "1.1.0"));
                Thread.sleep(300);
                assertThat(c.status()).startsWith("WAITING_FOR_MODEL");
                c.bindModel(CHO, Map.of(KineticModel.MODEL_ID, "cho.mab.fedbatch", KineticModel.MODEL_VERSION, "1.0.0"));
                sub.await(m -> m.topic().equals("plant/BR-207") && has(m, "DO"), WAIT);
                assertThat(c.status()).isEqualTo("RUNNING");
            } finally {
                c.deactivate();
            }
        }
    }
}
