package org.biotwin.connector.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.biotwin.connector.mqtt.internal.TestClients.awaitSubscribed;
import static org.biotwin.connector.mqtt.internal.TestClients.awaitTrue;
import static org.biotwin.connector.mqtt.internal.TestClients.pub;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.biotwin.api.messaging.MessageHandler;
import org.biotwin.api.sample.Quality;
import org.biotwin.api.sample.RejectReason;
import org.biotwin.api.sample.Sample;
import org.biotwin.connector.mqtt.internal.TestClients.DeadLetters;
import org.biotwin.connector.mqtt.internal.TestClients.Recorder;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Behaviour of the connector against a real broker; run once per broker by the subclasses. Each test uses its own
 * client ids and topics' dead-letter topic so that tests do not see each other's sessions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConnectorContractTest {

    protected Broker broker;
    @TempDir
    Path tmp;

    abstract Broker newBroker(Path dir) throws Exception;

    /**
     * Whether the broker spreads shared-subscription messages over all members (Mosquitto: round robin). HiveMQ may
     * give all messages to one member while it keeps up; there only completeness and no overlap are checked.
     */
    boolean splitsEvenly() {
        return true;
    }

    @BeforeAll
    void startBroker(@TempDir Path brokerDir) throws Exception {
        broker = newBroker(brokerDir);
    }

    @AfterAll
    void stopBroker() throws Exception {
        broker.close();
    }

    /** Unique per test: client ids, topics and the dead-letter topic. */
    protected String id;

    @org.junit.jupiter.api.BeforeEach
    void name(TestInfo info) {
        String m = info.getTestMethod().orElseThrow().getName();
        id = getClass().getSimpleName().substring(0, 4) + "-" + m.substring(0, Math.min(24, m.length())) + "-"
                + Long.toHexString(System.nanoTime() & 0xffffff);
    }

    protected Map<String, Object> config() {
        return TestClients.baseConfig(broker.uri(), id, tmp.resolve("store-" + id));
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    @Test
    void jsonSingleBatchArrayAndPlainPayloadsAreNormalisedToTheDeclaredUnits() throws Exception {
        Recorder rec = new Recorder(0);
        try (MqttConnection c = TestClients.open(config())) {
            c.addSampleListener(rec, Set.of());
            awaitSubscribed(c);
            MqttClient p = TestClients.client(broker.uri(), "pub-" + id);
            Instant t0 = Instant.now().minusSeconds(10).truncatedTo(ChronoUnit.MILLIS);
            pub(p, "plant/BR-101/T", "{\"ts\":\"" + t0 + "\",\"value\":98.6,\"uom\":\"[degF]\",\"quality\":\"GOOD\"}");
            pub(p, "plant/BR-102", "{\"unit\":\"BR-102\",\"ts\":" + t0.toEpochMilli() + ",\"values\":{"
                    + "\"DO\":{\"value\":41.5,\"uom\":\"%\"},"
                    + "\"glucose\":{\"value\":2500,\"uom\":\"mg/L\",\"quality\":\"UNCERTAIN\"},"
                    + "\"feed\":{\"value\":25,\"uom\":\"mL/min\"},"
                    + "\"pH\":{\"value\":7.02,\"uom\":\"[pH]\"}}}");
            pub(p, "plant/BR-101", "[{\"tag\":\"weight\",\"ts\":\"" + t0 + "\",\"value\":1500,\"uom\":\"g\"},"
                    + "{\"tag\":\"DO\",\"ts\":\"" + t0.plusMillis(1) + "\",\"value\":0.4,\"uom\":\"1\"}]");
            pub(p, "plant/BR-101/T", "36.8");
            pub(p, "plant/BR-102/T", "37.25".getBytes(StandardCharsets.UTF_8), t0.plusSeconds(1).toString());
            pub(p, "site/plc7/ai3", " 37.1 ");
            pub(p, "plant/BR-101/T", "{\"ts\":\"" + t0.plusMillis(5) + "\",\"value\":310.15,\"uom\":\"K\"}");
            p.disconnect();
            p.close();
            awaitTrue("11 samples", Duration.ofSeconds(10), () -> rec.size() >= 11);
            Thread.sleep(200);
            List<Sample> s = rec.snapshot();
            assertThat(s).hasSize(11);
            assertThat(find(s, "BR-101", "T", t0).value()).isCloseTo(37.0, within());
            assertThat(find(s, "BR-101", "T", t0).uom()).isEqualTo("Cel");
            assertThat(find(s, "BR-102", "DO", t0).value()).isCloseTo(41.5, within());
            Sample glc = find(s, "BR-102", "glucose", t0);
            assertThat(glc.value()).isCloseTo(2.5, within());
            assertThat(glc.uom()).isEqualTo("g/L");
            assertThat(glc.quality()).isEqualTo(Quality.UNCERTAIN);
            assertThat(find(s, "BR-102", "feed", t0).value()).isCloseTo(1.5, within()); // 25 mL/min = 1.5 L/h
            assertThat(find(s, "BR-102", "pH", t0).value()).isCloseTo(7.02, within());
            assertThat(find(s, "BR-101", "weight", t0).value()).isCloseTo(1.5, within());
            assertThat(find(s, "BR-101", "DO", t0.plusMillis(1)).value()).isCloseTo(40.0, within()); // 0.4 (1) = 40 %
            assertThat(find(s, "BR-102", "T", t0.plusSeconds(1)).value()).isCloseTo(37.25, within()); // ts property
            assertThat(find(s, "BR-101", "T", t0.plusMillis(5)).value()).isCloseTo(37.0, within());
            assertThat(s.stream().filter(x -> x.unitId().equals("BR-101") && x.tag().equals("T"))
                    .map(Sample::value).toList()).contains(36.8, 37.1);
            assertThat(c.counters().get("rejected")).isZero();
            assertThat(c.counters().get("accepted")).isEqualTo(11L);
            awaitTrue("all acknowledged", Duration.ofSeconds(5), () -> c.counters().get("acked") == 7L);
        }
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }

    private static Sample find(List<Sample> s, String unit, String tag, Instant ts) {
        return s.stream().filter(x -> x.unitId().equals(unit) && x.tag().equals(tag) && x.timestamp().equals(ts))
                .findFirst().orElseThrow(() -> new AssertionError("no sample " + unit + "/" + tag + " at " + ts + " in " + s));
    }

    /** One bad payload and the reason it must be refused with. */
    record Bad(String kind, String topic, byte[] payload, RejectReason reason) {
        Bad(String kind, String topic, String payload, RejectReason reason) {
            this(kind, topic, payload.getBytes(StandardCharsets.UTF_8), reason);
        }
    }

    static List<Bad> corpus() {
        String n = now();
        String future = Instant.now().plus(1, ChronoUnit.HOURS).toString();
        String old = Instant.now().minus(30, ChronoUnit.DAYS).toString();
        List<Bad> b = new ArrayList<>();
        b.add(new Bad("empty payload", "plant/BR-101/T", "", RejectReason.EMPTY_PAYLOAD));
        b.add(new Bad("oversize payload", "plant/BR-101/T", "{\"x\":\"" + "a".repeat(5000) + "\"}", RejectReason.OVERSIZE_PAYLOAD));
        b.add(new Bad("invalid UTF-8", "plant/BR-101/T", new byte[] {(byte) 0xC3, (byte) 0x28, '1'}, RejectReason.NOT_UTF8));
        b.add(new Bad("truncated JSON", "plant/BR-101/T", "{\"ts\":", RejectReason.MALFORMED_JSON));
        b.add(new Bad("duplicate JSON key", "plant/BR-101/T", "{\"ts\":\"" + n + "\",\"value\":1,\"value\":2,\"uom\":\"Cel\"}", RejectReason.MALFORMED_JSON));
        b.add(new Bad("trailing garbage", "plant/BR-101/T", "{\"ts\":\"" + n + "\",\"value\":1,\"uom\":\"Cel\"} x", RejectReason.MALFORMED_JSON));
        b.add(new Bad("plain text", "plant/BR-101/T", "hot", RejectReason.MALFORMED_NUMBER));
        b.add(new Bad("quoted number", "plant/BR-101/T", "\"36.8\"", RejectReason.MALFORMED_NUMBER));
        b.add(new Bad("missing ts", "plant/BR-101/T", "{\"value\":36.8,\"uom\":\"Cel\"}", RejectReason.MISSING_FIELD));
        b.add(new Bad("missing value", "plant/BR-101/T", "{\"ts\":\"" + n + "\",\"uom\":\"Cel\"}", RejectReason.MISSING_FIELD));
        b.add(new Bad("missing uom", "plant/BR-101/T", "{\"ts\":\"" + n + "\",\"value\":36.8}", RejectReason.MISSING_FIELD));
        b.add(new Bad("missing tag", "plant/BR-101", "{\"ts\":\"" + n + "\",\"value\":36.8,\"uom\":\"Cel\"}", RejectReason.MISSING_FIELD));
        b.add(new Bad("string value", "plant/BR-101/T", "{\"ts\":\"" + n + "\",\"value\":\"36.8\",\"uom\":\"Cel\"}", RejectReason.WRONG_TYPE));
        b.add(new Bad("boolean value", "plant/BR-101/T", "{\"ts\":\"" + n + "\",\"value\":true,\"uom\":\"Cel\"}", RejectReason.WRONG_TYPE));
        b.add(new Bad("object ts", "plant/BR-101/T", "{\"ts\":{},\"value\":1,\"uom\":\"Cel\"}", RejectReason.WRONG_TYPE));
        b.add(new Bad("numeric uom", "plant/BR-101/T", "{\"ts\":\"" + n + "\",\"value\":1,\"uom\":5}", RejectReason.WRONG_TYPE));
        b.add(new Bad("NaN literal", "plant/BR-101/T", "{\"ts\":\"" + n + "\",\"value\":NaN,\"uom\":\"Cel\"}", RejectReason.NON_FINITE_VALUE));
        b.add(new Bad("Infinity string", "plant/BR-101/T", "{\"ts\":\"" + n + "\",\"value\":\"-Infinity\",\"uom\":\"Cel\"}", RejectReason.NON_FINITE_VALUE));
        b.add(new Bad("overflowing number", "plant/BR-101/T", "{\"ts\":\"" + n + "\",\"value\":1e400,\"uom\":\"Cel\"}", RejectReason.NON_FINITE_VALUE));
        b.add(new Bad("plain NaN", "plant/BR-101/T", "NaN", RejectReason.NON_FINITE_VALUE));
        b.add(new Bad("unparseable ts", "plant/BR-101/T", "{\"ts\":\"yesterday\",\"value\":1,\"uom\":\"Cel\"}", RejectReason.INVALID_TIMESTAMP));
        b.add(new Bad("local ts without offset", "plant/BR-101/T", "{\"ts\":\"2026-01-01T10:00:00\",\"value\":1,\"uom\":\"Cel\"}", RejectReason.INVALID_TIMESTAMP));
        b.add(new Bad("fractional epoch", "plant/BR-101/T", "{\"ts\":1.5e12,\"value\":1,\"uom\":\"Cel\"}", RejectReason.INVALID_TIMESTAMP));
        b.add(new Bad("ts far in the future", "plant/BR-101/T", "{\"ts\":\"" + future + "\",\"value\":1,\"uom\":\"Cel\"}", RejectReason.TIMESTAMP_IN_FUTURE));
        b.add(new Bad("ts far in the past", "plant/BR-101/T", "{\"ts\":\"" + old + "\",\"value\":1,\"uom\":\"Cel\"}", RejectReason.TIMESTAMP_TOO_OLD));
        b.add(new Bad("epoch seconds instead of ms", "plant/BR-101/T", "{\"ts\":1767225600,\"value\":1,\"uom\":\"Cel\"}", RejectReason.TIMESTAMP_TOO_OLD));
        b.add(new Bad("unknown unit of measure", "plant/BR-101/T", "{\"ts\":\"" + n + "\",\"value\":1,\"uom\":\"furlong\"}", RejectReason.UNKNOWN_UOM));
        b.add(new Bad("g/L on a Cel tag", "plant/BR-101/T", "{\"ts\":\"" + n + "\",\"value\":1,\"uom\":\"g/L\"}", RejectReason.UOM_MISMATCH));
        b.add(new Bad("unknown bioreactor", "plant/BR-999/T", "{\"ts\":\"" + n + "\",\"value\":1,\"uom\":\"Cel\"}", RejectReason.UNKNOWN_UNIT));
        b.add(new Bad("unknown tag", "plant/BR-101/viscosity", "{\"ts\":\"" + n + "\",\"value\":1,\"uom\":\"mPa.s\"}", RejectReason.UNKNOWN_TAG));
        b.add(new Bad("tag of another unit", "plant/BR-101/pH", "7.0", RejectReason.UNKNOWN_TAG));
        b.add(new Bad("bad quality", "plant/BR-101/T", "{\"ts\":\"" + n + "\",\"value\":1,\"uom\":\"Cel\",\"quality\":\"EXCELLENT\"}", RejectReason.INVALID_QUALITY));
        b.add(new Bad("topic and payload disagree", "plant/BR-101/T", "{\"unit\":\"BR-102\",\"ts\":\"" + n + "\",\"value\":1,\"uom\":\"Cel\"}", RejectReason.FIELD_CONFLICT));
        b.add(new Bad("empty batch", "plant/BR-101", "{\"unit\":\"BR-101\",\"ts\":\"" + n + "\",\"values\":{}}", RejectReason.EMPTY_BATCH));
        b.add(new Bad("empty array", "plant/BR-101", "[]", RejectReason.EMPTY_BATCH));
        b.add(new Bad("array of numbers", "plant/BR-101", "[1]", RejectReason.UNSUPPORTED_SHAPE));
        b.add(new Bad("batch value not an object", "plant/BR-101", "{\"ts\":\"" + n + "\",\"values\":{\"DO\":40}}", RejectReason.WRONG_TYPE));
        return b;
    }

    @Test
    void everyKindOfBadPayloadLandsInTheDeadLetterTopicWithItsReasonWhileGoodSamplesFlow() throws Exception {
        Map<String, Object> cfg = config();
        List<Bad> corpus = corpus();
        assertThat(corpus.stream().map(Bad::kind).distinct().count()).isGreaterThanOrEqualTo(20);
        Recorder rec = new Recorder(0);
        try (MqttConnection c = TestClients.open(cfg);
                DeadLetters dl = new DeadLetters(broker.uri(), (String) cfg.get("deadletter.topic"))) {
            c.addSampleListener(rec, Set.of());
            awaitSubscribed(c);
            MqttClient p = TestClients.client(broker.uri(), "pub-" + id);
            Instant t0 = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
            int good = 0;
            for (int i = 0; i < corpus.size(); i++) {
                Bad b = corpus.get(i);
                pub(p, b.topic(), b.payload(), null);
                // a good sample after every bad one: ingestion goes on
                pub(p, "plant/BR-102/DO", "{\"ts\":" + t0.plusMillis(i).toEpochMilli() + ",\"value\":" + (30 + i) + ",\"uom\":\"%\"}");
                good++;
            }
            // a batch with one bad value among good ones: the good ones are kept
            pub(p, "plant/BR-101", "{\"ts\":\"" + t0 + "\",\"values\":{\"DO\":{\"value\":40,\"uom\":\"%\"},"
                    + "\"T\":{\"value\":\"warm\",\"uom\":\"Cel\"},\"weight\":{\"value\":2,\"uom\":\"kg\"}}}");
            good += 2;
            // a duplicate of an accepted sample
            pub(p, "plant/BR-102/DO", "{\"ts\":" + t0.toEpochMilli() + ",\"value\":30,\"uom\":\"%\"}");
            p.disconnect();
            p.close();
            int expectedLetters = corpus.size() + 2;
            int expectedGood = good;
            awaitTrue("all good samples", Duration.ofSeconds(15), () -> rec.size() >= expectedGood);
            awaitTrue(expectedLetters + " dead letters", Duration.ofSeconds(15), () -> dl.snapshot().size() >= expectedLetters);
            Thread.sleep(300);
            assertThat(rec.size()).isEqualTo(expectedGood);
            List<JsonNode> letters = dl.snapshot();
            assertThat(letters).hasSize(expectedLetters);
            for (int i = 0; i < corpus.size(); i++) {
                Bad b = corpus.get(i);
                JsonNode l = letters.get(i);
                assertThat(l.get("reason").asText()).as(b.kind() + ": " + l).isEqualTo(b.reason().name());
                assertThat(l.get("topic").asText()).as(b.kind()).isEqualTo(b.topic());
                assertThat(l.get("detail").asText()).as(b.kind()).isNotBlank();
                assertThat(l.has("payload") || l.has("payloadBase64")).as(b.kind()).isTrue();
            }
            assertThat(letters.get(corpus.size()).get("reason").asText()).isEqualTo("WRONG_TYPE");
            assertThat(letters.get(corpus.size()).get("tag").asText()).isEqualTo("T");
            assertThat(letters.get(corpus.size() + 1).get("reason").asText()).isEqualTo("DUPLICATE");
            Map<RejectReason, Long> perReason = c.rejects();
            Map<RejectReason, Long> expected = new HashMap<>();
            corpus.forEach(b -> expected.merge(b.reason(), 1L, Long::sum));
            expected.merge(RejectReason.WRONG_TYPE, 1L, Long::sum);
            expected.merge(RejectReason.DUPLICATE, 1L, Long::sum);
            assertThat(perReason).isEqualTo(expected);
            assertThat(c.connected()).isTrue();
            assertThat(c.counters().get("deadletters")).isEqualTo((long) expectedLetters);
            System.out.println(MqttStatusCommand.render(List.of(c)));
        }
    }

    @Test
    void aSlowListenerGetsBackPressureNotLossAndOtherListenersAreServedUpToItsBound() throws Exception {
        Map<String, Object> cfg = config();
        int bound = 50;
        cfg.put("listener.queue.capacity", bound);
        java.util.concurrent.CountDownLatch stall = new java.util.concurrent.CountDownLatch(1);
        Recorder slow = new Recorder(0) {
            @Override
            public void onSamples(List<Sample> batch) {
                try {
                    stall.await(30, java.util.concurrent.TimeUnit.SECONDS); // a listener stuck for a while
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.onSamples(batch);
            }
        };
        Recorder fast = new Recorder(0);
        Recorder onlyBr102 = new Recorder(0);
        int n = 1500;
        try (MqttConnection c = TestClients.open(cfg)) {
            c.addSampleListener(slow, Set.of());
            c.addSampleListener(fast, Set.of());
            c.addSampleListener(onlyBr102, Set.of("BR-102"));
            awaitSubscribed(c);
            MqttClient p = TestClients.client(broker.uri(), "pub-" + id);
            Instant t0 = Instant.now().minusSeconds(120);
            for (int i = 0; i < n; i++) {
                pub(p, "plant/" + (i % 2 == 0 ? "BR-101" : "BR-102") + "/DO",
                        "{\"ts\":" + t0.plusMillis(i).toEpochMilli() + ",\"value\":" + i + ",\"uom\":\"%\"}");
            }
            p.disconnect();
            p.close();
            awaitTrue("back-pressure", Duration.ofSeconds(10), () -> c.counters().get("backpressure.events") > 0);
            Thread.sleep(300);
            // the fast listener got everything up to the stuck one's bound, and ingestion waits instead of dropping
            assertThat(fast.size()).isBetween(bound, bound + 2 * bound);
            assertThat(c.counters().get("acked")).isLessThan((long) n);
            stall.countDown();
            awaitTrue("slow listener complete", Duration.ofSeconds(60), () -> slow.size() >= n);
            awaitTrue("fast listener complete", Duration.ofSeconds(10), () -> fast.size() >= n);
            Thread.sleep(200);
            assertThat(slow.keys()).hasSize(n);
            assertThat(fast.keys()).hasSize(n);
            assertThat(onlyBr102.keys()).hasSize(n / 2);
            assertThat(onlyBr102.snapshot()).allMatch(s -> s.unitId().equals("BR-102"));
            // order within a unit is kept
            List<Double> br101 = slow.snapshot().stream().filter(s -> s.unitId().equals("BR-101")).map(Sample::value).toList();
            assertThat(br101).isSorted();
            assertThat(c.counters().get("accepted")).isEqualTo((long) n);
            awaitTrue("all acknowledged", Duration.ofSeconds(10), () -> c.counters().get("acked") == n);
        }
    }

    @Test
    void plantWriterStoresWhileTheBrokerIsUnreachableAndForwardsInOrder() throws Exception {
        Map<String, Object> cfg = config();
        // a port where no broker listens: the connection stays down while messages are written
        int deadPort = MosquittoBroker.freePort();
        cfg.put("broker.uri", "tcp://127.0.0.1:" + deadPort);
        cfg.put("require.listener", false);
        Path store = Path.of((String) cfg.get("store.dir"));
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        MqttClient sub = TestClients.client(broker.uri(), "sub-" + id);
        sub.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[] {
            new org.eclipse.paho.mqttv5.common.MqttSubscription("twin/" + id + "/#", 1)},
                new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {(t, m) -> got.add(new String(m.getPayload(), StandardCharsets.UTF_8))});
        int n = 300;
        try (MqttConnection c = TestClients.open(cfg)) {
            for (int i = 0; i < n / 2; i++) {
                c.publish("twin/" + id + "/BR-101/prediction", ("m" + i).getBytes(StandardCharsets.UTF_8), false);
            }
            assertThat(c.connected()).isFalse();
            assertThat(c.counters().get("store.records")).isEqualTo(n / 2L);
        }
        // the process "restarts": the store survives; now the broker is reachable
        cfg.put("broker.uri", broker.uri());
        try (MqttConnection c = TestClients.open(cfg)) {
            for (int i = n / 2; i < n; i++) {
                c.publish("twin/" + id + "/BR-101/prediction", ("m" + i).getBytes(StandardCharsets.UTF_8), false);
            }
            awaitTrue("all forwarded", Duration.ofSeconds(30), () -> got.size() >= n);
            awaitTrue("store emptied", Duration.ofSeconds(10), () -> c.counters().get("store.records") == 0L);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                expected.add("m" + i);
            }
            assertThat(got).containsExactlyElementsOf(expected);
        }
        sub.disconnect();
        sub.close();
        try (var files = Files.list(store)) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("seg-")).count()).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void aFullStoreRaisesAnAlarmAndRefusesInsteadOfDropping() throws Exception {
        Map<String, Object> cfg = config();
        cfg.put("broker.uri", "tcp://127.0.0.1:" + MosquittoBroker.freePort());
        cfg.put("store.max.bytes", 8192L);
        RecordingAuditTrail audit = new RecordingAuditTrail();
        org.biotwin.api.audit.AuditTrail trail = audit.asService();
        UnitNormalizer u = new UnitNormalizer();
        try (MqttConnection c = new MqttConnection(ConnectionSettings.parse(cfg, null, u), u, java.time.Clock.systemUTC(),
                () -> trail)) {
            byte[] payload = new byte[200];
            int stored = 0;
            IllegalStateException refused = null;
            for (int i = 0; i < 1000 && refused == null; i++) {
                try {
                    c.publish("twin/x", payload, false);
                    stored++;
                } catch (IllegalStateException e) {
                    refused = e;
                }
            }
            assertThat(refused).isNotNull();
            assertThat(refused.getMessage()).contains("full").contains("store.max.bytes");
            assertThat(stored).isBetween(20, 40);
            assertThatThrownBy(() -> c.publish("twin/x", payload, false)).isInstanceOf(IllegalStateException.class);
            assertThat(c.counters().get("store.full")).isEqualTo(2L);
            assertThat(c.counters().get("store.records")).isEqualTo((long) stored);
            assertThat(audit.events).hasSize(1); // one audit entry per episode
            assertThat(audit.events.get(0).action()).isEqualTo("mqtt.store.full");
        }
    }

    @Test
    void messageHandlersGetRawMessagesAndTheirRefusalsAreDeadLettered() throws Exception {
        Map<String, Object> cfg = config();
        List<String> raw = Collections.synchronizedList(new ArrayList<>());
        MessageHandler h = (topic, payload) -> {
            String s = new String(payload, StandardCharsets.UTF_8);
            if (s.equals("bad")) {
                throw new IllegalArgumentException("batch event without batch id");
            }
            raw.add(topic + "=" + s);
        };
        try (MqttConnection c = TestClients.open(cfg);
                DeadLetters dl = new DeadLetters(broker.uri(), (String) cfg.get("deadletter.topic"))) {
            c.addSampleListener(new Recorder(0), Set.of());
            awaitSubscribed(c);
            c.addMessageHandler(h, List.of("mes/" + id + "/+"));
            Thread.sleep(300); // the subscription is made on the connection thread
            MqttClient p = TestClients.client(broker.uri(), "pub-" + id);
            pub(p, "mes/" + id + "/start", "B-1");
            pub(p, "mes/" + id + "/start", "bad");
            pub(p, "mes/" + id + "/end", "B-1");
            awaitTrue("two handled", Duration.ofSeconds(10), () -> raw.size() >= 2);
            awaitTrue("one dead letter", Duration.ofSeconds(10), () -> dl.snapshot().size() >= 1);
            assertThat(raw).containsExactly("mes/" + id + "/start=B-1", "mes/" + id + "/end=B-1");
            assertThat(dl.snapshot().get(0).get("reason").asText()).isEqualTo("HANDLER_REJECTED");
            assertThat(dl.snapshot().get(0).get("detail").asText()).contains("batch id");
            c.removeMessageHandler(h);
            Thread.sleep(300);
            pub(p, "mes/" + id + "/start", "B-2");
            Thread.sleep(300);
            assertThat(raw).hasSize(2);
            p.disconnect();
            p.close();
        }
    }

    /**
     * The reference host's shape: an MES handler on {@code <root>/+/batch/+} (two wildcards, like the batch record's
     * {@code mes/+/batch/+}) registered before the connection is up, as Declarative Services binds it right after
     * activation, and a second one registered once the connection is up; plant samples flow all the time. Both get
     * every MES event of theirs, in order, and nothing is dead-lettered.
     */
    @Test
    void handlersRegisteredBeforeAndAfterTheConnectionBothGetTheirMesEventsWhileSamplesFlow() throws Exception {
        Map<String, Object> cfg = config();
        String early = "mes-" + id;
        String late = "mes2-" + id;
        List<String> earlyGot = Collections.synchronizedList(new ArrayList<>());
        List<String> lateGot = Collections.synchronizedList(new ArrayList<>());
        MessageHandler earlyHandler = (topic, payload) -> earlyGot.add(topic + "=" + new String(payload,
                StandardCharsets.UTF_8));
        MessageHandler lateHandler = (topic, payload) -> lateGot.add(topic + "=" + new String(payload,
                StandardCharsets.UTF_8));
        Recorder rec = new Recorder(0);
        int events = 20;
        int samples = 2_000;
        try (DeadLetters dl = new DeadLetters(broker.uri(), (String) cfg.get("deadletter.topic"));
                MqttConnection c = TestClients.open(cfg)) {
            c.addMessageHandler(earlyHandler, List.of(early + "/+/batch/+"));
            assertThat(c.connected()).as("the first handler is registered before the connection is up").isFalse();
            c.addSampleListener(rec, Set.of());
            awaitSubscribed(c);
            MqttClient p = TestClients.client(broker.uri(), "pub-" + id);
            Instant t0 = Instant.now().minusSeconds(100).truncatedTo(ChronoUnit.MILLIS);
            Thread plant = new Thread(() -> {
                try {
                    MqttClient pp = TestClients.client(broker.uri(), "plant-" + id);
                    for (int i = 0; i < samples; i++) {
                        pub(pp, "plant/BR-101/T", "{\"ts\":" + t0.plusMillis(i).toEpochMilli()
                                + ",\"value\":37,\"uom\":\"Cel\"}");
                    }
                    pp.disconnect();
                    pp.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "test-plant");
            plant.start();
            c.addMessageHandler(lateHandler, List.of(late + "/+/batch/+"));
            // The subscription of a handler added while connected is confirmed by a SUBACK; there is no other
            // signal, so publish until the first event gets through (events carry ids: a repeat is harmless).
            awaitTrue("the late handler's subscription", Duration.ofSeconds(10), () -> {
                try {
                    pub(p, late + "/BR-101/batch/create", "probe");
                    Thread.sleep(100);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return !lateGot.isEmpty();
            });
            for (int i = 0; i < events; i++) {
                pub(p, early + "/BR-10" + (1 + i % 2) + "/batch/start", "{\"eventId\":\"e" + i + "\"}");
                pub(p, late + "/BR-10" + (1 + i % 2) + "/batch/phase", "{\"eventId\":\"l" + i + "\"}");
            }
            plant.join(60_000);
            awaitTrue("every MES event", Duration.ofSeconds(20),
                    () -> earlyGot.size() >= events && lateGot.stream().filter(s -> s.contains("/phase=")).count() >= events,
                    () -> "early " + earlyGot.size() + ", late " + lateGot.size() + ", " + c.counters() + " "
                            + c.rejects());
            awaitTrue("every sample", Duration.ofSeconds(20), () -> rec.size() >= samples);
            List<String> expectEarly = new ArrayList<>();
            List<String> expectLate = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                expectEarly.add(early + "/BR-10" + (1 + i % 2) + "/batch/start={\"eventId\":\"e" + i + "\"}");
                expectLate.add(late + "/BR-10" + (1 + i % 2) + "/batch/phase={\"eventId\":\"l" + i + "\"}");
            }
            assertThat(earlyGot).containsExactlyElementsOf(expectEarly);
            assertThat(lateGot.stream().filter(s -> s.contains("/phase=")).toList())
                    .containsExactlyElementsOf(expectLate);
            assertThat(c.rejects()).isEmpty();
            assertThat(dl.snapshot()).isEmpty();
            p.disconnect();
            p.close();
        }
    }

    /**
     * MES events that arrive while no handler is bound are held, not dead-lettered: (1) a resumed persistent session
     * delivers queued events as soon as it connects, before Declarative Services binds the handlers to the new
     * component instance (a configuration change or a host restart); (2) a handler bundle restarts (unregistered,
     * then registered again) while the MES publishes.
     */
    @Test
    void mesEventsWaitForTheirHandlerAcrossAResumedSessionAndAHandlerRestart() throws Exception {
        Map<String, Object> cfg = config();
        String root = "mes-" + id;
        String filter = root + "/+/batch/+";
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        MessageHandler first = (topic, payload) -> got.add(new String(payload, StandardCharsets.UTF_8));
        MessageHandler second = (topic, payload) -> got.add(new String(payload, StandardCharsets.UTF_8));
        MessageHandler third = (topic, payload) -> got.add(new String(payload, StandardCharsets.UTF_8));
        List<String> expected = new ArrayList<>();
        try (DeadLetters dl = new DeadLetters(broker.uri(), (String) cfg.get("deadletter.topic"))) {
            MqttClient p = TestClients.client(broker.uri(), "pub-" + id);
            try (MqttConnection c = TestClients.open(cfg)) {
                c.addSampleListener(new Recorder(0), Set.of());
                c.addMessageHandler(first, List.of(filter));
                awaitSubscribed(c);
                Thread.sleep(300); // the subscription is confirmed on the connection thread
            }
            // (1) The connector is down; the session (and its subscription) stays at the broker, which queues.
            for (int i = 0; i < 5; i++) {
                String e = "{\"eventId\":\"offline-" + i + "\"}";
                pub(p, root + "/BR-101/batch/start", e);
                expected.add(e);
            }
            try (MqttConnection c = TestClients.open(cfg)) {
                c.addSampleListener(new Recorder(0), Set.of());
                awaitSubscribed(c);
                awaitTrue("the queued events held for a handler", Duration.ofSeconds(10),
                        () -> c.counters().get("waiting.for.handler") >= 1, () -> String.valueOf(c.counters()));
                Thread.sleep(500); // the handler comes late, as a DS bind after activation may
                assertThat(got).isEmpty();
                c.addMessageHandler(second, List.of(filter));
                awaitTrue("the queued events", Duration.ofSeconds(10), () -> got.size() >= 5, () -> String.valueOf(c.counters()));

                // (2) The handler goes and comes back (a bundle restart) while the MES keeps publishing.
                c.removeMessageHandler(second);
                for (int i = 0; i < 3; i++) {
                    String e = "{\"eventId\":\"restart-" + i + "\"}";
                    pub(p, root + "/BR-102/batch/phase", e);
                    expected.add(e);
                }
                Thread.sleep(500);
                c.addMessageHandler(third, List.of(filter));
                awaitTrue("the events published while the handler was away", Duration.ofSeconds(10),
                        () -> got.size() >= 8, () -> String.valueOf(c.counters()));
                Thread.sleep(300);
                assertThat(got).containsExactlyElementsOf(expected);
                assertThat(c.rejects()).isEmpty();
                awaitTrue("all acknowledged", Duration.ofSeconds(5), () -> c.counters().get("acked") >= 8L,
                        () -> String.valueOf(c.counters()));
            }
            assertThat(dl.snapshot()).as("nothing dead-lettered").isEmpty();
            p.disconnect();
            p.close();
        }
    }

    /**
     * A durable listener (the historian) is the point where a sample is safe: nothing is acknowledged to the broker
     * before it has returned, and its refusal ("not stored") gets the same samples delivered again.
     */
    @Test
    void aDurableListenerHoldsTheAcknowledgementUntilItHasStoredAndGetsWhatItRefusedAgain() throws Exception {
        int n = 20;
        java.util.concurrent.CountDownLatch storageBack = new java.util.concurrent.CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        Recorder durable = new Recorder(0) {
            @Override
            public void onSamples(List<Sample> batch) {
                int call = attempts.incrementAndGet();
                if (call <= 2) {
                    throw new IllegalStateException("buffer full (test)"); // not stored
                }
                try {
                    if (!storageBack.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
                        throw new IllegalStateException("storage still away (test)");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted before storing (test)");
                }
                super.onSamples(batch);
            }
        };
        Recorder plain = new Recorder(0);
        try (MqttConnection c = TestClients.open(config())) {
            c.addSampleListener(durable, Set.of(), true);
            c.addSampleListener(plain, Set.of());
            awaitSubscribed(c);
            publishValues("plant/BR-101/DO", n);
            awaitTrue("two refusals and a third, pending delivery", Duration.ofSeconds(10), () -> attempts.get() >= 3,
                    () -> String.valueOf(c.counters()));
            Thread.sleep(300);
            // Mosquitto sends up to its in-flight window meanwhile; HiveMQ CE sends more only once nothing is in
            // flight. Either way: what arrived reached the other listener, and none of it is acknowledged.
            Map<String, Long> held = c.counters();
            assertThat(held.get("received")).isBetween(1L, (long) n);
            assertThat(held.get("acked")).as("acknowledged before the durable listener stored").isZero();
            assertThat(held.get("acks.waiting")).isEqualTo(held.get("received"));
            assertThat(held.get("listener.errors")).isEqualTo(2L);
            assertThat((long) plain.size()).isEqualTo(held.get("accepted"));
            assertThat(durable.size()).isZero();

            storageBack.countDown();
            awaitTrue("all stored and acknowledged", Duration.ofSeconds(10),
                    () -> durable.size() >= n && c.counters().get("acked") == n, () -> String.valueOf(c.counters()));
            assertThat(durable.keys()).hasSize(n);
            assertThat(plain.keys()).hasSize(n);
            assertThat(durable.snapshot().stream().map(Sample::value).toList()).isSorted();
            assertThat(c.counters().get("acks.waiting")).isZero();
        }
    }

    /**
     * A durable listener that goes before it took its samples (its bundle stops while storage is stuck): those
     * messages were never acknowledged, so the connector starts a new connection, the broker redelivers them, and the
     * durable listener that is there now gets them, not refused as duplicates.
     */
    @Test
    void samplesADurableListenerNeverTookComeBackFromTheBrokerForItsSuccessor() throws Exception {
        int n = 10;
        AtomicInteger attempts = new AtomicInteger();
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        Recorder stuck = new Recorder(0) {
            @Override
            public void onSamples(List<Sample> batch) {
                attempts.incrementAndGet();
                try {
                    never.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("not stored (test)");
            }
        };
        Recorder successor = new Recorder(0);
        try (MqttConnection c = TestClients.open(config())) {
            c.addSampleListener(stuck, Set.of(), true);
            awaitSubscribed(c);
            publishValues("plant/BR-102/DO", n);
            awaitTrue("the stuck listener has what arrived", Duration.ofSeconds(10),
                    () -> attempts.get() >= 1, () -> String.valueOf(c.counters()));
            Thread.sleep(300);
            assertThat(c.counters().get("acks.waiting")).isEqualTo(c.counters().get("received")).isPositive();
            assertThat(c.counters().get("acked")).isZero();

            c.addSampleListener(successor, Set.of(), true);
            c.removeSampleListener(stuck); // waits 2 s for it, then gives its samples up
            awaitTrue("redelivered to the successor", Duration.ofSeconds(20), () -> successor.keys().size() >= n,
                    () -> String.valueOf(c.counters()));
            awaitTrue("acknowledged on the new connection", Duration.ofSeconds(10),
                    () -> c.counters().get("acked") >= n && c.counters().get("acks.waiting") == 0,
                    () -> String.valueOf(c.counters()));
            assertThat(successor.keys()).hasSize(n);
            assertThat(c.counters().get("connects")).isGreaterThanOrEqualTo(2L);
            assertThat(c.rejects().getOrDefault(RejectReason.DUPLICATE, 0L)).isZero();
        }
    }

    /** Publishes values 0..n-1 of one DO series, a millisecond apart, a minute back. */
    private void publishValues(String topic, int n) throws Exception {
        MqttClient p = TestClients.client(broker.uri(), "pub-" + id);
        Instant t0 = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < n; i++) {
            pub(p, topic, "{\"ts\":" + t0.plusMillis(i).toEpochMilli() + ",\"value\":" + i + ",\"uom\":\"%\"}");
        }
        p.disconnect();
        p.close();
    }

    @Test
    void sharedSubscriptionsSplitTheUnitsBetweenTwoConnections() throws Exception {
        Map<String, Object> a = config();
        a.put("shared.group", "hosts-" + id);
        a.put("name", "a");
        Map<String, Object> b = new HashMap<>(a);
        b.put("client.id", a.get("client.id") + "-b");
        b.put("name", "b");
        b.put("store.dir", a.get("store.dir") + "-b");
        Recorder ra = new Recorder(0);
        Recorder rb = new Recorder(0);
        int n = 600;
        try (MqttConnection ca = TestClients.open(a); MqttConnection cb = TestClients.open(b)) {
            ca.addSampleListener(ra, Set.of());
            cb.addSampleListener(rb, Set.of());
            awaitSubscribed(ca, cb);
            Thread.sleep(200);
            MqttClient p = TestClients.client(broker.uri(), "pub-" + id);
            Instant t0 = Instant.now().minusSeconds(100);
            for (int i = 0; i < n; i++) {
                pub(p, "plant/BR-10" + (1 + i % 2) + "/T", "{\"ts\":" + t0.plusMillis(i).toEpochMilli()
                        + ",\"value\":37,\"uom\":\"Cel\"}");
            }
            p.disconnect();
            p.close();
            awaitTrue("all samples", Duration.ofSeconds(30), () -> ra.size() + rb.size() >= n,
                    () -> "a=" + ra.size() + " b=" + rb.size() + " a: " + ca.counters() + " b: " + cb.counters());
            Thread.sleep(300);
            Set<String> all = new HashSet<>(ra.keys());
            all.addAll(rb.keys());
            assertThat(all).hasSize(n);
            assertThat(ra.size() + rb.size()).isEqualTo(n); // each message went to one member only
            if (splitsEvenly()) {
                assertThat(ra.size()).isPositive();
                assertThat(rb.size()).isPositive();
            }
            System.out.printf("shared subscription split: a=%d b=%d%n", ra.size(), rb.size());
        }
    }

    /**
     * Records audit events. The real trail lives in the ebr bundle, which this module does not depend on; a dynamic
     * proxy keeps this recorder compiling while the AuditTrail interface grows. Only append is supported.
     */
    static final class RecordingAuditTrail {
        final List<org.biotwin.api.audit.AuditEvent> events = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger seq = new AtomicInteger();

        org.biotwin.api.audit.AuditTrail asService() {
            return (org.biotwin.api.audit.AuditTrail) java.lang.reflect.Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {org.biotwin.api.audit.AuditTrail.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("append")) {
                            org.biotwin.api.audit.AuditEvent e = (org.biotwin.api.audit.AuditEvent) args[0];
                            events.add(e);
                            return new org.biotwin.api.audit.AuditEntry(seq.incrementAndGet(), Instant.now(), e,
                                    "0".repeat(64), "0".repeat(64));
                        }
                        throw new UnsupportedOperationException(method.getName() + " is not needed by these tests");
                    });
        }
    }
}
