package org.biotwin.historian.influxdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.biotwin.api.sample.Quality;
import org.biotwin.api.sample.Sample;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throughput and latency harness, not a unit test: {@code mvn -B -f bundles/historian.influxdb/pom.xml -Pload test}.
 * <p>
 * One thread writes samples through {@link InfluxHistorian#onSamples} (the real write path: line protocol, on-disk
 * buffer with group fsync, forwarder, influxdb-client-java) into an embedded QuestDB in the same JVM, in calls of
 * {@code harness.batch} samples (default 500, like one batch payload). Phase 1 writes {@code harness.points} (default
 * 2,000,000) as fast as it can: sustained points/s. Phase 2 writes at a paced {@code harness.rate} (default 10,000/s)
 * for {@code harness.pacedSeconds} (default 15): latency without queueing. In both, a probe sample is written every
 * 100 ms and a poller over PostgreSQL wire (every ~2 ms) notes when each becomes readable by SQL; the harness prints
 * p50/p99/max of write call to readable, and checks that every point arrived exactly once.
 */
@Tag("load")
class HistorianLoadHarness {

    private static final Instant PROBE_TIME = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void sustainedThroughputAndLatencyIntoQuestDb() throws Exception {
        int total = Integer.getInteger("harness.points", 2_000_000);
        int batch = Integer.getInteger("harness.batch", 500);
        try (QuestDb questdb = QuestDb.start(dir.resolve("questdb"), 0, 0)) {
            Map<String, Object> c = TestConfig.questdb(questdb.url(), questdb.pgPort, dir.resolve("buffer"));
            c.put("site", "LOAD");
            c.put("batchSize", 10_000);
            c.put("flushIntervalMs", 5);
            c.put("bufferMaxBytes", 1L << 30);
            c.put("bufferFullWaitMs", 60_000);
            InfluxHistorian h = new InfluxHistorian(TestConfig.of(c));
            try {
                // Warm-up: creates the table and JIT-compiles the path.
                h.onSamples(List.of(Sample.of("WARM", "x", Instant.EPOCH, 0, "")));
                QuestDbHistorianTest.await("warm-up", Duration.ofSeconds(30), () -> h.status().bufferedPoints() == 0);

                Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
                // Phase 1: saturation. Phase 2: a paced load below saturation, where latency is not queueing.
                Phase sat = run(h, questdb, "saturation", 0, total, batch, 0, t0);
                long rows = questdb.count("SELECT count() FROM plant_sample WHERE site = 'LOAD' AND unit LIKE 'BR-%'");
                assertThat(rows).isEqualTo(total);
                int rate = Integer.getInteger("harness.rate", 10_000);
                int pacedPoints = rate * Integer.getInteger("harness.pacedSeconds", 15);
                Phase paced = run(h, questdb, "paced " + rate + "/s", total, pacedPoints, batch, rate,
                        t0.plusSeconds(86_400));
                System.out.printf("%nHISTORIAN LOAD (%d cores, load average at end %.1f), calls of %d samples%n",
                        Runtime.getRuntime().availableProcessors(),
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                        batch);
                sat.print();
                paced.print();
                System.out.printf("  write requests: %d%n", h.forwarderRequests());
                assertThat(questdb.count("SELECT count() FROM plant_sample WHERE site = 'LOAD' AND unit LIKE 'BR-%'"))
                        .isEqualTo(total + pacedPoints);
            } finally {
                h.close();
            }
        }
    }

    record Phase(String name, int points, double acceptedPerSec, double forwardedPerSec, double readablePerSec,
            double[] latencyMs) {
        void print() {
            int n = latencyMs.length;
            System.out.printf("  [%s] %d points: accepted (durable in buffer) %.0f/s, forwarded (HTTP 204) %.0f/s, "
                    + "readable by SQL %.0f/s%n", name, points, acceptedPerSec, forwardedPerSec, readablePerSec);
            System.out.printf("  [%s] write call -> readable by SQL, %d probes: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    name, n, latencyMs[n / 2], latencyMs[(int) Math.max(0, Math.ceil(n * 0.99) - 1)],
                    latencyMs[n - 1]);
        }
    }

