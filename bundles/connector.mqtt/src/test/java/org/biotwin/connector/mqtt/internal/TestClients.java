package org.biotwin.connector.mqtt.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.biotwin.api.sample.Sample;
import org.biotwin.api.sample.SampleListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/** Test-side MQTT clients, listeners and waiting helpers (real Paho clients against a real broker). */
final class TestClients {

    private TestClients() {
    }

    static Map<String, Object> baseConfig(String brokerUri, String clientId, java.nio.file.Path storeDir) {
        Map<String, Object> p = new HashMap<>();
        p.put("name", "test");
        p.put("broker.uri", brokerUri);
        p.put("client.id", clientId);
        p.put("units", new String[] {"BR-101", "BR-102"});
        p.put("tags", new String[] {"T=Cel", "DO=%", "glucose=g/L", "feed=L/h", "weight=kg", "BR-102/pH=[pH]"});
        p.put("topic.mappings", new String[] {"site/plc7/ai3=BR-101/T/Cel"});
        p.put("deadletter.topic", "biotwin/deadletter/" + clientId);
        p.put("store.dir", storeDir.toString());
        p.put("reconnect.min.ms", 100L);
        p.put("reconnect.max.ms", 1000L);
        p.put("payload.max.bytes", 4096);
        return p;
    }

    static MqttConnection open(Map<String, Object> p) {
        UnitNormalizer u = new UnitNormalizer();
        return new MqttConnection(ConnectionSettings.parse(p, null, u), u, Clock.systemUTC(), () -> null);
    }

    static MqttClient client(String uri, String id) throws Exception {
        MqttClient c = new MqttClient(uri, id, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(false);
        c.connect(o);
        return c;
    }

    static void pub(MqttClient c, String topic, String payload) throws Exception {
        pub(c, topic, payload.getBytes(StandardCharsets.UTF_8), null);
    }

    static void pub(MqttClient c, String topic, byte[] payload, String tsProperty) throws Exception {
        for (int attempt = 0;; attempt++) {
            // a fresh message for every attempt: Paho keeps state on the one it was given
            MqttMessage m = new MqttMessage(payload);
            m.setQos(1);
            if (tsProperty != null) {
                MqttProperties props = new MqttProperties();
                props.setUserProperties(List.of(new UserProperty("ts", tsProperty)));
                m.setProperties(props);
            }
            try {
                c.publish(topic, m);
                return;
            } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
                // Paho 1.2.5 sometimes reports its in-flight window as full right after a PUBACK
                // (eclipse-paho/paho.mqtt.java#993); retry briefly
                if (e.getReasonCode() != org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_MAX_INFLIGHT
                        || attempt > 1000) {
                    throw e;
                }
                Thread.sleep(2);
            }
        }
    }

    /**
     * Waits until the connection has subscribed its filters: {@code connected()} turns true before the SUBACK (so
     * that messages arriving at once can be acknowledged), and a message published in between would be lost to it.
     * The connect counter is incremented after the subscription is confirmed.
     */
    static void awaitSubscribed(MqttConnection... connections) throws InterruptedException {
        awaitTrue("connected and subscribed", Duration.ofSeconds(10), () -> java.util.Arrays.stream(connections)
                .allMatch(c -> c.connected() && c.counters().getOrDefault("connects", 0L) >= 1));
    }

    static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        awaitTrue(what, timeout, condition, () -> "");
    }

    static void awaitTrue(String what, Duration timeout, BooleanSupplier condition,
            java.util.function.Supplier<String> state) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what + " " + state.get());
            }
            Thread.sleep(20);
        }
    }

    /** A listener that records every sample; optionally slow. */
    static class Recorder implements SampleListener {
        final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        final long delayMillisPerCall;
        volatile int calls;

        Recorder(long delayMillisPerCall) {
            this.delayMillisPerCall = delayMillisPerCall;
        }

        @Override
        public void onSamples(List<Sample> batch) {
            samples.addAll(batch);
            calls++;
            if (delayMillisPerCall > 0) {
                try {
                    Thread.sleep(delayMillisPerCall);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        int size() {
            return samples.size();
        }

        Set<String> keys() {
            synchronized (samples) {
                Set<String> k = new HashSet<>();
                samples.forEach(s -> k.add(s.key()));
                return k;
            }
        }

        List<Sample> snapshot() {
            synchronized (samples) {
                return new ArrayList<>(samples);
            }
        }
    }

    /** Subscribes to the dead-letter topic and parses what arrives. */
    static final class DeadLetters implements AutoCloseable {
        final List<JsonNode> letters = Collections.synchronizedList(new ArrayList<>());
        private final MqttClient client;

        DeadLetters(String uri, String topic) throws Exception {
            client = client(uri, "dl-" + System.nanoTime());
            ObjectMapper m = new ObjectMapper();
            client.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[] {
                new org.eclipse.paho.mqttv5.common.MqttSubscription(topic, 1)},
                    new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {(t, msg) -> letters.add(m.readTree(msg.getPayload()))});
        }

        List<JsonNode> snapshot() {
            synchronized (letters) {
                return new ArrayList<>(letters);
            }
        }

        @Override
        public void close() throws Exception {
            client.disconnect();
            client.close();
        }
    }
}
