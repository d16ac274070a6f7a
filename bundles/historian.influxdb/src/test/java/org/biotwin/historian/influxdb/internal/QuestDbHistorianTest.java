package org.biotwin.historian.influxdb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.biotwin.api.historian.HistorianException;
import org.biotwin.api.historian.HistorianPoint;
import org.biotwin.api.historian.Series;
import org.biotwin.api.historian.SeriesPoint;
import org.biotwin.api.sample.Quality;
import org.biotwin.api.sample.Sample;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The historian against a real, embedded QuestDB 9.3.4: writes through the whole store-and-forward path, reads back
 * over PostgreSQL wire. Each test writes under its own site tag, so tests share the server without seeing each other.
 */
class QuestDbHistorianTest {

    private static final Instant T0 = Instant.parse("2026-05-04T08:00:00Z");

    @TempDir
    static Path shared;
    static QuestDb questdb;

    @TempDir
    Path dir;
    String site;
    final List<InfluxHistorian> open = new ArrayList<>();

    @BeforeAll
    static void startQuestDb() throws Exception {
        questdb = QuestDb.start(shared.resolve("questdb"), 0, 0);
    }

    @AfterAll
    static void stopQuestDb() {
        if (questdb != null) {
            questdb.close();
        }
    }

    @AfterEach
    void closeHistorians() {
        open.forEach(InfluxHistorian::close);
    }

    private Map<String, Object> config(TestInfo info) {
        site = info.getTestMethod().orElseThrow().getName().replaceAll("[^A-Za-z0-9]", "").substring(0, 20);
        Map<String, Object> p = TestConfig.questdb(questdb.url(), questdb.pgPort, dir.resolve("buffer"));
        p.put("site", site);
        return p;
    }

