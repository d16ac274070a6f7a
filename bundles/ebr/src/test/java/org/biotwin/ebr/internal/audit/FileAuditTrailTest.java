package org.biotwin.ebr.internal.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.biotwin.api.audit.AuditEntry;
import org.biotwin.api.audit.AuditEvent;
import org.biotwin.api.audit.VerificationResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAuditTrailTest {

    @TempDir
    Path dir;

    static AuditEvent event(int i) {
        return new AuditEvent("jdoe", "batch.phase", "batch", "B-" + (i % 3), "reason " + i, i == 0 ? null : "old" + i,
                "new \"" + i + "\"\nline2 ünïcödé");
    }

    private FileAuditTrail open() {
        return new FileAuditTrail(dir, Clock.systemUTC());
    }

    private void fill(int n) {
        try (FileAuditTrail t = open()) {
            for (int i = 0; i < n; i++) {
                t.append(event(i));
            }
        }
    }

    @Test
    void appendsSurviveReopenAndChainVerifies() {
        List<AuditEntry> written = new ArrayList<>();
        try (FileAuditTrail t = open()) {
            for (int i = 0; i < 10; i++) {
                written.add(t.append(event(i)));
            }
            assertThat(written.get(0).previousHash()).isEqualTo(AuditCodec.GENESIS);
            assertThat(written.get(1).previousHash()).isEqualTo(written.get(0).hash());
        }
        try (FileAuditTrail t = open()) {
            assertThat(t.openProblems()).isEmpty();
            assertThat(t.entries(1, 100)).isEqualTo(written);
            assertThat(t.entriesFor("batch", "B-1")).extracting(AuditEntry::sequence).containsExactly(2L, 5L, 8L);
            assertThat(t.recordIds("batch")).containsExactlyInAnyOrder("B-0", "B-1", "B-2");
            assertThat(t.last()).contains(written.get(9));
            VerificationResult v = t.verify();
            assertThat(v.valid()).as(v.problems().toString()).isTrue();
            assertThat(v.entries()).isEqualTo(10);
            AuditEntry next = t.append(event(10));
            assertThat(next.sequence()).isEqualTo(11);
            assertThat(next.previousHash()).isEqualTo(written.get(9).hash());
        }
    }

    @Test
    void editedByteIsDetected() throws IOException {
        fill(5);
        Path log = dir.resolve(FileAuditTrail.LOG);
        String text = Files.readString(log);
        // Change one character of entry 3's reason, keeping valid JSON: only the hash can tell.
        Files.writeString(log, text.replace("reason 2", "reason 7"));
        VerificationResult v = FileAuditTrail.verifyDirectory(dir);
        assertThat(v.valid()).isFalse();
        assertThat(v.problems()).anyMatch(p -> p.contains("entry 3") && p.contains("edited"));
        try (FileAuditTrail t = open()) {
            assertThat(t.openProblems()).isNotEmpty();
            assertThat(t.verify().valid()).isFalse();
            assertThatThrownBy(() -> t.append(event(9))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("corrupt").hasMessageContaining("entry 3");
        }
    }

    @Test
    void flippedByteThatBreaksJsonIsDetected() throws IOException {
        fill(5);
        Path log = dir.resolve(FileAuditTrail.LOG);
        byte[] b = Files.readAllBytes(log);
        int second = indexOfLine(b, 1);
        b[second] = '#';
        Files.write(log, b);
        VerificationResult v = FileAuditTrail.verifyDirectory(dir);
        assertThat(v.valid()).isFalse();
        assertThat(v.problems()).anyMatch(p -> p.contains("entry 2") && p.contains("unreadable"));
    }

    @Test
    void deletedEntryIsDetected() throws IOException {
        fill(5);
        Path log = dir.resolve(FileAuditTrail.LOG);
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        lines.remove(2);
        Files.write(log, lines);
        VerificationResult v = FileAuditTrail.verifyDirectory(dir);
        assertThat(v.valid()).isFalse();
        assertThat(v.problems()).anyMatch(p -> p.contains("entry 4") && p.contains("deleted"));
    }

    @Test
    void reorderedEntriesAreDetected() throws IOException {
        fill(5);
        Path log = dir.resolve(FileAuditTrail.LOG);
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        String two = lines.get(1);
        lines.set(1, lines.get(2));
        lines.set(2, two);
        Files.write(log, lines);
        VerificationResult v = FileAuditTrail.verifyDirectory(dir);
        assertThat(v.valid()).isFalse();
        assertThat(v.problems()).anyMatch(p -> p.contains("reordered"));
    }

    @Test
    void entriesCutOffTheEndAreDetectedThroughTheHead() throws IOException {
        fill(5);
        Path log = dir.resolve(FileAuditTrail.LOG);
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        Files.write(log, lines.subList(0, 3));
        try (FileAuditTrail t = open()) {
            assertThat(t.openProblems()).anyMatch(p -> p.contains("acknowledged entry 5")
                    && p.contains("missing from the end"));
            assertThat(t.verify().valid()).isFalse();
        }
    }

    @Test
    void tornLastRecordIsCutAndTheCutIsAudited() throws IOException {
        fill(3);
        Path log = dir.resolve(FileAuditTrail.LOG);
        long goodSize = Files.size(log);
        // A crash in the middle of write(2): half a line, no terminating newline, never acknowledged.
        Files.write(log, "{\"seq\":4,\"ts\":\"2026-".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        try (FileAuditTrail t = open()) {
            assertThat(t.openProblems()).isEmpty();
            List<AuditEntry> all = t.entries(1, 10);
            assertThat(all).hasSize(4);
            AuditEntry cut = all.get(3);
            assertThat(cut.event().action()).isEqualTo("audit.torn-record-truncated");
            assertThat(cut.event().oldValue()).startsWith("20 bytes at offset " + goodSize);
            assertThat(t.verify().valid()).isTrue();
        }
    }

    @Test
    void aSecondProcessCannotOpenTheSameTrail() {
        try (FileAuditTrail t = open()) {
            t.append(event(1));
            // The OS lock is per process; within one JVM, a second channel lock attempt is refused too.
            assertThatThrownBy(this::open).isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void concurrentWritersGetDistinctGaplessSequencesAndTheChainVerifies() throws Exception {
        int threads = 8;
        int perThread = 250;
        ConcurrentLinkedQueue<Long> acknowledged = new ConcurrentLinkedQueue<>();
        try (FileAuditTrail t = open()) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> futures = new ArrayList<>();
                for (int th = 0; th < threads; th++) {
                    int id = th;
                    futures.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < perThread; i++) {
                            acknowledged.add(t.append(new AuditEvent("user" + id, "test.append", "thread",
                                    "T" + id, "load", null, Integer.toString(i))).sequence());
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : futures) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            Set<Long> seqs = new HashSet<>(acknowledged);
            assertThat(seqs).hasSize(threads * perThread);
            assertThat(seqs).allMatch(s -> s >= 1 && s <= threads * perThread);
            VerificationResult v = t.verify();
            assertThat(v.valid()).as(v.problems().toString()).isTrue();
            assertThat(v.entries()).isEqualTo(threads * perThread);
            for (int th = 0; th < threads; th++) {
                // Each thread's own entries are in its program order.
                List<AuditEntry> mine = t.entriesFor("thread", "T" + th);
                assertThat(mine).extracting(e -> e.event().newValue())
                        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, perThread)
                                .mapToObj(Integer::toString).toList());
            }
        }
    }

    @Test
    void badArgumentsAreRefusedClearly() {
        try (FileAuditTrail t = open()) {
            assertThatThrownBy(() -> t.entries(0, 5)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("starts at 1");
            assertThatThrownBy(() -> new AuditEvent(" ", "a", "b", "c", "", null, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("actor");
        }
    }

    private static int indexOfLine(byte[] b, int n) {
        int line = 0;
        for (int i = 0; i < b.length; i++) {
            if (line == n) {
                return i;
            }
            if (b[i] == '\n') {
                line++;
            }
        }
        throw new IllegalArgumentException("no line " + n);
    }
}
