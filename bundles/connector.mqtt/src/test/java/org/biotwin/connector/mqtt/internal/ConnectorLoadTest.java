package org.biotwin.connector.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.biotwin.api.sample.Sample;
import org.biotwin.api.sample.SampleListener;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load harness, not part of the default build: {@code mvn -Pload test} (or {@code load/run-load.sh}).
 * <p>
 * Side by side in one run, each with a fresh Mosquitto on loopback and the same C publisher (libmosquitto, QoS 1):
 * <ol>
 * <li>raw: C publisher -> Mosquitto -> {@code mosquitto_sub -q 1 > /dev/null};</li>
 * <li>connector, one sample per message: C publisher -> Mosquitto -> connector -> counting SampleListener;</li>
 * <li>connector, batches of {@code load.tags} samples per message.</li>
 * </ol>
 * Each rate is end to end: from the publisher's start to the last message (or sample) received. Publisher, broker
 * and receiver share the machine's cores. System properties: {@code load.messages} (default 200000),
 * {@code load.tags} (default 10), {@code load.inflight} (broker max_inflight_messages, default 100).
 */
@Tag("load")
class ConnectorLoadTest {

    private static final int MESSAGES = Integer.getInteger("load.messages", 200_000);
    private static final int TAGS = Integer.getInteger("load.tags", 10);
    private static final int INFLIGHT = Integer.getInteger("load.inflight", 100);
    private static final int UNITS = 3;

    @TempDir
    Path tmp;

    private Path publisher() throws Exception {
        Path bin = Path.of("target", "mqtt_load_pub").toAbsolutePath();
        Process gcc = new ProcessBuilder("gcc", "-O2", "-o", bin.toString(), "load/mqtt_load_pub.c", "-lmosquitto")
                .inheritIO().start();
        assertThat(gcc.waitFor()).as("gcc (libmosquitto-dev from .ci/setup.d/mosquitto.sh)").isZero();
        return bin;
    }

    private static Process publish(Path bin, MosquittoBroker b, int count, String mode) throws Exception {
        return new ProcessBuilder(bin.toString(), "127.0.0.1", Integer.toString(b.port()), Integer.toString(count), mode,
                Integer.toString(UNITS), Integer.toString(TAGS)).inheritIO().start();
    }

    @Test
    void rawVersusConnectorRates() throws Exception {
        Path bin = publisher();
        double raw = raw(bin);
        double paho = pahoOnly(bin);
        double single = connector(bin, "single", MESSAGES);
        double batch = connector(bin, "batch", MESSAGES / TAGS);
        System.out.printf("%nLOAD RESULT (%d cores, broker max_inflight_messages=%d)%n", Runtime.getRuntime().availableProcessors(), INFLIGHT);
        System.out.printf("  raw  C pub -> mosquitto -> mosquitto_sub -q 1   : %,10.0f msg/s (%d messages)%n", raw, MESSAGES);
        System.out.printf("  paho C pub -> mosquitto -> bare Paho v5 client   : %,10.0f msg/s (auto-ack, counting only)%n", paho);
        System.out.printf("  conn C pub -> mosquitto -> connector (1/msg)    : %,10.0f samples/s = %.0f %% of raw%n", single, 100 * single / raw);
        System.out.printf("  conn C pub -> mosquitto -> connector (%d/msg)   : %,10.0f samples/s (%,.0f msg/s)%n", TAGS, batch, batch / TAGS);
    }

