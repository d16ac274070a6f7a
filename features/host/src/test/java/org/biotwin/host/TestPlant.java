package org.biotwin.host;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * A plant edge device for the outage tests: publishes numbered batch messages (one per {@code 1/rate}, each carrying
 * {@link #TAGS} samples of unit {@code unit}) with QoS 1 at a fixed sample rate, and keeps every message until the
 * broker has acknowledged it (PUBACK), re-sending whatever is not acknowledged after a broker outage, as an edge
 * gateway with a local buffer does. It records exactly which messages the broker acknowledged: those are the
 * samples that must all reach the historian.
 * <p>
 * Sample time stamps are {@code base + index * 10 ms}, unique per (unit, tag), so every sample is one row of
 * {@code plant_sample} whatever the number of re-sends (the historian's key is time, site, unit, tag). One sender
 * thread; thread-safe counters.
 */
final class TestPlant implements AutoCloseable {

    static final int TAGS = 10;
    private static final long RESEND_AFTER_MS = 5_000;

    private final String unit;
    private final String topicPrefix;
    private long base;
    private long spacingMs = 10;
    private final MqttAsyncClient client;
    private final BitSet acked = new BitSet();
    private final Deque<Integer> pending = new ArrayDeque<>();
    private final Deque<InFlight> inFlight = new ArrayDeque<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong sends = new AtomicLong();
    private final AtomicLong publishErrors = new AtomicLong();
    private final int messagesPerSecond;
    private final int total;
    private Thread sender;
    private volatile int window = 5;

    private record InFlight(int index, IMqttToken token, long sentAt) {
    }

    /**
     * @param topicPrefix      messages go to {@code <topicPrefix>/<unit>}
     * @param samplesPerSecond samples per second (messages per second × {@link #TAGS})
     * @param samples          how many samples in all (a multiple of {@link #TAGS})
     */
    TestPlant(String brokerUri, String topicPrefix, String unit, int samplesPerSecond, int samples)
            throws MqttException {
        this.unit = unit;
        this.topicPrefix = topicPrefix;
        this.base = System.currentTimeMillis() - 3_600_000L; // an hour ago: inside the connector's plausibility window
        this.messagesPerSecond = samplesPerSecond / TAGS;
        this.total = samples / TAGS;
        client = new MqttAsyncClient(brokerUri, "test-plant-" + unit, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        // A clean session on every (re)connect: the test plant itself re-sends whatever was not acknowledged, so
        // Paho's own retransmission of a previous session's in-flight messages would only exceed the broker's
        // Receive Maximum (HiveMQ: 10) on top of the new window.
        o.setCleanStart(true);
        o.setAutomaticReconnect(true);
        o.setAutomaticReconnectDelay(1, 2);
        o.setConnectionTimeout(5);
        client.connect(o).waitForCompletion(20_000);
    }

    /**
     * Stamps message {@code i} at start + {@code i} / rate on the wall clock, as a live plant does (the default is an
     * hour back in 10-ms steps). At most 1,000 messages/s, so that every message has its own millisecond.
     */
    TestPlant realTime() {
        if (messagesPerSecond < 1 || messagesPerSecond > 1000) {
            throw new IllegalArgumentException("real-time stamps need 1..1000 messages/s, not " + messagesPerSecond);
        }
        spacingMs = 1000 / messagesPerSecond;
        base = -1;
        return this;
    }

    /** QoS 1 messages in flight at most (default 5, below HiveMQ's Receive Maximum of 10). */
    TestPlant window(int messages) {
        this.window = messages;
        return this;
    }

    /** Starts publishing at the configured rate in a thread of its own. */
    void start() {
        sender = new Thread(this::run, "test-plant-" + unit);
        sender.setDaemon(true);
        sender.start();
    }

    private void run() {
        long t0 = System.nanoTime();
        if (base < 0) {
            base = System.currentTimeMillis();
        }
        int generated = 0;
        while (!stop.get()) {
            long due = Math.min(total, (System.nanoTime() - t0) * messagesPerSecond / 1_000_000_000L);
            while (generated < due) {
                pending.add(generated++);
            }
            reap();
            // Paho refuses more than the broker's Receive Maximum in flight (HiveMQ: 10); keep within the window.
            while (!pending.isEmpty() && inFlight.size() < window && client.isConnected()) {
                int i = pending.peek();
                try {
                    IMqttToken t = client.publish(topicPrefix + "/" + unit, message(i));
                    inFlight.add(new InFlight(i, t, System.currentTimeMillis()));
                    pending.poll();
                    sends.incrementAndGet();
                } catch (MqttException e) {
                    publishErrors.incrementAndGet();
                    break;
                }
            }
            if (generated == total && pending.isEmpty() && inFlight.isEmpty()) {
                return;
            }
            sleepQuietly(1);
        }
    }

    /** Completed sends leave the window; failed or long-unanswered ones are sent again. */
    private void reap() {
        long now = System.currentTimeMillis();
        for (int n = inFlight.size(); n > 0; n--) {
            InFlight f = inFlight.poll();
            if (f.token().isComplete() && f.token().getException() == null) {
                synchronized (acked) {
                    acked.set(f.index());
                }
            } else if (f.token().isComplete() || now - f.sentAt() > RESEND_AFTER_MS) {
                pending.addFirst(f.index());
            } else {
                inFlight.add(f);
            }
        }
    }

    private MqttMessage message(int i) {
        long ts = base + i * spacingMs;
        StringBuilder b = new StringBuilder(64 + TAGS * 48).append("{\"unit\":\"").append(unit).append("\",\"ts\":")
                .append(ts).append(",\"values\":{");
        for (int t = 0; t < TAGS; t++) {
            b.append(t == 0 ? "" : ",").append("\"x").append(t).append("\":{\"value\":").append(i + t / 100.0)
                    .append(",\"uom\":\"1\"}");
        }
        MqttMessage m = new MqttMessage(b.append("}}").toString().getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        return m;
    }

    /** Samples whose message the broker acknowledged. */
    long ackedSamples() {
        synchronized (acked) {
            return (long) acked.cardinality() * TAGS;
        }
    }

    /** For failure messages. */
    String describe() {
        return "connected=" + client.isConnected() + " acked=" + ackedSamples() + "/" + (long) total * TAGS
                + " sends=" + sends.get() + " publishErrors=" + publishErrors.get() + " senderAlive="
                + (sender != null && sender.isAlive());
    }

    long sends() {
        return sends.get();
    }

    long publishErrors() {
        return publishErrors.get();
    }

    /** Waits until every message was generated and acknowledged, or the time is up. */
    boolean awaitAllAcked(long timeout, TimeUnit unit) throws InterruptedException {
        sender.join(unit.toMillis(timeout));
        return !sender.isAlive() && ackedSamples() == (long) total * TAGS;
    }

    /** Stops sending now (the acknowledged set stays as it is). */
    void halt() throws InterruptedException {
        stop.set(true);
        if (sender != null) {
            sender.join(10_000);
        }
        synchronized (acked) {
            // a message acknowledged while halting still counts
            for (InFlight f : inFlight) {
                if (f.token().isComplete() && f.token().getException() == null) {
                    acked.set(f.index());
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        halt();
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(5_000);
            }
        } catch (MqttException e) {
            // closing anyway
        }
        client.close(true);
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
