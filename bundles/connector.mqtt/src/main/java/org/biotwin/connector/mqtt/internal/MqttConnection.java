package org.biotwin.connector.mqtt.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.biotwin.api.audit.AuditEvent;
import org.biotwin.api.audit.AuditTrail;
import org.biotwin.api.messaging.ConnectionStatus;
import org.biotwin.api.messaging.MessageHandler;
import org.biotwin.api.messaging.PlantWriter;
import org.biotwin.api.sample.RejectReason;
import org.biotwin.api.sample.Sample;
import org.biotwin.api.sample.SampleListener;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to a plant broker: the whole data path of the connector, usable without OSGi (the DS component
 * {@link MqttConnectorComponent} wraps it; tests construct it directly).
 * <p>
 * Inbound, per message: Paho's callback thread only queues it (bounded by the MQTT v5 receive maximum, which the
 * broker honours because nothing is acknowledged early). One ingest thread then takes what has queued up (a chunk of
 * at most {@value #MAX_CHUNK}), routes, decodes, checks and converts each message ({@link MessageProcessor}), stores
 * the chunk's refusals for the dead-letter topic, queues its accepted samples to every {@link SampleListener} and raw
 * messages to matching {@link MessageHandler}s (each with its own bounded queue and thread, waiting when full), and
 * only then acknowledges the chunk's PUBLISHes, in order (manual acks). With a durable listener
 * ({@link SampleListener#DURABLE}) the chunk's acknowledgement waits, in order behind the chunks before it, until
 * every durable listener has returned from {@code onSamples} for its samples. A message for a handler that is not
 * registered waits for one, unacknowledged, for up to {@code handler.grace.s}. With a
 * persistent session (clean start false, fixed client id) a message that was not acknowledged is redelivered after a
 * crash, a disconnect or a reconfiguration. Acknowledgements are sent in arrival order and never across a
 * reconnect (a message received on an earlier connection is left to the broker's redelivery).
 * <p>
 * Outbound ({@link PlantWriter}) and dead letters: appended durably to the {@link ForwardStore} first, then published
 * with QoS 1 in order by a forwarder thread while connected, and removed after the broker's PUBACK.
 * <p>
 * Connection: connect attempts with exponential back-off from {@code reconnect.min.ms} doubling up to
 * {@code reconnect.max.ms} (20 % jitter); after every connect the sample and handler filters are subscribed again.
 * <p>
 * Thread-safe.
 */
public final class MqttConnection implements PlantWriter, ConnectionStatus, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);
    private static final int FORWARD_WINDOW = 16;
    private static final int DEAD_LETTER_PAYLOAD_LIMIT = 16 * 1024;
    /** Messages the ingest thread takes at once (bounded by what has queued up). */
    private static final int MAX_CHUNK = 256;
    /** Pause between chunks while messages keep coming (more than one per chunk), ns; idle adds no latency. */
    private static final long LINGER_NANOS = 500_000;

    private record Inbound(String topic, byte[] payload, int id, int qos, boolean dup, int epoch,
            @Nullable String tsProperty) {
    }

    private record Raw(String topic, byte[] payload) {
    }

    private record ListenerEntry(SampleListener listener, Set<String> units, Dispatcher<Sample> dispatcher) {
    }

    /**
     * One chunk's messages, acknowledged once every durable listener it was queued to has taken its samples and every
     * chunk before it is acknowledged. {@code outstanding} starts at 1, the ingest thread's own hold while it queues.
     */
    private final class AckGroup implements Dispatcher.Completion {
        final List<Inbound> messages;
        final AtomicInteger outstanding = new AtomicInteger(1);
        volatile boolean failed;

        AckGroup(List<Inbound> messages) {
            this.messages = messages;
        }

        @Override
        public void delivered() {
            if (outstanding.decrementAndGet() == 0) {
                releaseAcks();
            }
        }

        @Override
        public void undelivered() {
            failed = true;
            resync("a durable listener was removed before it took " + messages.size() + " message(s)");
        }
    }

    private record HandlerEntry(MessageHandler handler, List<String> filters, Dispatcher<Raw> dispatcher) {
    }

    private final ConnectionSettings settings;
    private final Supplier<@Nullable AuditTrail> audit;
    private final MessageProcessor processor;
    private final Metrics metrics = new Metrics();
    private final ForwardStore store;
    private final MqttAsyncClient client;
    private final MqttConnectionOptions options;
    private final ObjectMapper json = new ObjectMapper();
    private final LinkedBlockingQueue<Inbound> ingest;
    private final CopyOnWriteArrayList<ListenerEntry> listeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<HandlerEntry> handlers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService connector;
    private final Thread ingestThread;
    private final Thread forwarder;
    private final Object forwardSignal = new Object();
    private final Object listenerSignal = new Object();
    private final Object handlerSignal = new Object();
    /** System.nanoTime() until which a message for a missing handler is held (start, or last handler removal). */
    private volatile long handlerGraceEnd;
    private final AtomicInteger epoch = new AtomicInteger();
    private final AtomicBoolean reconnectScheduled = new AtomicBoolean();
    private final AtomicBoolean storeAlarm = new AtomicBoolean();
    /** Chunks in arrival order whose acknowledgement waits for durable listeners (or for those before them). */
    private final java.util.ArrayDeque<AckGroup> ackQueue = new java.util.ArrayDeque<>();
    private final AtomicBoolean resyncScheduled = new AtomicBoolean();
    /** Redeliveries must reach listeners again (after a failed durable delivery); read by the ingest thread. */
    private volatile boolean forgetRecent;
    private volatile boolean connected;
    private volatile boolean closing;
    private int attempts;

    /**
     * Creates the connection and starts connecting in the background.
     *
     * @param audit the audit trail if one is present now (may change over time)
     * @throws IllegalArgumentException for a configuration that cannot work (bad TLS store, unusable store dir)
     */
    public MqttConnection(ConnectionSettings settings, UnitNormalizer units, Clock clock,
            Supplier<@Nullable AuditTrail> audit) {
        this.settings = settings;
        this.audit = audit;
        this.processor = new MessageProcessor(settings, units, clock);
        this.handlerGraceEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.handlerGraceMillis);
        this.ingest = new LinkedBlockingQueue<>(settings.receiveMaximum + 256);
        Path dir = java.util.Objects.requireNonNull(settings.storeDir);
        try {
            this.store = new ForwardStore(dir, settings.storeMaxBytes);
        } catch (IOException e) {
            throw ConnectionSettings.bad("store.dir", "cannot open the store in " + dir + ": " + e);
        }
        this.options = options(settings);
        try {
            this.client = new MqttAsyncClient(settings.brokerUri, settings.clientId, new MemoryPersistence());
        } catch (MqttException e) {
            closeQuietly();
            throw ConnectionSettings.bad("broker.uri", "Paho refuses '" + settings.brokerUri + "': " + e.getMessage());
        }
        client.setManualAcks(true);
        client.setCallback(new Callback());
        String n = settings.name;
        this.connector = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "biotwin-mqtt-" + n + "-connect"));
        this.ingestThread = daemon(this::ingestLoop, "biotwin-mqtt-" + n + "-ingest");
        this.forwarder = daemon(this::forwardLoop, "biotwin-mqtt-" + n + "-forward");
        ingestThread.start();
        forwarder.start();
        LOG.info("MQTT connection starting: {}", settings);
        connector.execute(this::connect);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static MqttConnectionOptions options(ConnectionSettings s) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(false);
        o.setSessionExpiryInterval(s.sessionExpirySeconds);
        o.setKeepAliveInterval(s.keepAliveSeconds);
        o.setConnectionTimeout(s.connectTimeoutSeconds);
        o.setAutomaticReconnect(false); // our own loop: it also covers a failed first connect and resubscribes
        o.setReceiveMaximum(s.receiveMaximum);
        if (!s.username.isEmpty()) {
            o.setUserName(s.username);
        }
        if (s.password.length > 0) {
            o.setPassword(new String(s.password).getBytes(StandardCharsets.UTF_8));
        }
        if (s.brokerUri.startsWith("ssl:")) {
            o.setSocketFactory(sslContext(s).getSocketFactory());
            o.setHttpsHostnameVerificationEnabled(true);
        } else {
            o.setSocketFactory(new BufferedSocketFactory()); // fewer system calls per inbound packet, see there
        }
        return o;
    }

    private static SSLContext sslContext(ConnectionSettings s) {
        try {
            KeyManagerFactory kmf = null;
            if (s.keyStore != null) {
                KeyStore ks = load(s.keyStore, s.keyStoreType, s.keyStorePassword, "tls.keystore.path");
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, s.keyStorePassword);
            }
            TrustManagerFactory tmf = null;
            if (s.trustStore != null) {
                KeyStore ts = load(s.trustStore, s.trustStoreType, s.trustStorePassword, "tls.truststore.path");
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ts);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw ConnectionSettings.bad("tls.keystore.path", "TLS set-up failed: " + e.getMessage());
        }
    }

    private static KeyStore load(Path p, String type, char[] password, String property) {
        try (InputStream in = Files.newInputStream(p)) {
            KeyStore ks = KeyStore.getInstance(type);
            ks.load(in, password);
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw ConnectionSettings.bad(property, "cannot load " + type + " store " + p + " (wrong password or type?): "
                    + e.getMessage());
        }
    }

    // ---------------------------------------------------------------------------------------------- connection

    private void connect() {
        if (closing || client.isConnected()) {
            return;
        }
        try {
            // A new epoch before connecting: messages the broker sends right after CONNACK (redeliveries) belong to
            // this connection and may be acknowledged on it; anything still queued from the last one may not.
            epoch.incrementAndGet();
            IMqttToken t = client.connect(options);
            t.waitForCompletion(settings.connectTimeoutSeconds * 1000L + 1000);
            if (!client.isConnected()) {
                throw new MqttException(org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_CLIENT_TIMEOUT);
            }
            connected = true; // before subscribing: messages may arrive at once and must be acknowledgeable
            subscribe(allFilters());
            attempts = 0;
            metrics.connects.increment();
            LOG.info("MQTT {} connected to {} (session present: {})", settings.name, settings.brokerUri,
                    t.getSessionPresent());
            synchronized (forwardSignal) {
                forwardSignal.notifyAll();
            }
        } catch (MqttException | RuntimeException e) {
            connected = false;
            LOG.warn("MQTT {}: connect to {} failed: {}", settings.name, settings.brokerUri, e.toString());
            try {
                if (client.isConnected()) {
                    client.disconnectForcibly(0, 1000, false);
                }
            } catch (MqttException ignored) {
                // already broken
            }
            scheduleReconnect();
        }
    }

    private void scheduleReconnect() {
        if (closing || !reconnectScheduled.compareAndSet(false, true)) {
            return;
        }
        long base = Math.min(settings.reconnectMaxMillis,
                settings.reconnectMinMillis << Math.min(attempts, 30));
        attempts++;
        long delay = Math.min(settings.reconnectMaxMillis,
                (long) (base * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble())));
        try {
            connector.schedule(() -> {
                reconnectScheduled.set(false);
                connect();
            }, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            reconnectScheduled.set(false); // closing
        }
    }

    private List<String> allFilters() {
        List<String> f = new ArrayList<>(settings.sampleFilters());
        for (HandlerEntry h : handlers) {
            for (String s : h.filters()) {
                if (!f.contains(s)) {
                    f.add(s);
                }
            }
        }
        return f;
    }

    private void subscribe(List<String> filters) throws MqttException {
        if (filters.isEmpty()) {
            return;
        }
        MqttSubscription[] subs = filters.stream().map(f -> new MqttSubscription(f, 1)).toArray(MqttSubscription[]::new);
        IMqttToken t = client.subscribe(subs);
        t.waitForCompletion(settings.connectTimeoutSeconds * 1000L);
        int[] codes = t.getReasonCodes();
        for (int i = 0; codes != null && i < codes.length && i < subs.length; i++) {
            if (codes[i] >= 0x80) {
                throw new MqttException(codes[i], new IllegalStateException(
                        "broker refused the subscription to '" + subs[i].getTopic() + "' with reason code 0x"
                                + Integer.toHexString(codes[i])));
            }
        }
    }

    private final class Callback implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse response) {
            lost(String.valueOf(response));
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("MQTT {}: {}", settings.name, exception.toString());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) throws InterruptedException {
            if (closing) {
                return; // not acknowledged: the broker redelivers it to the next session
            }
            metrics.received.increment();
            String ts = null;
            if (message.getProperties() != null && message.getProperties().getUserProperties() != null) {
                for (UserProperty p : message.getProperties().getUserProperties()) {
                    if ("ts".equals(p.getKey())) {
                        ts = p.getValue();
                    }
                }
            }
            ingest.put(new Inbound(topic, message.getPayload(), message.getId(), message.getQos(),
                    message.isDuplicate(), epoch.get(), ts));
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // the forwarder waits on its tokens
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            // handled in connect()
        }

        @Override
        public void authPacketArrived(int reasonCode, org.eclipse.paho.mqttv5.common.packet.MqttProperties props) {
            // no enhanced authentication
        }
    }

    private void lost(String why) {
        if (closing) {
            return;
        }
        connected = false;
        metrics.connectionLosses.increment();
        LOG.warn("MQTT {}: connection to {} lost: {}; reconnecting", settings.name, settings.brokerUri, why);
        scheduleReconnect();
    }

    // ---------------------------------------------------------------------------------------------- inbound

    /**
     * The ingest thread. It takes whatever has queued up (at most {@value #MAX_CHUNK} messages), processes it in
     * arrival order, then hands the chunk's accepted samples to each listener in one piece, stores its dead letters
     * in one durable append, and only then acknowledges its messages, in order. Under load this turns one hand-off
     * per message into one per chunk; when idle a chunk is a single message, so latency does not grow.
     */
    private void ingestLoop() {
        List<Inbound> chunk = new ArrayList<>(MAX_CHUNK);
        while (!closing) {
            try {
                Inbound first = ingest.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                chunk.add(first);
                ingest.drainTo(chunk, MAX_CHUNK - 1);
                if (forgetRecent) {
                    forgetRecent = false;
                    processor.forgetRecent();
                }
                for (Inbound m : chunk) {
                    if (closing) {
                        return; // nothing more is acknowledged; the broker redelivers the rest
                    }
                    try {
                        if (handle(m)) {
                            pending.ack.add(m);
                        }
                    } catch (RuntimeException e) {
                        // A bug must not stop ingestion; the message stays unacknowledged and comes back.
                        LOG.error("MQTT {}: unexpected error while handling a message; it will be redelivered",
                                settings.name, e);
                    }
                }
                flush();
                if (chunk.size() > 1 && ingest.isEmpty()) {
                    // Under load, let the next chunk gather instead of being woken per message: on a loaded 2-core VM
                    // a thread wake-up costs more than handling a message (see the load harness README).
                    java.util.concurrent.locks.LockSupport.parkNanos(LINGER_NANOS);
                }
            } catch (InterruptedException e) {
                return; // closing: whatever was not acknowledged is redelivered
            } catch (RuntimeException e) {
                LOG.error("MQTT {}: unexpected error while delivering a chunk; its messages will be redelivered",
                        settings.name, e);
                pending.clear();
            } finally {
                chunk.clear();
            }
        }
    }

    /** What the ingest thread has processed and not yet handed over and acknowledged. Ingest thread only. */
    private static final class Pending {
        final List<Sample> accepted = new ArrayList<>();
        final List<ForwardStore.Message> letters = new ArrayList<>();
        final List<Inbound> ack = new ArrayList<>();

        void clear() {
            accepted.clear();
            letters.clear();
            ack.clear();
        }
    }

    private final Pending pending = new Pending();

    /**
     * Hands the pending samples to every listener and the dead letters to the store, then acknowledges: at once if no
     * durable listener took samples of this chunk (and every chunk before it is acknowledged), else when the last
     * durable listener has returned for them.
     */
    private void flush() throws InterruptedException {
        if (!pending.letters.isEmpty()) {
            storeDeadLetters(new ArrayList<>(pending.letters));
        }
        AckGroup group = new AckGroup(pending.ack.isEmpty() ? List.of() : new ArrayList<>(pending.ack));
        synchronized (ackQueue) {
            ackQueue.add(group);
        }
        try {
            if (!pending.accepted.isEmpty()) {
                queueToListeners(List.copyOf(pending.accepted), group); // shared read-only by every listener
            }
        } catch (InterruptedException | RuntimeException e) {
            group.failed = true; // nothing of it is acknowledged: closing, or a bug (then its messages come back)
            if (e instanceof RuntimeException) {
                resync("delivering a chunk failed: " + e);
            }
            throw e;
        } finally {
            pending.clear();
        }
        group.delivered(); // the ingest thread's own hold
    }

    /**
     * Listeners with room first, so that a full (slow) one delays the others only once it is full; then waits for the
     * full ones (back-pressure). Each listener still gets the chunks in arrival order.
     */
    private void queueToListeners(List<Sample> accepted, AckGroup group) throws InterruptedException {
        List<ListenerEntry> full = null;
        List<List<Sample>> fullItems = null;
        for (ListenerEntry l : listeners) {
            List<Sample> mine = filter(accepted, l.units());
            Dispatcher.Completion completion = holdFor(group, l, mine);
            try {
                if (!l.dispatcher().tryEnqueue(mine, completion)) {
                    if (full == null) {
                        full = new ArrayList<>(2);
                        fullItems = new ArrayList<>(2);
                    }
                    full.add(l);
                    fullItems.add(mine);
                }
            } catch (IllegalStateException e) {
                abandon(completion); // the listener was removed meanwhile
            }
        }
        for (int i = 0; full != null && i < full.size(); i++) {
            ListenerEntry l = full.get(i);
            Dispatcher.Completion completion = l.dispatcher().durable() ? group : null;
            try {
                l.dispatcher().enqueue(fullItems.get(i), completion);
            } catch (IllegalStateException e) {
                abandon(completion); // the listener was removed meanwhile
            }
        }
    }

    /** The completion a listener's queue entry carries: the group for a durable listener (one more hold), else none. */
    private static Dispatcher.@Nullable Completion holdFor(AckGroup group, ListenerEntry l, List<Sample> items) {
        if (!l.dispatcher().durable() || items.isEmpty()) {
            return null;
        }
        group.outstanding.incrementAndGet();
        return group;
    }

    /** A durable listener went before it could take its share: those messages must come back from the broker. */
    private static void abandon(Dispatcher.@Nullable Completion completion) {
        if (completion != null) {
            completion.undelivered();
        }
    }

    /** Whether some chunk waits for a durable listener (and is not given up). */
    private boolean acksOutstanding() {
        synchronized (ackQueue) {
            AckGroup head = ackQueue.peek();
            return head != null && !head.failed;
        }
    }

    /**
     * Acknowledges the complete chunks at the head of the queue, in arrival order; stops at the first that is not
     * complete, and at a failed one (its messages come back after the resync, which also clears the queue).
     */
    private void releaseAcks() {
        synchronized (ackQueue) {
            AckGroup head;
            while ((head = ackQueue.peek()) != null && head.outstanding.get() == 0 && !head.failed) {
                ackQueue.poll();
                for (Inbound m : head.messages) {
                    ack(m);
                }
            }
        }
    }

    /**
     * A durable listener will never take some samples (removed before it did): so that the broker redelivers them,
     * start a new connection without acknowledging anything more on this one, and let the ingest thread forget the
     * accepted keys so that the redeliveries reach the listeners again rather than count as duplicates.
     */
    private void resync(String why) {
        if (closing || !resyncScheduled.compareAndSet(false, true)) {
            return;
        }
        LOG.warn("MQTT {}: {}; reconnecting so that the broker redelivers what is not acknowledged", settings.name,
                why);
        runOnConnector(() -> {
            resyncScheduled.set(false);
            synchronized (ackQueue) {
                epoch.incrementAndGet(); // nothing received so far is acknowledged any more
                ackQueue.clear();
            }
            forgetRecent = true;
            connected = false;
            try {
                if (client.isConnected()) {
                    client.disconnectForcibly(0, 1000, false);
                }
            } catch (MqttException e) {
                LOG.debug("MQTT {}: disconnect for resync: {}", settings.name, e.toString());
            }
            metrics.connectionLosses.increment();
            connect();
        }, 0);
    }

    /** Topic -> matching handlers, for the handler set of {@link #handlersVersion}. Ingest thread only. */
    private final Map<String, List<HandlerEntry>> handlerRoutes = new java.util.HashMap<>();
    private int handlerRoutesVersion = -1;
    private final AtomicInteger handlersVersion = new AtomicInteger();

    private List<HandlerEntry> matchingHandlers(String topic) {
        int version = handlersVersion.get();
        if (version != handlerRoutesVersion || handlerRoutes.size() >= 65_536) {
            handlerRoutes.clear();
            handlerRoutesVersion = version;
        }
        List<HandlerEntry> cached = handlerRoutes.get(topic);
        if (cached == null) {
            cached = computeMatchingHandlers(topic);
            handlerRoutes.put(topic, cached);
        }
        return cached;
    }

    private List<HandlerEntry> computeMatchingHandlers(String topic) {
        List<HandlerEntry> matching = List.of();
        for (HandlerEntry h : handlers) {
            for (String f : h.filters()) {
                if (TopicFilters.matches(f, topic)) {
                    if (matching.isEmpty()) {
                        matching = new ArrayList<>(2);
                    }
                    matching.add(h);
                    break;
                }
            }
        }
        return matching;
    }

    /**
     * Waits until a handler for the topic is registered or the grace period (from the start of the connection or
     * the last handler removal) has passed.
     *
     * @return the matching handlers (empty once the grace has passed), or {@code null} when closing
     */
    private @Nullable List<HandlerEntry> awaitHandler(String topic) throws InterruptedException {
        boolean counted = false;
        synchronized (handlerSignal) {
            while (true) {
                List<HandlerEntry> matching = matchingHandlers(topic);
                if (!matching.isEmpty()) {
                    return matching;
                }
                if (closing) {
                    return null;
                }
                long left = handlerGraceEnd - System.nanoTime();
                if (left <= 0) {
                    return matching;
                }
                if (!counted) {
                    counted = true;
                    metrics.waitingForHandler.increment();
                    LOG.info("MQTT {}: no MessageHandler for '{}' yet; holding it unacknowledged for up to {} ms",
                            settings.name, topic, TimeUnit.NANOSECONDS.toMillis(left));
                }
                handlerSignal.wait(Math.max(1, Math.min(200, TimeUnit.NANOSECONDS.toMillis(left))));
            }
        }
    }

    /** @return whether the message may be acknowledged */
    private boolean handle(Inbound m) throws InterruptedException {
        if (m.topic().equals(settings.deadLetterTopic)) {
            return true; // our own dead letter, if some filter overlaps it
        }
        List<HandlerEntry> matching = matchingHandlers(m.topic());
        boolean sampleTopic = processor.isSampleTopic(m.topic());
        if (!sampleTopic && matching.isEmpty()) {
            // Only sample and handler filters are subscribed: this message is for a handler that is not (yet, or
            // no longer) registered. Hold it unacknowledged for the grace period rather than dead-letter it.
            flush();
            matching = awaitHandler(m.topic());
            if (matching == null) {
                return false; // closing: the broker redelivers it
            }
        }
        for (HandlerEntry h : matching) {
            h.dispatcher().enqueue(List.of(new Raw(m.topic(), m.payload())));
            metrics.handlerMessages.increment();
        }
        if (!sampleTopic && !matching.isEmpty()) {
            return true;
        }
        if (sampleTopic && settings.requireListener && listeners.isEmpty()) {
            flush(); // what came before is delivered and acknowledged; this one waits
            metrics.waitingForListener.increment();
            LOG.warn("MQTT {}: no SampleListener registered; holding messages unacknowledged until one is", settings.name);
            synchronized (listenerSignal) {
                while (listeners.isEmpty()) {
                    if (closing) {
                        return false;
                    }
                    listenerSignal.wait(200);
                }
            }
        }
        MessageProcessor.Result r = processor.process(m.topic(), m.payload(), m.tsProperty());
        for (MessageProcessor.Rejection rej : r.rejected()) {
            metrics.reject(rej.reason());
            if (rej.reason() == RejectReason.DUPLICATE && m.dup()) {
                metrics.redeliveredDuplicates.increment(); // a QoS 1 redelivery of what we already handed over
                continue;
            }
            pending.letters.add(new ForwardStore.Message(0, settings.deadLetterTopic, deadLetter(m, rej), false));
        }
        List<Sample> accepted = r.accepted();
        if (!accepted.isEmpty()) {
            metrics.accepted.add(accepted.size());
            pending.accepted.addAll(accepted);
        }
        return true;
    }

    private static List<Sample> filter(List<Sample> samples, Set<String> units) {
        if (units.isEmpty()) {
            return samples;
        }
        List<Sample> out = null;
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            if (!units.contains(s.unitId())) {
                if (out == null) {
                    out = new ArrayList<>(samples.subList(0, i));
                }
            } else if (out != null) {
                out.add(s);
            }
        }
        return out == null ? samples : out;
    }

    private void ack(Inbound m) {
        if (m.qos() == 0) {
            return;
        }
        if (m.epoch() != epoch.get()) {
            return; // received on an earlier connection: the broker redelivers it
        }
        try {
            client.messageArrivedComplete(m.id(), m.qos());
            metrics.acked.increment();
        } catch (MqttException | RuntimeException e) {
            // the connection broke meanwhile; the broker redelivers the message on the next one
            LOG.debug("MQTT {}: acknowledging message {} failed: {}", settings.name, m.id(), e.toString());
        }
    }

    private byte[] deadLetter(Inbound m, MessageProcessor.Rejection rej) {
        ObjectNode o = json.createObjectNode();
        o.put("connection", settings.name);
        o.put("topic", m.topic());
        o.put("reason", rej.reason().name());
        o.put("detail", rej.detail());
        if (rej.unit() != null) {
            o.put("unit", rej.unit());
        }
        if (rej.tag() != null) {
            o.put("tag", rej.tag());
        }
        o.put("receivedAt", java.time.Instant.now().toString());
        o.put("payloadBytes", m.payload().length);
        byte[] p = m.payload().length > DEAD_LETTER_PAYLOAD_LIMIT
                ? Arrays.copyOf(m.payload(), DEAD_LETTER_PAYLOAD_LIMIT) : m.payload();
        if (p.length != m.payload().length) {
            o.put("payloadTruncated", true);
        }
        try {
            o.put("payload", StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(p)).toString());
        } catch (CharacterCodingException e) {
            o.put("payloadBase64", Base64.getEncoder().encodeToString(p));
        }
        try {
            return json.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void storeDeadLetters(List<ForwardStore.Message> letters) {
        try {
            store.append(letters);
            metrics.deadLetters.add(letters.size());
            storeAlarm.set(false);
            signalForwarder();
        } catch (ForwardStore.FullException e) {
            metrics.deadLettersUnstored.add(letters.size());
            alarm(e.getMessage() + "; " + letters.size() + " dead letter(s) could not be stored (their rejects are "
                    + "counted)");
        } catch (IOException e) {
            metrics.deadLettersUnstored.add(letters.size());
            LOG.error("MQTT {}: writing {} dead letter(s) to the store failed", settings.name, letters.size(), e);
        }
    }

    // ---------------------------------------------------------------------------------------------- outbound

    @Override
    public void publish(String topic, byte[] payload, boolean retained) {
        if (topic == null || topic.isEmpty() || topic.contains("+") || topic.contains("#") || topic.startsWith("$")) {
            throw new IllegalArgumentException("'" + topic + "' is not a publishable MQTT topic name");
        }
        if (closing) {
            throw new IllegalStateException("MQTT connection " + settings.name + " is closed");
        }
        try {
            store.append(List.of(new ForwardStore.Message(0, topic, payload.clone(), retained)));
            storeAlarm.set(false);
        } catch (ForwardStore.FullException e) {
            alarm(e.getMessage());
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("MQTT " + settings.name + ": cannot write the outbound store: " + e, e);
        }
        signalForwarder();
    }

    private void alarm(String message) {
        metrics.storeFull.increment();
        if (!storeAlarm.compareAndSet(false, true)) {
            return; // one log line and audit entry per episode; every refusal is counted
        }
        LOG.error("ALARM MQTT {}: {}", settings.name, message);
        AuditTrail trail = audit.get();
        if (trail != null) {
            try {
                trail.append(new AuditEvent("system:connector.mqtt", "mqtt.store.full", "mqtt-connection",
                        settings.name, message, null, null));
            } catch (RuntimeException e) {
                LOG.error("MQTT {}: the audit trail refused the store-full alarm", settings.name, e);
            }
        }
    }

    private void signalForwarder() {
        synchronized (forwardSignal) {
            forwardSignal.notifyAll();
        }
    }

    private void forwardLoop() {
        while (!closing) {
            try {
                List<ForwardStore.Message> batch = connected ? store.peek(FORWARD_WINDOW) : List.of();
                if (batch.isEmpty()) {
                    synchronized (forwardSignal) {
                        forwardSignal.wait(200);
                    }
                    continue;
                }
                long lastAcked = -1;
                List<IMqttToken> tokens = new ArrayList<>(batch.size());
                try {
                    for (ForwardStore.Message m : batch) {
                        tokens.add(client.publish(m.topic(), m.payload(), 1, m.retained()));
                    }
                } catch (MqttException e) {
                    if (e.getReasonCode() != org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                        LOG.debug("MQTT {}: publish failed: {}", settings.name, e.toString());
                    }
                }
                for (int i = 0; i < tokens.size(); i++) {
                    IMqttToken t = tokens.get(i);
                    try {
                        t.waitForCompletion(30_000);
                    } catch (MqttException e) {
                        break;
                    }
                    int[] codes = t.getReasonCodes();
                    if (!t.isComplete() || t.getException() != null || codes != null && codes.length > 0 && codes[0] >= 0x80) {
                        LOG.error("MQTT {}: broker refused '{}' (reason {}); retrying, nothing is dropped",
                                settings.name, batch.get(i).topic(), codes == null ? "?" : codes[0]);
                        break;
                    }
                    lastAcked = batch.get(i).seq();
                }
                if (lastAcked >= 0) {
                    store.ackThrough(lastAcked);
                    metrics.published.add(lastAcked - batch.get(0).seq() + 1);
                }
                if (lastAcked < batch.get(batch.size() - 1).seq()) {
                    Thread.sleep(100); // not connected, in-flight window full, or refused: try again shortly
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.error("MQTT {}: forwarding from the store failed; retrying", settings.name, e);
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- whiteboard

    /** Adds a listener that is not durable; {@code units} empty means all units. */
    public void addSampleListener(SampleListener listener, Set<String> units) {
        addSampleListener(listener, units, false);
    }

    /**
     * Adds a sample listener; {@code units} empty means all units. A durable one holds back the acknowledgement of
     * its samples until it has returned for them, and gets them again when it throws ({@link SampleListener#DURABLE}).
     */
    public void addSampleListener(SampleListener listener, Set<String> units, boolean durable) {
        Dispatcher<Sample> d = new Dispatcher<>("biotwin-mqtt-" + settings.name + "-listener-" + listeners.size(),
                settings.listenerQueueCapacity, 4096, listener::onSamples, durable, metrics.backPressure,
                metrics.listenerErrors);
        listeners.add(new ListenerEntry(listener, Set.copyOf(units), d));
        synchronized (listenerSignal) {
            listenerSignal.notifyAll();
        }
    }

    /** Removes a listener after delivering what is queued for it (waiting at most 2 s). */
    public void removeSampleListener(SampleListener listener) {
        for (ListenerEntry e : listeners) {
            if (e.listener() == listener) {
                listeners.remove(e);
                e.dispatcher().close(2000);
            }
        }
    }

    /** Adds a raw message handler for the given topic filters and subscribes to them. */
    public void addMessageHandler(MessageHandler handler, List<String> filters) {
        for (String f : filters) {
            if (!TopicFilters.isValidFilter(f)) {
                throw new IllegalArgumentException("'" + f + "' is not a valid MQTT topic filter ("
                        + MessageHandler.TOPICS + ")");
            }
        }
        Dispatcher<Raw> d = new Dispatcher<>("biotwin-mqtt-" + settings.name + "-handler-" + handlers.size(),
                Math.max(1, settings.listenerQueueCapacity / 10), 1, batch -> deliver(handler, batch),
                metrics.backPressure, metrics.listenerErrors);
        handlers.add(new HandlerEntry(handler, List.copyOf(filters), d));
        handlersVersion.incrementAndGet();
        synchronized (handlerSignal) {
            handlerSignal.notifyAll();
        }
        runOnConnector(() -> {
            if (connected) {
                try {
                    subscribe(List.copyOf(filters));
                } catch (MqttException e) {
                    // A later reconnect subscribes every filter again; until then say so loudly.
                    LOG.error("MQTT {}: subscribing {} failed: {}", settings.name, filters, e.toString());
                }
            }
        }, 0);
    }

    /** Runs a task on the connection thread, unless closing (then the session keeps the subscriptions). */
    private void runOnConnector(Runnable task, long delayMillis) {
        if (closing) {
            return;
        }
        try {
            connector.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private void deliver(MessageHandler handler, List<Raw> batch) {
        for (Raw r : batch) {
            try {
                handler.onMessage(r.topic(), r.payload());
            } catch (RuntimeException e) {
                metrics.reject(RejectReason.HANDLER_REJECTED);
                Inbound fake = new Inbound(r.topic(), r.payload(), 0, 0, false, 0, null);
                storeDeadLetters(List.of(new ForwardStore.Message(0, settings.deadLetterTopic, deadLetter(fake,
                        new MessageProcessor.Rejection(RejectReason.HANDLER_REJECTED, String.valueOf(e.getMessage()),
                                null, null)), false)));
            }
        }
    }

    /**
     * Removes a handler. Its messages already queued are delivered (waiting at most 2 s). Filters no longer wanted by
     * any handler stay subscribed for the grace period ({@code handler.grace.s}), while their messages wait
     * unacknowledged for a handler (a restarting handler bundle loses nothing), and are unsubscribed after it.
     */
    public void removeMessageHandler(MessageHandler handler) {
        for (HandlerEntry e : handlers) {
            if (e.handler() == handler) {
                handlers.remove(e);
                handlersVersion.incrementAndGet();
                handlerGraceEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.handlerGraceMillis);
                e.dispatcher().close(2000);
                runOnConnector(() -> {
                    Set<String> still = new HashSet<>(allFilters());
                    List<String> gone = e.filters().stream().filter(f -> !still.contains(f)).toList();
                    if (gone.isEmpty() || !connected) {
                        return; // wanted again, or the next connect subscribes only what is wanted
                    }
                    try {
                        client.unsubscribe(gone.toArray(String[]::new)).waitForCompletion(5000);
                    } catch (MqttException ex) {
                        LOG.warn("MQTT {}: unsubscribing {} failed: {}", settings.name, gone, ex.toString());
                    }
                }, settings.handlerGraceMillis);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- status

    @Override
    public String name() {
        return settings.name;
    }

    @Override
    public boolean connected() {
        return connected;
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("connected", connected ? 1L : 0L);
        c.put("received", metrics.received.sum());
        c.put("acked", metrics.acked.sum());
        c.put("accepted", metrics.accepted.sum());
        c.put("rejected", metrics.rejected.sum());
        c.put("redelivered.duplicates", metrics.redeliveredDuplicates.sum());
        c.put("ingest.queued", (long) ingest.size());
        c.put("listeners", (long) listeners.size());
        c.put("listener.queued", listeners.stream().mapToLong(l -> l.dispatcher().queued()).sum());
        c.put("listener.errors", metrics.listenerErrors.sum());
        synchronized (ackQueue) {
            c.put("acks.waiting", ackQueue.stream().mapToLong(g -> g.messages.size()).sum());
        }
        c.put("backpressure.events", metrics.backPressure.sum());
        c.put("waiting.for.listener", metrics.waitingForListener.sum());
        c.put("waiting.for.handler", metrics.waitingForHandler.sum());
        c.put("handlers", (long) handlers.size());
        c.put("handler.messages", metrics.handlerMessages.sum());
        c.put("deadletters", metrics.deadLetters.sum());
        c.put("deadletters.unstored", metrics.deadLettersUnstored.sum());
        c.put("published", metrics.published.sum());
        c.put("store.records", store.pending());
        c.put("store.bytes", store.bytes());
        c.put("store.max.bytes", store.maxBytes());
        c.put("store.full", metrics.storeFull.sum());
        c.put("connects", metrics.connects.sum());
        c.put("connection.losses", metrics.connectionLosses.sum());
        return c;
    }

    @Override
    public Map<RejectReason, Long> rejects() {
        return metrics.rejects();
    }

    // ---------------------------------------------------------------------------------------------- close

    /**
     * Stops: no further message is acknowledged (unacknowledged ones stay in the broker's session), samples already
     * acknowledged are delivered to the listeners (waiting up to 10 s each), the client disconnects, and the store is
     * closed with whatever is not yet forwarded kept on disk.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        ingestThread.interrupt();
        join(ingestThread);
        connector.shutdownNow();
        // What durable listeners are still storing is acknowledged when they return, if within 10 s; else the broker
        // redelivers it to the next session.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (connected && acksOutstanding() && System.nanoTime() < until) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            if (client.isConnected()) {
                client.disconnect(2000).waitForCompletion(3000);
            }
        } catch (MqttException e) {
            try {
                client.disconnectForcibly(0, 1000, false);
            } catch (MqttException ignored) {
                // nothing more to do
            }
        }
        connected = false;
        for (ListenerEntry l : listeners) {
            l.dispatcher().close(10_000);
        }
        for (HandlerEntry h : handlers) {
            h.dispatcher().close(10_000);
        }
        forwarder.interrupt();
        join(forwarder);
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("MQTT {}: close: {}", settings.name, e.toString());
        }
        closeQuietly();
        LOG.info("MQTT connection {} closed; {} message(s) wait in the store", settings.name, store.pending());
    }

    private void closeQuietly() {
        try {
            store.close();
        } catch (IOException e) {
            LOG.warn("MQTT {}: closing the store: {}", settings.name, e.toString());
        }
    }

    private static void join(Thread t) {
        try {
            t.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
