package org.biotwin.ebr.internal.audit;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.biotwin.api.audit.AuditEntry;
import org.biotwin.api.audit.AuditEvent;
import org.biotwin.api.audit.VerificationResult;

/**
 * Benchmark harness (not a test): appends per second with fsync for 1 and 8 threads, and the time to open (recover and
 * index) and verify a trail of N entries. Run with
 * {@code mvn -q -f bundles/ebr/pom.xml -Pbench test-compile exec:exec [-Dbench.seconds=10] [-Dbench.entries=1000000]
 * [-Dbench.dir=/path/on/the/disk/to/measure]}.
 */
public final class AuditBenchmark {

    static AuditEvent event(long i) {
        return new AuditEvent("system:twin", "sample.reject", "sample", "BR-101/DO",
                "Data-quality rejection: value outside the physical range", null,
                "{\"unitId\":\"BR-101\",\"tag\":\"DO\",\"time\":\"2026-03-01T08:00:00Z\",\"value\":" + i
                        + ",\"uom\":\"%\",\"rule\":\"range[0,150]\"}");
    }

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args.length > 0 ? args[0] : "target/bench");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        long entries = args.length > 2 ? Long.parseLong(args[2]) : 1_000_000;
        Files.createDirectories(base);
        System.out.printf("dir=%s cores=%d java=%s%n", base.toAbsolutePath(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        for (int threads : new int[] {1, 8}) {
            Path dir = base.resolve("append-" + threads);
            delete(dir);
            try (FileAuditTrail t = new FileAuditTrail(dir, Clock.systemUTC())) {
                AtomicLong n = new AtomicLong();
                long end = System.nanoTime() + seconds * 1_000_000_000L;
                Thread[] ws = new Thread[threads];
                for (int i = 0; i < threads; i++) {
                    ws[i] = new Thread(() -> {
                        while (System.nanoTime() < end) {
                            t.append(event(n.incrementAndGet()));
                        }
                    });
                }
                long t0 = System.nanoTime();
                for (Thread w : ws) {
                    w.start();
                }
                for (Thread w : ws) {
                    w.join();
                }
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("append threads=%d: %d appends in %.1f s = %.0f appends/s, %d fsyncs,"
                        + " %.1f appends per fsync, verify=%s%n", threads, t.size(), s, t.size() / s, t.syncCount(),
                        (double) t.size() / t.syncCount(), t.verify().valid());
            }
            delete(dir);
        }

        // A chain of N entries, written directly (no fsync per entry: building it is not what is measured).
        Path dir = base.resolve("verify");
        delete(dir);
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve(FileAuditTrail.LOG)),
                1 << 20)) {
            String prev = AuditCodec.GENESIS;
            Instant ts = Instant.parse("2026-03-01T08:00:00.123456Z");
            for (long seq = 1; seq <= entries; seq++) {
                AuditEvent e = event(seq);
                Instant time = ts.plusMillis(seq);
                String h = AuditCodec.hash(seq, time, e, prev);
                out.write(AuditCodec.encodeLine(new AuditEntry(seq, time, e, prev, h)));
                prev = h;
            }
        }
        System.out.printf("built %d entries (%.0f MB) in %.1f s%n", entries,
                Files.size(dir.resolve(FileAuditTrail.LOG)) / 1e6, (System.nanoTime() - t0) / 1e9);
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        t0 = System.nanoTime();
        long cpu0 = mx.getCurrentThreadCpuTime();
        VerificationResult offline = FileAuditTrail.verifyDirectory(dir);
        System.out.printf("verify (offline, whole chain) %d entries: %.2f s wall, %.2f s CPU of this thread,"
                + " valid=%s%n", offline.entries(), (System.nanoTime() - t0) / 1e9,
                (mx.getCurrentThreadCpuTime() - cpu0) / 1e9, offline.valid());
        t0 = System.nanoTime();
        try (FileAuditTrail t = new FileAuditTrail(dir, Clock.systemUTC())) {
            System.out.printf("open (recover + verify + index) %d entries: %.2f s%n", t.size(),
                    (System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            VerificationResult v = t.verify();
            System.out.printf("verify (live trail) %d entries: %.2f s, valid=%s%n", v.entries(),
                    (System.nanoTime() - t0) / 1e9, v.valid());
        }
        delete(dir);
    }

    private static void delete(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