    private double raw(Path bin) throws Exception {
        try (MosquittoBroker b = new MosquittoBroker(tmp.resolve("raw"), INFLIGHT)) {
            Process sub = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(b.port()), "-q", "1",
                    "-C", Integer.toString(MESSAGES), "-t", "plant/#", "-i", "raw-sub")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                Thread.sleep(1000); // let it subscribe
                long t0 = System.nanoTime();
                Process pub = publish(bin, b, MESSAGES, "single");
                assertThat(sub.waitFor(300, TimeUnit.SECONDS)).as("mosquitto_sub got all messages").isTrue();
                double s = (System.nanoTime() - t0) / 1e9;
                assertThat(pub.waitFor(60, TimeUnit.SECONDS)).isTrue();
                return MESSAGES / s;
            } finally {
                sub.destroy();
            }
        }
    }

    /** The ceiling the Paho client itself sets: QoS 1, automatic acks, a counter in the callback. */
    private double pahoOnly(Path bin) throws Exception {
        try (MosquittoBroker b = new MosquittoBroker(tmp.resolve("paho"), INFLIGHT)) {
            LongAdder count = new LongAdder();
            org.eclipse.paho.mqttv5.client.MqttAsyncClient c = new org.eclipse.paho.mqttv5.client.MqttAsyncClient(
                    b.uri(), "paho-only", new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
            c.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
                public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse r) { }
                public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException e) { }
                public void messageArrived(String t, org.eclipse.paho.mqttv5.common.MqttMessage m) { count.increment(); }
                public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken t) { }
                public void connectComplete(boolean r, String u) { }
                public void authPacketArrived(int r, org.eclipse.paho.mqttv5.common.packet.MqttProperties p) { }
            });
            org.eclipse.paho.mqttv5.client.MqttConnectionOptions o = new org.eclipse.paho.mqttv5.client.MqttConnectionOptions();
            o.setReceiveMaximum(1000);
            c.connect(o).waitForCompletion(10_000);
            c.subscribe("plant/#", 1).waitForCompletion(10_000);
            Thread.sleep(500);
            long t0 = System.nanoTime();
            Process pub = publish(bin, b, MESSAGES, "single");
            TestClients.awaitTrue("all messages", Duration.ofSeconds(300), () -> count.sum() >= MESSAGES);
            double s = (System.nanoTime() - t0) / 1e9;
            assertThat(pub.waitFor(60, TimeUnit.SECONDS)).isTrue();
            c.disconnect().waitForCompletion(5000);
            c.close();
            return MESSAGES / s;
        }
    }

    private double connector(Path bin, String mode, int messages) throws Exception {
        long expected = "batch".equals(mode) ? (long) messages * TAGS : messages;
        try (MosquittoBroker b = new MosquittoBroker(tmp.resolve(mode), INFLIGHT)) {
            Map<String, Object> cfg = TestClients.baseConfig(b.uri(), "load-" + mode, tmp.resolve("store-" + mode));
            cfg.put("units", new String[] {"BR-101", "BR-102", "BR-103"});
            String[] tags = new String[TAGS + 1];
            tags[0] = "DO=%";
            for (int t = 0; t < TAGS; t++) {
                tags[t + 1] = "t" + t + "=%";
            }
            cfg.put("tags", tags);
            cfg.put("topic.mappings", new String[0]);
            // Experiments: -Dload.connector.<key>=<value> overrides a connection setting (e.g. dedup.window).
            System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("load.connector."))
                    .forEach(k -> cfg.put(k.substring("load.connector.".length()), System.getProperty(k)));
            LongAdder count = new LongAdder();
            SampleListener counter = (List<Sample> s) -> count.add(s.size());
            try (MqttConnection c = TestClients.open(cfg)) {
                c.addSampleListener(counter, Set.of());
                TestClients.awaitTrue("connected", Duration.ofSeconds(10), c::connected);
                Thread.sleep(500);
                long t0 = System.nanoTime();
                Process pub = publish(bin, b, messages, mode);
                TestClients.awaitTrue("all samples", Duration.ofSeconds(300), () -> count.sum() >= expected,
                        () -> count.sum() + " of " + expected + "; " + c.counters());
                double s = (System.nanoTime() - t0) / 1e9;
                assertThat(pub.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(c.counters().get("rejected")).isZero();
                System.out.printf("connector %s: %d samples in %.2f s; counters %s%n", mode, expected, s, c.counters());
                return expected / s;
            }
        }
    }

    static {
        // make relative paths (load/..., target/...) resolve against the module when run from elsewhere
        assertThat(new File("load/mqtt_load_pub.c")).as("run from bundles/connector.mqtt").exists();
    }
}
