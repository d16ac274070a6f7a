package org.biotwin.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.biotwin.host.server.HiveMqServer;
import org.biotwin.host.server.QuestDbServer;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The reference host as {@code ./biotwin run} starts it, in this JVM: embedded HiveMQ and QuestDB, Felix with the
 * bundle set, the reference configurations and the CHO model deployed through FileInstall. Proves the whole path
 * plant (three virtual bioreactors, plant.sim) → MQTT → connector → engine (twins) → historian → QuestDB, read back
 * over SQL, and that no sample is lost while the broker or the historian database is down during ingestion at
 * 1,000 samples/s ({@code biotwin.test.outage.seconds}: 10 by default, 60 with {@code -Psoak}).
 * Every wait is bounded; the host and both servers are stopped at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReferenceHostTest {

    static final String[] UNITS = {"BR-101", "BR-102", "BR-103"};
    static final int OUTAGE_S = Integer.getInteger("biotwin.test.outage.seconds", 10);
    static final int RATE = 1_000; // samples/s

    private Host host;
    private HostConfig config;
    private Path deploy;
    private Sql sql;
    private ServiceTracker<Object, Object> reactors;
    private ServiceTracker<Object, Object> twins;

    @BeforeAll
    void startHost(@TempDir Path work) throws Exception {
        deploy = work.resolve("deploy");
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put(HostConfig.DATA_DIR, work.resolve("run").toString());
        extra.put(Host.REFERENCE_DEPLOY, "true");
        extra.put(DemoApprovals.MODELS, "cho.mab.fedbatch:1.0.0"); // as conf/host.properties
        extra.put(DemoApprovals.APPROVERS, "qa1:demo-qa1,qa2:demo-qa2");
        extra.put(HiveMqServer.PORT, "0");
        extra.put(QuestDbServer.HTTP_PORT, "0");
        extra.put(QuestDbServer.PG_PORT, "0");
        config = new HostConfig(BundleSetTest.home().toAbsolutePath(), work.resolve("run/felix-cache"), true, deploy,
                100, "127.0.0.1", 0, -1, false, extra);
        host = new Host(config);
        long t0 = System.currentTimeMillis();
        host.start();
        System.out.printf("E2E reference host up in %d ms%n", System.currentTimeMillis() - t0);
        sql = new Sql(questDb().pgPort());
    }

    @AfterAll
    void stopHost() {
        for (ServiceTracker<Object, Object> t : java.util.Arrays.asList(reactors, twins)) {
            if (t != null) {
                t.close();
            }
        }
        if (host != null) {
            host.stop();
        }
    }

    @Test
    @Order(1)
    void plantToHistorianThroughConnectorAndTwinsWithEstimatesReadableOverSql() throws Exception {
        assertThat(Files.readString(deploy.resolve("org.biotwin.connector.mqtt-plant.config")))
                .as("the reference configurations are deployed").contains("${biotwin.mqtt.uri}");
        // The twins run behind the approval gate: the validated demo model is released after the demo approvals.
        awaitService("(&(objectClass=org.biotwin.api.model.KineticModel)(biotwin.model.id=cho.mab.fedbatch)"
                + "(biotwin.model.approved=true))", "the demo model released by the approval gate");
        // The batch record must run on the configured audit trail (deploy/org.biotwin.ebr.audit.config) before the
        // MES opens batches: one opened on the unconfigured default would not be in the record the host keeps.
        awaitService("(&(objectClass=org.biotwin.api.audit.AuditTrail)(service.pid=org.biotwin.ebr.audit))",
                "the audit trail on its configured directory");
        // The historian is the durable sample listener: the connector acknowledges a PUBLISH only after it returned.
        awaitService("(&(objectClass=org.biotwin.api.sample.SampleListener)"
                + "(objectClass=org.biotwin.api.historian.Historian)(biotwin.durable=true))",
                "the historian registered as a durable sample listener");
        // An MES opens a batch per unit over MQTT (mes/<unit>/batch/create|start -> connector -> batch record); from
        // then on the historian tags every sample with its batch. The events carry ids, so sending them again until
        // the batch record knows the batch is harmless (a known id is ignored). The batch record is looked up afresh
        // for every check: an instance fetched before its component was re-created is stale.
        ServiceTracker<Object, Object> batchRecord = activate("org.biotwin.api.batch.BatchRecord", 1);
        Instant opened = Instant.now().minusSeconds(120);
        org.eclipse.paho.mqttv5.client.MqttClient mes = new org.eclipse.paho.mqttv5.client.MqttClient(broker().uri(),
                "e2e-mes", new MemoryPersistence());
        try {
            mes.connect(new MqttConnectionOptions());
            for (String unit : UNITS) {
                await(() -> openBatch(mes, batchRecord, unit, opened), 90, "the batch record to open batch E2E-" + unit);
            }
        } finally {
            if (mes.isConnected()) {
                mes.disconnect();
            }
            mes.close(true);
            batchRecord.close();
        }
        // Reactors and twins are immediate components; the test waits for all three of each and holds them.
        reactors = activate("org.biotwin.plant.sim.internal.ReactorControl", 3);
        twins = activate("org.biotwin.api.twin.Twin", 3);

        for (String unit : UNITS) {
            await(() -> sql.count("select count() from twin_state where unit = '" + unit + "'") >= 5, 120,
                    "twin estimates of " + unit + " in QuestDB");
            await(() -> sql.count("select count() from plant_sample where unit = '" + unit + "' and tag = 'OUR'"
                    + " and batch = 'E2E-" + unit + "'") >= 5, 60, "OUR samples of " + unit + " with their batch");
        }
        for (String unit : UNITS) {
            List<Map<String, Object>> state = sql.rows("select * from twin_state where unit = '" + unit
                    + "' order by ts desc limit 1");
            System.out.println("E2E twin_state " + unit + ": " + state);
            assertThat(state).singleElement().satisfies(r -> {
                assertThat(r.get("model")).isEqualTo("cho.mab.fedbatch");
                assertThat(((Number) r.get("Xv")).doubleValue()).isPositive();
                assertThat(((Number) r.get("MAB")).doubleValue()).isGreaterThanOrEqualTo(0);
                assertThat(((Number) r.get("V")).doubleValue()).isBetween(900.0, 1500.0);
                assertThat(r.get("batch")).isEqualTo("E2E-" + unit);
                if (unit.equals("BR-103")) { // the mismatched unit re-estimates mu_max and q_mAb online
                    assertThat(((Number) r.get("p_mu_max")).doubleValue()).isPositive();
                    assertThat(((Number) r.get("p_q_mAb")).doubleValue()).isPositive();
                }
            });
            List<Map<String, Object>> samples = sql.rows("select unit, tag, \"batch\", site, value from plant_sample"
                    + " where unit = '" + unit + "' and tag in ('OUR', 'volume', 'DO') order by ts desc limit 3");
            System.out.println("E2E plant_sample " + unit + ": " + samples);
            assertThat(samples).allSatisfy(r -> {
                assertThat(r.get("batch")).isEqualTo("E2E-" + unit);
                assertThat(r.get("site")).isEqualTo("demo-site");
            });
        }
    }

    @Test
    @Order(2)
    void brokerStoppedDuringIngestionLosesNoAcknowledgedSample() throws Exception {
        String unit = "EDGE-1";
        edgeConnection(unit);
        int total = RATE * (OUTAGE_S + 10);
        try (TestPlant plant = new TestPlant(broker().uri(), "edge", unit, RATE, total)) {
            plant.start();
            Thread.sleep(5_000);
            long before = plant.ackedSamples();
            long t0 = System.currentTimeMillis();
            broker().stop();
            System.out.printf("E2E broker outage: stopped after %d acknowledged samples%n", before);
            Thread.sleep(OUTAGE_S * 1000L);
            broker().start(config);
            System.out.printf("E2E broker outage: restarted after %d ms%n", System.currentTimeMillis() - t0);
            assertThat(plant.awaitAllAcked(120 + OUTAGE_S, TimeUnit.SECONDS)).as("the plant's backlog acknowledged: %s",
                    plant.describe()).isTrue();
            assertNothingLost(unit, plant.ackedSamples(), "broker outage of " + OUTAGE_S + " s");
        }
    }

    @Test
    @Order(3)
    void historianStoppedDuringIngestionLosesNoAcknowledgedSample() throws Exception {
        String unit = "EDGE-2";
        edgeConnection(unit);
        int total = RATE * (OUTAGE_S + 10);
        try (TestPlant plant = new TestPlant(broker().uri(), "edge", unit, RATE, total)) {
            plant.start();
            Thread.sleep(5_000);
            long t0 = System.currentTimeMillis();
            questDb().stop();
            Thread.sleep(OUTAGE_S * 1000L);
            questDb().start(config);
            System.out.printf("E2E historian outage: QuestDB back after %d ms%n", System.currentTimeMillis() - t0);
            assertThat(plant.awaitAllAcked(120 + OUTAGE_S, TimeUnit.SECONDS)).as("the plant's samples acknowledged: %s",
                    plant.describe()).isTrue();
            assertNothingLost(unit, plant.ackedSamples(), "historian outage of " + OUTAGE_S + " s");
        }
    }

    /** Every acknowledged sample is one row of plant_sample (rows are unique by time, unit, tag). */
    private void assertNothingLost(String unit, long acked, String what) throws InterruptedException {
        long t0 = System.currentTimeMillis();
        String count = "select count() from plant_sample where unit = '" + unit + "'";
        long deadline = t0 + 180_000;
        long seen = 0;
        while (System.currentTimeMillis() < deadline && (seen = sql.count(count)) < acked) {
            Thread.sleep(500);
        }
        System.out.printf("E2E %s: %d samples acknowledged by the broker, %d rows in QuestDB (%d ms after the"
                + " last acknowledgement)%n", what, acked, seen, System.currentTimeMillis() - t0);
        assertThat(seen).as("rows of " + unit + " in plant_sample after a " + what).isEqualTo(acked);
    }

    /** A second connection for the edge test units (topic edge/<unit>), so that plant/ is left to the plants. */
    private void edgeConnection(String unit) throws Exception {
        StringBuilder tags = new StringBuilder();
        for (int t = 0; t < TestPlant.TAGS; t++) {
            tags.append(t == 0 ? "" : ",").append("\"x").append(t).append("=1\"");
        }
        String name = "edge-" + unit.toLowerCase();
        Files.writeString(deploy.resolve("org.biotwin.connector.mqtt-" + name + ".config"),
                "name=\"" + name + "\"\nbroker.uri=\"${biotwin.mqtt.uri}\"\nclient.id=\"biotwin-" + name + "\"\n"
                        + "units=[\"" + unit + "\"]\ntags=[" + tags + "]\ntopic.patterns=[\"edge/{unit}\"]\n");
        awaitService("(&(objectClass=org.biotwin.api.messaging.ConnectionStatus)(name=" + name + "))",
                "connection " + name);
        Thread.sleep(1_000); // connected and subscribed
    }

    /** Sends the MES events that open batch E2E-unit; true once the current batch record knows it. */
    private boolean openBatch(org.eclipse.paho.mqttv5.client.MqttClient mes, ServiceTracker<Object, Object> tracker,
            String unit, Instant opened) {
        try {
            mes.publish("mes/" + unit + "/batch/create", json("{\"eventId\":\"e2e-c-%s\",\"batchId\":\"E2E-%s\","
                    + "\"actor\":\"mes-e2e\",\"time\":\"%s\",\"product\":\"mAb-demo\",\"recipeId\":\"CHO-FB\","
                    + "\"recipeVersion\":\"1\"}", unit, unit, opened));
            mes.publish("mes/" + unit + "/batch/start", json("{\"eventId\":\"e2e-s-%s\",\"batchId\":\"E2E-%s\","
                    + "\"actor\":\"mes-e2e\",\"time\":\"%s\"}", unit, unit, opened.plusSeconds(1)));
            Thread.sleep(1_000);
            Object record = tracker.getService();
            if (record == null) {
                return false;
            }
            return ((java.util.Optional<?>) record.getClass().getMethod("contextAt", String.class, Instant.class)
                    .invoke(record, unit, Instant.now())).isPresent();
        } catch (Exception e) {
            throw new IllegalStateException("Opening batch E2E-" + unit + ": " + e, e);
        }
    }

    private static org.eclipse.paho.mqttv5.common.MqttMessage json(String format, Object... args) {
        org.eclipse.paho.mqttv5.common.MqttMessage m = new org.eclipse.paho.mqttv5.common.MqttMessage(
                String.format(format, args).getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        return m;
    }

    /** Sends the MES events that open batch E2E-unit; true once the batch record knows it. */
    private HiveMqServer broker() {
        return (HiveMqServer) host.server(HiveMqServer.NAME);
    }

    private QuestDbServer questDb() {
        return (QuestDbServer) host.server(QuestDbServer.NAME);
    }

    private BundleContext context() {
        return host.framework().getBundleContext();
    }

    /** Tracks (and so activates) {@code n} services of that type; waits until all are active. */
    private ServiceTracker<Object, Object> activate(String type, int n) throws Exception {
        ServiceTracker<Object, Object> t = new ServiceTracker<>(context(), FrameworkUtil.createFilter(
                "(objectClass=" + type + ")"), null);
        t.open(true);
        await(() -> {
            Object[] services = t.getServices();
            return services != null && services.length == n
                    && java.util.Arrays.stream(services).allMatch(java.util.Objects::nonNull);
        }, 90, n + " active " + type);
        return t;
    }

    private void awaitService(String filter, String what) throws Exception {
        ServiceTracker<Object, Object> t = new ServiceTracker<>(context(), FrameworkUtil.createFilter(filter), null);
        t.open(true);
        try {
            await(() -> t.size() > 0, 60, what);
        } finally {
            t.close();
        }
    }

    static void await(BooleanSupplier condition, int seconds, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("Timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
