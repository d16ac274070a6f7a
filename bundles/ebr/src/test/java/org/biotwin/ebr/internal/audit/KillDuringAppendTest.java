package org.biotwin.ebr.internal.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import org.biotwin.api.audit.AuditEntry;
import org.biotwin.api.audit.VerificationResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL in the middle of a burst of appends (a child JVM, {@link Process#destroyForcibly()}): after reopening, every
 * entry the child saw acknowledged is present and the chain verifies. Three rounds on the same trail, so recovery also
 * runs on a trail that already went through a crash. Bounded: at most 20 s per round and 20,000 appends per child.
 */
class KillDuringAppendTest {

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedEntrySurvivesKillMinus9() throws Exception {
        long totalAcknowledged = 0;
        for (int round = 0; round < 3; round++) {
            ConcurrentSkipListSet<Long> acknowledged = new ConcurrentSkipListSet<>();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    AppendChild.class.getName(), dir.toString(), "4", "5000");
            pb.redirectErrorStream(true);
            Process p = pb.start();
            List<String> other = new ArrayList<>();
            try {
                Thread reader = new Thread(() -> {
                    try (BufferedReader r = new BufferedReader(
                            new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            if (line.matches("\\d+")) {
                                acknowledged.add(Long.parseLong(line));
                            } else {
                                synchronized (other) {
                                    other.add(line);
                                }
                            }
                        }
                    } catch (java.io.IOException e) {
                        // stream closed by the kill
                    }
                });
                reader.setDaemon(true);
                reader.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                long wanted = 300 + round * 200L;
                while (acknowledged.size() < wanted && System.nanoTime() < deadline && p.isAlive()) {
                    Thread.sleep(5);
                }
                assertThat(p.isAlive()).as("child still appending when killed; output: %s", other).isTrue();
                p.destroyForcibly();
                assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
                reader.join(5000);
            } finally {
                p.destroyForcibly();
            }
            assertThat(acknowledged).as("child output: %s", other).isNotEmpty();
            try (FileAuditTrail t = new FileAuditTrail(dir, Clock.systemUTC())) {
                assertThat(t.openProblems()).isEmpty();
                VerificationResult v = t.verify();
                assertThat(v.valid()).as(v.problems().toString()).isTrue();
                long max = acknowledged.last();
                assertThat(t.size()).isGreaterThanOrEqualTo(max);
                List<AuditEntry> all = t.entries(1, (int) t.size());
                long present = all.stream().filter(e -> e.event().action().equals("test.burst")).count();
                assertThat(present).isGreaterThanOrEqualTo(totalAcknowledged + acknowledged.size());
                for (long s : acknowledged) {
                    assertThat(all.get((int) s - 1).sequence()).isEqualTo(s);
                    assertThat(all.get((int) s - 1).event().action()).isEqualTo("test.burst");
                }
                totalAcknowledged = present;
            }
        }
    }
}
