package org.biotwin.connector.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForwardStoreTest {

    @TempDir
    Path dir;

    private static ForwardStore.Message msg(String s) {
        return new ForwardStore.Message(0, "t/" + s, s.getBytes(StandardCharsets.UTF_8), false);
    }

    private static List<String> payloads(List<ForwardStore.Message> m) {
        return m.stream().map(x -> new String(x.payload(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void keepsOrderAcrossReopenAndDeletesAcknowledgedSegments() throws Exception {
        try (ForwardStore s = new ForwardStore(dir, 64 * 1024)) {
            for (int i = 0; i < 500; i++) {
                s.append(List.of(msg("m" + i)));
            }
            assertThat(s.pending()).isEqualTo(500);
            List<ForwardStore.Message> first = s.peek(100);
            assertThat(payloads(first).get(0)).isEqualTo("m0");
            s.ackThrough(first.get(99).seq());
            assertThat(s.pending()).isEqualTo(400);
        }
        try (ForwardStore s = new ForwardStore(dir, 64 * 1024)) {
            assertThat(s.pending()).isEqualTo(400);
            List<String> all = new ArrayList<>();
            while (s.pending() > 0) {
                List<ForwardStore.Message> b = s.peek(37);
                all.addAll(payloads(b));
                s.ackThrough(b.get(b.size() - 1).seq());
            }
            assertThat(all).hasSize(400);
            assertThat(all.get(0)).isEqualTo("m100");
            assertThat(all.get(399)).isEqualTo("m499");
            s.append(List.of(msg("after")));
            assertThat(payloads(s.peek(5))).containsExactly("after");
        }
        try (Stream<Path> f = Files.list(dir)) {
            assertThat(f.filter(p -> p.getFileName().toString().startsWith("seg-")).count()).isEqualTo(1);
        }
    }

    @Test
    void aTornTailIsTruncatedOnRecovery() throws Exception {
        try (ForwardStore s = new ForwardStore(dir, 1 << 20)) {
            s.append(List.of(msg("a"), msg("b"), msg("c")));
        }
        Path seg;
        try (Stream<Path> f = Files.list(dir)) {
            seg = f.filter(p -> p.getFileName().toString().startsWith("seg-")).findFirst().orElseThrow();
        }
        try (RandomAccessFile raf = new RandomAccessFile(seg.toFile(), "rw")) {
            raf.setLength(raf.length() - 3); // a crash in the middle of writing "c"
        }
        try (ForwardStore s = new ForwardStore(dir, 1 << 20)) {
            assertThat(payloads(s.peek(10))).containsExactly("a", "b");
            s.append(List.of(msg("d")));
            assertThat(payloads(s.peek(10))).containsExactly("a", "b", "d");
        }
    }

    @Test
    void refusesWhenFullAndAcceptsAgainAfterForwarding() throws Exception {
        try (ForwardStore s = new ForwardStore(dir, 4096)) {
            int n = 0;
            while (true) {
                try {
                    s.append(List.of(msg("x" + n)));
                    n++;
                } catch (ForwardStore.FullException e) {
                    assertThat(e).hasMessageContaining("full");
                    break;
                }
            }
            assertThat(n).isPositive();
            assertThat(s.pending()).isEqualTo(n);
            assertThatThrownBy(() -> s.append(List.of(msg("y")))).isInstanceOf(ForwardStore.FullException.class);
            List<ForwardStore.Message> all = s.peek(n);
            s.ackThrough(all.get(all.size() - 1).seq());
            assertThat(s.pending()).isZero();
            s.append(List.of(msg("z"))); // space was freed by deleting acknowledged segments
            assertThat(payloads(s.peek(2))).containsExactly("z");
        }
    }
}
