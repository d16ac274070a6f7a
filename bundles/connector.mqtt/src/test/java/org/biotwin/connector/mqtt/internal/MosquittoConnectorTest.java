package org.biotwin.connector.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.biotwin.connector.mqtt.internal.TestClients.awaitSubscribed;
import static org.biotwin.connector.mqtt.internal.TestClients.awaitTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.biotwin.api.sample.RejectReason;
import org.biotwin.connector.mqtt.internal.TestClients.Recorder;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;

/**
 * The connector contract against Debian's Mosquitto 2.0, plus what needs a broker restart: outages with persistent
 * sessions and a reconfiguration in the middle of a stream.
 */
class MosquittoConnectorTest extends ConnectorContractTest {

    @Override
    Broker newBroker(Path dir) throws Exception {
        return new MosquittoBroker(dir);
    }

    /**
     * A publisher that never gives up on a message: QoS 1, a persistent session of its own, and retry until the
     * broker acknowledges. This is how a plant gateway behaves; it is what makes "published" mean "at the broker".
     */
    private static final class StubbornPublisher implements AutoCloseable {
        private final MqttClient client;
        private final MqttConnectionOptions options = new MqttConnectionOptions();
        final AtomicInteger retries = new AtomicInteger();

        StubbornPublisher(String uri, String id) throws Exception {
            client = new MqttClient(uri, id, new MemoryPersistence());
            options.setCleanStart(false);
            options.setSessionExpiryInterval(3600L);
            options.setConnectionTimeout(2);
            connect();
        }

