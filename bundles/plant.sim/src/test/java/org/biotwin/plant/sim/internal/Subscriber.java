package org.biotwin.plant.sim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/** A real Paho MQTT v5 client that records what it receives, as a consumer of the plant would. */
final class Subscriber implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One received message. */
    record Msg(String topic, String text, long receivedNanos) {
        JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON on " + topic + ": " + text, e);
            }
        }
    }

    private final MqttClient client;
    private final List<Msg> messages = new CopyOnWriteArrayList<>();

    Subscriber(String uri, String filter) throws Exception {
        client = new MqttClient(uri, "test-sub-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        client.connect(o);
        client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, 1)},
                new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {(topic, m) -> messages.add(
                        new Msg(topic, new String(m.getPayload(), StandardCharsets.UTF_8), System.nanoTime()))});
    }

    void publish(String topic, String payload) throws Exception {
        for (int attempt = 0;; attempt++) {
            MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8)); // fresh per attempt
            m.setQos(1);
            try {
                client.publish(topic, m);
                return;
            } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
                // Paho 1.2.5 can report its in-flight window as full right after a PUBACK
                // (eclipse-paho/paho.mqtt.java#993); retry briefly
                if (e.getReasonCode() != org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_MAX_INFLIGHT
                        || attempt >= 500) {
                    throw e;
                }
                Thread.sleep(2);
            }
        }
    }

    List<Msg> messages() {
        return new ArrayList<>(messages);
    }

    List<Msg> on(String topic) {
        return messages.stream().filter(m -> m.topic().equals(topic)).toList();
    }

    /** Waits (bounded) for a message matching {@code p}, received at or after index {@code from}. */
    Msg await(Predicate<Msg> p, int from, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Msg> now = messages;
            for (int i = from; i < now.size(); i++) {
                if (p.test(now.get(i))) {
                    return now.get(i);
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no matching message within " + timeout + "; got " + messages.size()
                + " messages, last: " + (messages.isEmpty() ? "-" : messages.get(messages.size() - 1)));
    }

    Msg await(Predicate<Msg> p, Duration timeout) throws InterruptedException {
        return await(p, 0, timeout);
    }

    int size() {
        return messages.size();
    }

    @Override
    public void close() throws Exception {
        try {
            client.disconnect();
        } finally {
            client.close();
        }
    }
}
