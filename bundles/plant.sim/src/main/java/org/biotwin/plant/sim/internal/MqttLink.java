package org.biotwin.plant.sim.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plant's MQTT v5 connection (Eclipse Paho): QoS 1 publishing from a bounded queue, subscriptions to the
 * setpoint and command topics, reconnect with capped exponential back-off.
 * <p>
 * <b>Never blocks the simulation.</b> {@link #offer} only enqueues (bounded, {@code publish.queue.capacity}); a full
 * queue drops the message and counts it ({@code dropped}). One sender thread connects, resubscribes and publishes with
 * at most {@code min(max.inflight, broker Receive Maximum)} messages awaiting PUBACK. A PUBACK counts
 * {@code published}; a refused or failed publish counts {@code failed}. The session is persistent (clean start off,
 * one hour expiry), so setpoints sent while the plant is disconnected are delivered when it returns, and Paho resends
 * unacknowledged QoS 1 messages after a reconnect.
 * <p>
 * Thread-safe.
 */
final class MqttLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttLink.class);
    private static final long SESSION_EXPIRY_S = 3600;
    private static final long RECONNECT_MIN_MS = 250;
    private static final long RECONNECT_MAX_MS = 15_000;

    /** One message to publish. */
    record Outbound(String topic, byte[] payload, boolean retained) {
    }

    private final String name;
    private final String brokerUri;
    private final MqttAsyncClient client;
    private final List<String> subscriptions;
    private final BiConsumer<String, byte[]> inbound;
    private final BlockingQueue<Outbound> queue;
    private final int maxInflight;
    private final Object window = new Object();
    private final Thread sender;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong connectionLosses = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private int inflight; // guarded by window
    private int windowSize; // guarded by window
    private volatile boolean closing;
    private volatile boolean connected;

    /**
     * @param subscriptions topic filters to subscribe to (QoS 1, no local: the plant never hears itself)
     * @param inbound       called on Paho's thread for each message received; must be quick
     */
    MqttLink(String name, String brokerUri, String clientId, int queueCapacity, int maxInflight,
            List<String> subscriptions, BiConsumer<String, byte[]> inbound) {
        this.name = name;
        this.brokerUri = brokerUri;
        this.subscriptions = List.copyOf(subscriptions);
        this.inbound = inbound;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.maxInflight = maxInflight;
        try {
            this.client = new MqttAsyncClient(brokerUri, clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalArgumentException("Simulated bioreactor " + name + ": MQTT client for " + brokerUri
                    + " cannot be created: " + e.getMessage(), e);
        }
        client.setCallback(new Callback());
        this.sender = new Thread(this::run, "biotwin-plant-" + name + "-mqtt");
        sender.setDaemon(true);
        sender.start();
    }

    /** Queues a message; never blocks. @return false if the queue is full (the message is dropped and counted) */
    boolean offer(String topic, byte[] payload, boolean retained) {
        if (closing) {
            return false;
        }
        if (!queue.offer(new Outbound(topic, payload, retained))) {
            long n = dropped.incrementAndGet();
            if (n == 1 || n % 1000 == 0) {
                LOG.warn("Plant {}: publish queue full ({} messages; broker {} connected: {}); {} messages dropped so far",
                        name, queue.size(), brokerUri, connected, n);
            }
            return false;
        }
        return true;
    }

    boolean connected() {
        return connected;
    }

    /** Counters and gauges: published, failed, dropped, queued, inflight, connects, connection.losses, received. */
    Map<String, Long> counters() {
        int inf;
        synchronized (window) {
            inf = inflight;
        }
        return Map.of("published", published.get(), "failed", failed.get(), "dropped", dropped.get(), "queued",
                (long) queue.size(), "inflight", (long) inf, "connects", connects.get(), "connection.losses",
                connectionLosses.get(), "received", received.get());
    }

    // ---------------------------------------------------------------------------------------------- sender thread

    private void run() {
        long backoff = RECONNECT_MIN_MS;
        Outbound pending = null;
        while (!closing) {
            try {
                if (!client.isConnected()) {
                    connected = false;
                    if (!connect()) {
                        long wait = (long) (backoff * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
                        backoff = Math.min(RECONNECT_MAX_MS, backoff * 2);
                        Thread.sleep(wait);
                        continue;
                    }
                    backoff = RECONNECT_MIN_MS;
                }
                if (pending == null) {
                    pending = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (pending == null) {
                        continue;
                    }
                }
                if (!acquire()) {
                    continue; // window full for 100 ms; check the connection and try again
                }
                if (send(pending)) {
                    pending = null;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.error("Plant {}: unexpected error in the MQTT sender; continuing", name, e);
            }
        }
    }

    private boolean connect() throws InterruptedException {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(false);
        o.setSessionExpiryInterval(SESSION_EXPIRY_S);
        o.setKeepAliveInterval(30);
        o.setConnectionTimeout(10);
        o.setAutomaticReconnect(false); // our loop also covers a failed first connect, and resubscribes
        try {
            IMqttToken t = client.connect(o);
            t.waitForCompletion(11_000);
            MqttProperties props = t.getResponseProperties();
            Integer serverMax = props == null ? null : props.getReceiveMaximum();
            synchronized (window) {
                windowSize = Math.min(maxInflight, serverMax == null || serverMax <= 0 ? 65_535 : serverMax);
                inflight = 0;
                window.notifyAll();
            }
            if (!subscriptions.isEmpty()) {
                MqttSubscription[] subs = subscriptions.stream().map(f -> {
                    MqttSubscription s = new MqttSubscription(f, 1);
                    s.setNoLocal(true);
                    return s;
                }).toArray(MqttSubscription[]::new);
                IMqttToken st = client.subscribe(subs);
                st.waitForCompletion(10_000);
                int[] codes = st.getReasonCodes();
                for (int i = 0; codes != null && i < codes.length; i++) {
                    if (codes[i] >= 0x80) {
                        LOG.error("Plant {}: broker refused the subscription {} (reason code 0x{})", name,
                                subscriptions.get(Math.min(i, subscriptions.size() - 1)), Integer.toHexString(codes[i]));
                    }
                }
            }
            connected = true;
            connects.incrementAndGet();
            LOG.info("Plant {}: connected to {} (receive maximum {}, in-flight window {})", name, brokerUri, serverMax,
                    windowSize);
            return true;
        } catch (MqttException e) {
            LOG.warn("Plant {}: connect to {} failed: {}", name, brokerUri, e.toString());
            try {
                if (client.isConnected()) {
                    client.disconnectForcibly(0, 1000, false);
                }
            } catch (MqttException ignored) {
                // already broken
            }
            return false;
        }
    }

    private boolean acquire() throws InterruptedException {
        synchronized (window) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            while (inflight >= windowSize) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || closing) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(window, left);
            }
            inflight++;
            return true;
        }
    }

    private void release() {
        synchronized (window) {
            if (inflight > 0) {
                inflight--;
            }
            window.notifyAll();
        }
    }

    /** @return whether the message is done with (handed to Paho or failed for good); false = retry it */
    private boolean send(Outbound m) throws InterruptedException {
        MqttMessage msg = new MqttMessage(m.payload());
        msg.setQos(1);
        msg.setRetained(m.retained());
        try {
            client.publish(m.topic(), msg, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    published.incrementAndGet();
                    release();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable exception) {
                    failed.incrementAndGet();
                    LOG.warn("Plant {}: publish to {} failed: {}", name, m.topic(), String.valueOf(exception));
                    release();
                }
            });
            return true;
        } catch (MqttException e) {
            release();
            int code = e.getReasonCode();
            if (code == MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED
                    || code == MqttClientException.REASON_CODE_CONNECTION_LOST
                    || code == MqttClientException.REASON_CODE_MAX_INFLIGHT
                    || code == MqttClientException.REASON_CODE_CLIENT_DISCONNECTING) {
                Thread.sleep(20); // transient: keep the message and retry after the reconnect or a PUBACK
                return false;
            }
            failed.incrementAndGet();
            LOG.warn("Plant {}: publish to {} refused: {}", name, m.topic(), e.toString());
            return true;
        }
    }

    private final class Callback implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse response) {
            connected = false;
            if (!closing) {
                connectionLosses.incrementAndGet();
                LOG.warn("Plant {}: connection to {} lost: {}; reconnecting", name, brokerUri, response);
            }
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("Plant {}: {}", name, exception.toString());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.incrementAndGet();
            try {
                inbound.accept(topic, message.getPayload());
            } catch (RuntimeException e) {
                LOG.error("Plant {}: handling {} failed", name, topic, e);
            }
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // counted by the publish listener
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            // handled by the sender thread
        }

        @Override
        public void authPacketArrived(int reasonCode, @Nullable MqttProperties properties) {
            // no enhanced authentication
        }
    }

    /** Stops the sender, waits up to {@code drainMillis} for queued messages, then disconnects and closes. */
    void close(long drainMillis) {
        long deadline = System.currentTimeMillis() + drainMillis;
        while (connected && !queue.isEmpty() && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        closing = true;
        sender.interrupt();
        try {
            sender.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (client.isConnected()) {
                client.disconnect(2000).waitForCompletion(3000);
            }
        } catch (MqttException e) {
            LOG.debug("Plant {}: disconnect: {}", name, e.toString());
            try {
                client.disconnectForcibly(0, 1000, false);
            } catch (MqttException ignored) {
                // closing anyway
            }
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("Plant {}: close: {}", name, e.toString());
        }
        connected = false;
    }

    @Override
    public void close() {
        close(2000);
    }
}