        private void connect() throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!client.isConnected()) {
                try {
                    client.connect(options);
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("publisher cannot reconnect", e);
                    }
                    Thread.sleep(100);
                }
            }
        }

        void publish(String topic, String payload) throws InterruptedException {
            for (int attempt = 0; attempt < 600; attempt++) {
                try {
                    if (!client.isConnected()) {
                        connect();
                    }
                    MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
                    m.setQos(1);
                    client.publish(topic, m);
                    return;
                } catch (Exception e) {
                    retries.incrementAndGet();
                    Thread.sleep(50);
                }
            }
            throw new AssertionError("could not publish " + payload);
        }

        @Override
        public void close() throws Exception {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        }
    }

    @Test
    void brokerStoppedAndRestartedMidStreamLosesNothing() throws Exception {
        Map<String, Object> cfg = config();
        Recorder rec = new Recorder(0);
        int n = 3000;
        try (MqttConnection c = TestClients.open(cfg)) {
            c.addSampleListener(rec, Set.of());
            awaitSubscribed(c);
            Instant t0 = Instant.now().minusSeconds(300);
            try (StubbornPublisher p = new StubbornPublisher(broker.uri(), "pub-" + id)) {
                for (int i = 0; i < n; i++) {
                    if (i == n / 3) {
                        broker.stop(); // the plant keeps producing; the publisher retries
                        Thread.sleep(300);
                        Thread restart = new Thread(() -> {
                            try {
                                Thread.sleep(1500);
                                broker.start();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
                        restart.start();
                    }
                    p.publish("plant/BR-10" + (1 + i % 2) + "/DO",
                            "{\"ts\":" + t0.plusMillis(i).toEpochMilli() + ",\"value\":" + i + ",\"uom\":\"%\"}");
                }
                awaitTrue("every sample", Duration.ofSeconds(60), () -> rec.keys().size() >= n,
                        () -> rec.keys().size() + " distinct received; " + c.counters());
                System.out.printf("outage: %d samples published, %d distinct received, %d deliveries, publisher "
                        + "retries %d, connects %d, counters %s%n", n, rec.keys().size(), rec.size(), p.retries.get(),
                        c.counters().get("connects"), c.counters());
            }
            assertThat(rec.keys()).hasSize(n);
            assertThat(c.counters().get("connects")).isGreaterThanOrEqualTo(2L);
            // every message was finally acknowledged on some connection: none is stuck in flight at the broker
            awaitTrue("all acknowledged", Duration.ofSeconds(10), () -> c.counters().get("acked") >= n,
                    () -> c.counters().toString());
        }
    }

    @Test
    void connectorOfflineWhileThePlantPublishesGetsEverythingFromItsPersistentSession() throws Exception {
        Map<String, Object> cfg = config();
        Recorder rec = new Recorder(0);
        int n = 1000;
        Instant t0 = Instant.now().minusSeconds(300);
        try (MqttConnection c = TestClients.open(cfg)) { // creates the session and its subscriptions
            c.addSampleListener(rec, Set.of());
            awaitSubscribed(c);
        }
        try (StubbornPublisher p = new StubbornPublisher(broker.uri(), "pub-" + id)) {
            for (int i = 0; i < n; i++) {
                p.publish("plant/BR-101/T", "{\"ts\":" + t0.plusMillis(i).toEpochMilli() + ",\"value\":37,\"uom\":\"Cel\"}");
            }
        }
        broker.stop(); // and the broker restarts while the connector is away
        broker.start();
        try (MqttConnection c = TestClients.open(cfg)) {
            c.addSampleListener(rec, Set.of());
            awaitTrue("every sample", Duration.ofSeconds(30), () -> rec.keys().size() >= n,
                    () -> rec.keys().size() + " distinct received; " + c.counters());
        }
        assertThat(rec.keys()).hasSize(n);
    }

    @Test
    void aConfigurationChangeIsAppliedWithoutLosingAcceptedSamples() throws Exception {
        Map<String, Object> cfg = config();
        Recorder rec = new Recorder(1); // a little slow, so that samples are queued at the switch
        int n = 2000;
        Instant t0 = Instant.now().minusSeconds(300);
        MqttConnection first = TestClients.open(cfg);
        first.addSampleListener(rec, Set.of());
        awaitSubscribed(first);
        List<Long> rejectedPhBefore = new ArrayList<>();
        MqttConnection second;
        try (StubbornPublisher p = new StubbornPublisher(broker.uri(), "pub-" + id)) {
            p.publish("plant/BR-101/pH", "7.0"); // pH is declared for BR-102 only
            for (int i = 0; i < n; i++) {
                if (i == n / 2) {
                    awaitTrue("pH refused", Duration.ofSeconds(5),
                            () -> first.rejects().getOrDefault(RejectReason.UNKNOWN_TAG, 0L) == 1L);
                    rejectedPhBefore.add(first.rejects().get(RejectReason.UNKNOWN_TAG));
                    // what DS does on a configuration update: deactivate the old instance, activate a new one
                    first.close();
                    cfg.put("tags", new String[] {"T=Cel", "DO=%", "glucose=g/L", "feed=L/h", "weight=kg", "pH=[pH]"});
                    second = TestClients.open(cfg);
                    second.addSampleListener(rec, Set.of());
                    p.publish("plant/BR-101/pH", "7.1");
                    runRest(p, second, rec, i, n, t0);
                    return;
                }
                p.publish("plant/BR-101/DO", "{\"ts\":" + t0.plusMillis(i).toEpochMilli() + ",\"value\":40,\"uom\":\"%\"}");
            }
        } finally {
            first.close();
        }
    }

    private void runRest(StubbornPublisher p, MqttConnection second, Recorder rec, int from, int n, Instant t0)
            throws Exception {
        try (second) {
            for (int i = from; i < n; i++) {
                p.publish("plant/BR-101/DO", "{\"ts\":" + t0.plusMillis(i).toEpochMilli() + ",\"value\":40,\"uom\":\"%\"}");
            }
            awaitTrue("every sample", Duration.ofSeconds(60),
                    () -> rec.snapshot().stream().filter(s -> s.tag().equals("DO")).map(s -> s.key()).distinct().count() >= n);
            awaitTrue("pH accepted after the change", Duration.ofSeconds(10),
                    () -> rec.snapshot().stream().anyMatch(s -> s.unitId().equals("BR-101") && s.tag().equals("pH")));
            assertThat(rec.snapshot().stream().filter(s -> s.tag().equals("DO")).map(s -> s.key()).distinct().count())
                    .isEqualTo(n);
            assertThat(second.rejects()).doesNotContainKey(RejectReason.UNKNOWN_TAG);
        }
    }

    private static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("cmd.log").toFile()).start();
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + java.nio.file.Files.readString(dir.resolve("cmd.log"))).isZero();
    }

    @Test
    void tlsWithATrustStoreAndABadTrustStorePasswordFailsFastNamingTheProperty(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        // a self-signed broker certificate for 127.0.0.1, and a PKCS12 trust store holding it
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout", "key.pem",
                "-out", "cert.pem", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        run(dir, "keytool", "-importcert", "-noprompt", "-alias", "broker", "-file", "cert.pem", "-keystore",
                "trust.p12", "-storetype", "PKCS12", "-storepass", "changeit");
        try (MosquittoBroker tls = new MosquittoBroker(dir.resolve("broker"), 20,
                List.of("certfile " + dir.resolve("cert.pem"), "keyfile " + dir.resolve("key.pem")))) {
            Map<String, Object> cfg = config();
            cfg.put("broker.uri", "ssl://127.0.0.1:" + tls.port());
            cfg.put("tls.truststore.path", dir.resolve("trust.p12").toString());
            cfg.put(".tls.truststore.password", "wrong");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestClients.open(cfg))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'tls.truststore.path'")
                    .hasMessageContaining("password");
            cfg.put(".tls.truststore.password", "changeit");
            Recorder rec = new Recorder(0);
            try (MqttConnection c = TestClients.open(cfg)) {
                c.addSampleListener(rec, Set.of());
                awaitTrue("connected over TLS", Duration.ofSeconds(10), c::connected);
                run(dir, "mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(tls.port()), "--cafile",
                        dir.resolve("cert.pem").toString(), "-q", "1", "-t", "plant/BR-101/T", "-m", "36.9");
                awaitTrue("sample over TLS", Duration.ofSeconds(10), () -> rec.size() == 1);
                assertThat(rec.snapshot().get(0).value()).isEqualTo(36.9);
            }
        }
    }
}