    /** Writes {@code points} samples (paced at {@code rate}/s when positive) plus a probe every 100 ms. */
    private static Phase run(InfluxHistorian h, QuestDb questdb, String name, int offset, int points, int batch,
            int rate, Instant t0) throws Exception {
        long[] probeWritten = new long[100_000];
        long[] probeSeen = new long[100_000];
        String probeUnit = "PROBE-" + offset;
        AtomicBoolean stop = new AtomicBoolean();
        Thread poller = new Thread(() -> poll(questdb, probeUnit, probeSeen, stop), "probe-poller");
        poller.start();
        int probes = 0;
        long start = System.nanoTime();
        long nextProbe = start;
        int written = 0;
        List<Sample> buf = new ArrayList<>(batch);
        while (written < points) {
            buf.clear();
            for (int i = 0; i < batch && written < points; i++, written++) {
                // 20 units x 25 tags, one value per tag per 10 ms of plant time.
                int k = written;
                buf.add(new Sample("BR-" + (k % 20), "tag" + (k / 20 % 25), t0.plusMillis(10L * (k / 500)),
                        k * 0.001, "g/L", Quality.GOOD));
            }
            h.onSamples(buf);
            long now = System.nanoTime();
            if (now >= nextProbe && probes < probeWritten.length) {
                probeWritten[probes] = System.nanoTime();
                // Probes live in their own time region (2030) so that the poller's query scans one small partition.
                h.onSamples(List.of(Sample.of(probeUnit, "probe", PROBE_TIME.plusMillis(probes), probes, "")));
                probes++;
                nextProbe = now + 100_000_000L;
            }
            if (rate > 0) {
                long due = start + (long) (written * 1e9 / rate);
                long sleep = due - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
        }
        long accepted = System.nanoTime();
        QuestDbHistorianTest.await("drain", Duration.ofMinutes(10), () -> h.status().bufferedPoints() == 0);
        long forwarded = System.nanoTime();
        questdb.awaitApplied(LineProtocol.SAMPLE_MEASUREMENT);
        long applied = System.nanoTime();
        int lastProbe = probes - 1;
        QuestDbHistorianTest.await("probes", Duration.ofSeconds(60), () -> probeSeen[lastProbe] != 0);
        stop.set(true);
        poller.join(10_000);
        double[] lat = new double[probes];
        for (int i = 0; i < probes; i++) {
            lat[i] = (probeSeen[i] - probeWritten[i]) / 1e6;
        }
        Arrays.sort(lat);
        return new Phase(name, points, points / ((accepted - start) / 1e9), points / ((forwarded - start) / 1e9),
                points / ((applied - start) / 1e9), lat);
    }

    /** Polls the highest probe visible by SQL; in-order forwarding means all lower probes are visible too. */
    private static void poll(QuestDb questdb, String probeUnit, long[] seen, AtomicBoolean stop) {
        Properties p = new Properties();
        p.setProperty("user", "admin");
        p.setProperty("password", "quest");
        p.setProperty("sslmode", "disable");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + questdb.pgPort + "/qdb", p);
                PreparedStatement ps = c.prepareStatement(
                        "SELECT max(value) FROM plant_sample WHERE ts >= '2030-01-01' AND site = 'LOAD' AND unit = ?")) {
            ps.setString(1, probeUnit);
            int visible = -1;
            while (!stop.get()) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        double v = rs.getDouble(1);
                        if (!rs.wasNull()) {
                            long now = System.nanoTime();
                            for (int i = visible + 1; i <= (int) v; i++) {
                                seen[i] = now;
                            }
                            visible = Math.max(visible, (int) v);
                        }
                    }
                }
                Thread.sleep(2);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