    private InfluxHistorian historian(Map<String, Object> config) throws Exception {
        InfluxHistorian h = new InfluxHistorian(TestConfig.of(config));
        open.add(h);
        return h;
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static List<Sample> samples(String unit, String tag, int n, double offset) {
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Sample(unit, tag, T0.plusSeconds(i), offset + i,
                    tag.equals("DO") ? "%" : "Cel", i % 10 == 9 ? Quality.UNCERTAIN : Quality.GOOD));
        }
        return out;
    }

    @Test
    void samplesAreWrittenWithBatchContextAndReadBackAsTypedSeries(TestInfo info) throws Exception {
        InfluxHistorian h = historian(config(info));
        h.setBatchRecord(TestDoubles.batchRecord("B-1001", "BR-1", T0.plusSeconds(50),
                List.of(T0.plusSeconds(10), T0.plusSeconds(30)), List.of("GROWTH", "FED_BATCH")));
        h.onSamples(samples("BR-1", "DO", 60, 100));
        h.onSamples(samples("BR-1", "T", 60, 30));
        h.onSamples(samples("BR-2", "DO", 5, 0));
        await("180 points forwarded", Duration.ofSeconds(20), () -> h.status().forwardedPoints() == 125);
        questdb.awaitApplied(LineProtocol.SAMPLE_MEASUREMENT);

        List<Series> both = h.read("BR-1", List.of("T", "DO"), T0, T0.plusSeconds(60));
        assertThat(both).extracting(Series::tag).containsExactly("DO", "T");
        Series dO = both.get(0);
        assertThat(dO.unitId()).isEqualTo("BR-1");
        assertThat(dO.uom()).isEqualTo("%");
        assertThat(dO.size()).isEqualTo(60);
        for (int i = 0; i < 60; i++) {
            SeriesPoint p = dO.points().get(i);
            assertThat(p.time()).isEqualTo(T0.plusSeconds(i));
            assertThat(p.value()).isEqualTo(100.0 + i);
            assertThat(p.quality()).isEqualTo(i % 10 == 9 ? Quality.UNCERTAIN : Quality.GOOD);
            assertThat(p.batchId()).isEqualTo(i >= 10 && i < 50 ? "B-1001" : null);
            assertThat(p.phase()).isEqualTo(i < 10 || i >= 50 ? null : i < 30 ? "GROWTH" : "FED_BATCH");
        }
        // Half-open range and tag filter.
        List<Series> part = h.read("BR-1", List.of("T"), T0.plusSeconds(5), T0.plusSeconds(8));
        assertThat(part).hasSize(1);
        assertThat(part.get(0).values()).containsExactly(35, 36, 37);
        // Every tag of the unit when none is named.
        assertThat(h.read("BR-1", List.of(), T0, T0.plusSeconds(3600))).hasSize(2);

        List<Series> batch = h.readBatch("B-1001");
        assertThat(batch).extracting(s -> s.unitId() + "/" + s.tag()).containsExactly("BR-1/DO", "BR-1/T");
        assertThat(batch.get(0).size()).isEqualTo(40);
        assertThat(batch.get(0).points().get(0).time()).isEqualTo(T0.plusSeconds(10));
        assertThat(h.readBatch("no-such-batch")).isEmpty();
        assertThat(h.status().serverReachable()).isTrue();
        assertThat(h.status().bufferedPoints()).isZero();
    }

    @Test
    void aRedeliveredSampleDoesNotCountTwice(TestInfo info) throws Exception {
        InfluxHistorian h = historian(config(info));
        List<Sample> batch = samples("BR-1", "DO", 50, 0);
        h.onSamples(batch);
        h.onSamples(batch.subList(10, 30)); // QoS 1 redelivery of part of the stream
        h.onSamples(batch);
        await("forwarded", Duration.ofSeconds(20), () -> h.status().forwardedPoints() == 120);
        questdb.awaitApplied(LineProtocol.SAMPLE_MEASUREMENT);
        assertThat(questdb.count("SELECT count() FROM plant_sample WHERE site = '" + site + "'")).isEqualTo(50);
        assertThat(h.read("BR-1", List.of("DO"), T0, T0.plusSeconds(50)).get(0).size()).isEqualTo(50);
    }

    @Test
    void twinOutputsAreGenericPointsWithTheirOwnDedupTable(TestInfo info) throws Exception {
        InfluxHistorian h = historian(config(info));
        List<HistorianPoint> points = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            points.add(new HistorianPoint("twin_state", Map.of("unit", "BR-1", "state", "X"), T0.plusSeconds(60L * i),
                    Map.of("mean", 1.0 + i * 0.1, "sd", 0.05, "samples", (long) i, "model", "cho-fedbatch 2.1.0")));
        }
        h.write(points);
        h.write(points.subList(0, 5));
        await("forwarded", Duration.ofSeconds(20), () -> h.status().forwardedPoints() == 25);
        questdb.awaitApplied("twin_state");
        assertThat(questdb.count("SELECT count() FROM twin_state WHERE site = '" + site + "'")).isEqualTo(20);
        assertThat(questdb.count("SELECT sum(samples) FROM twin_state WHERE site = '" + site + "'"))
                .isEqualTo(190);
    }

    @Test
    void aRejectedPointGoesToTheDeadLetterFileAndTheQueueContinues(TestInfo info) throws Exception {
        InfluxHistorian h = historian(config(info));
        TestDoubles.RecordingAudit audit = new TestDoubles.RecordingAudit();
        h.setAuditTrail(audit.trail);
        List<HistorianPoint> points = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            points.add(HistorianPoint.of("drift", Map.of("unit", "BR-1"), T0.plusSeconds(i), i));
        }
        h.write(points.subList(0, 5));
        await("table created", Duration.ofSeconds(20), () -> h.status().forwardedPoints() == 5);
        // A field type conflict: 'value' is DOUBLE in the table, this point sends a string.
        List<HistorianPoint> mixed = new ArrayList<>(points.subList(5, 8));
        mixed.add(new HistorianPoint("drift", Map.of("unit", "BR-1"), T0.plusSeconds(100), Map.of("value", "high")));
        mixed.addAll(points.subList(8, 10));
        h.write(mixed);
        h.onSamples(samples("BR-1", "DO", 3, 0)); // behind the bad point in the queue
        await("the rest forwarded", Duration.ofSeconds(20), () -> h.status().forwardedPoints() == 13);
        assertThat(h.status().deadLetteredPoints()).isEqualTo(1);
        String dead = Files.readString(dir.resolve("buffer").resolve("dead-letter.lp"));
        assertThat(dead).contains("drift,site=" + site + ",unit=BR-1 value=\"high\"").contains("HTTP 400");
        assertThat(dead.lines().filter(l -> !l.startsWith("#")).count()).isEqualTo(1);
        assertThat(audit.actions()).containsExactly("historian.dead-letter");
        questdb.awaitApplied("drift");
        assertThat(questdb.count("SELECT count() FROM drift WHERE site = '" + site + "'")).isEqualTo(10);
        questdb.awaitApplied(LineProtocol.SAMPLE_MEASUREMENT);
        assertThat(h.read("BR-1", List.of("DO"), T0, T0.plusSeconds(10)).get(0).size()).isEqualTo(3);
    }

    @Test
    void aFullBufferRaisesAnAlarmAndRefusesThenARestartedComponentReplaysEverything(TestInfo info)
            throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort(); // closed again: nothing listens there
        }
        Map<String, Object> config = config(info);
        config.put("url", "http://127.0.0.1:" + deadPort);
        config.put("bufferMaxBytes", 8192);
        config.put("segmentBytes", 4096);
        config.put("bufferFullWaitMs", 100);
        InfluxHistorian down = historian(config);
        TestDoubles.RecordingAudit audit = new TestDoubles.RecordingAudit();
        down.setAuditTrail(audit.trail);
        int accepted = 0;
        HistorianException refusal = null;
        for (int i = 0; i < 1000 && refusal == null; i++) {
            List<Sample> two = List.of(new Sample("BR-1", "DO", T0.plusSeconds(2 * i), 2 * i, "%", Quality.GOOD),
                    new Sample("BR-1", "DO", T0.plusSeconds(2 * i + 1), 2 * i + 1, "%", Quality.GOOD));
            try {
                down.onSamples(two);
                accepted += 2;
            } catch (HistorianException e) {
                refusal = e;
            }
        }
        assertThat(refusal).isNotNull();
        assertThat(refusal.reason()).isEqualTo(HistorianException.Reason.BUFFER_FULL);
        assertThat(refusal.getMessage()).contains("full").contains("refused 2 points").contains("unreachable");
        assertThat(down.status().refusedPoints()).isEqualTo(2);
        assertThat(down.status().bufferFullAlarm()).isTrue();
        assertThat(down.status().acceptedPoints()).isEqualTo(accepted);
        assertThat(down.status().bufferedPoints()).isEqualTo(accepted);
        assertThat(down.status().serverReachable()).isFalse();
        assertThat(audit.actions()).containsExactly("historian.buffer-full");
        assertThat(accepted).isGreaterThan(20);
        down.close();
        open.remove(down);

        // Restart against the live server (a configuration change): the buffer is replayed, nothing is lost.
        Map<String, Object> live = TestConfig.copy(config);
        live.put("url", questdb.url());
        InfluxHistorian up = historian(live);
        int expected = accepted;
        await("replay", Duration.ofSeconds(30), () -> up.status().forwardedPoints() >= expected
                && up.status().bufferedPoints() == 0);
        questdb.awaitApplied(LineProtocol.SAMPLE_MEASUREMENT);
        Series s = up.read("BR-1", List.of("DO"), T0, T0.plusSeconds(100_000)).get(0);
        assertThat(s.size()).isEqualTo(accepted);
        for (int i = 0; i < accepted; i++) {
            assertThat(s.points().get(i).value()).isEqualTo(i);
        }
        // Room again: writes are accepted.
        up.onSamples(List.of(Sample.of("BR-1", "DO", T0.plusSeconds(accepted), accepted, "%")));
    }

    @Test
    void badConfigurationFailsActivationNamingTheProperty(TestInfo info) throws Exception {
        Map<String, Object> c = config(info);
        c.remove("url");
        assertThatThrownBy(() -> historian(c)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'url'");
        assertThat(dir.resolve("buffer")).doesNotExist();
        Map<String, Object> d = config(info);
        d.put("bufferMaxBytes", -1);
        assertThatThrownBy(() -> historian(d)).hasMessageContaining("'bufferMaxBytes'");
        assertThatThrownBy(() -> historian(config(info)).read("BR-1", List.of(), T0, T0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be before");
    }

    @Test
    void aReadFromAnUnreachableServerFailsClearly(TestInfo info) throws Exception {
        Map<String, Object> c = config(info);
        try (ServerSocket s = new ServerSocket(0)) {
            c.put("pgPort", s.getLocalPort());
        }
        InfluxHistorian h = historian(c);
        assertThatThrownBy(() -> h.readBatch("B-1")).isInstanceOf(HistorianException.class)
                .hasMessageContaining("QuestDB read of batch B-1").satisfies(e -> assertThat(
                        ((HistorianException) e).reason()).isEqualTo(HistorianException.Reason.READ_FAILED));
        TimeUnit.MILLISECONDS.sleep(1);
    }
}
