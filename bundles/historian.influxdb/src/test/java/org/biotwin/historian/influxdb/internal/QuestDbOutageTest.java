package org.biotwin.historian.influxdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.biotwin.api.historian.Series;
import org.biotwin.api.sample.Sample;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The historian server goes away during ingestion and comes back: the points written meanwhile wait on disk and are
 * replayed in order, every one counted. The same QuestDB data directory is restarted on the same ports, as a real
 * server restart would be. Own class: it stops its server.
 */
class QuestDbOutageTest {

    private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

    @TempDir
    Path dir;
    QuestDb questdb;
    InfluxHistorian historian;

    @AfterEach
    void stop() {
        if (historian != null) {
            historian.close();
        }
        if (questdb != null) {
            questdb.close();
        }
    }

    private static List<Sample> range(int from, int to) {
        List<Sample> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(Sample.of("BR-7", "pH", T0.plusMillis(100L * i), 7.0 + i * 1e-3, "[pH]"));
        }
        return out;
    }

    @Test
    void pointsWrittenWhileTheServerIsDownAreReplayedInOrderWhenItReturns() throws Exception {
        questdb = QuestDb.start(dir.resolve("questdb"), 0, 0);
        int http = questdb.httpPort;
        int pg = questdb.pgPort;
        Map<String, Object> config = TestConfig.questdb(questdb.url(), pg, dir.resolve("buffer"));
        config.put("batchSize", 100);
        historian = new InfluxHistorian(TestConfig.of(config));
        InfluxHistorian h = historian;

        // Before the outage.
        for (int i = 0; i < 200; i += 20) {
            h.onSamples(range(i, i + 20));
        }
        QuestDbHistorianTest.await("200 forwarded", Duration.ofSeconds(20),
                () -> h.status().forwardedPoints() == 200);

        // Outage: the server stops; ingestion goes on.
        questdb.close();
        questdb = null;
        for (int i = 200; i < 1200; i += 20) {
            h.onSamples(range(i, i + 20));
            Thread.sleep(2);
        }
        QuestDbHistorianTest.await("the writer to notice", Duration.ofSeconds(20),
                () -> !h.status().serverReachable());
        assertThat(h.status().acceptedPoints()).isEqualTo(1200);
        assertThat(h.status().bufferedPoints()).isGreaterThanOrEqualTo(900);
        assertThat(h.status().lastError()).isNotNull();

        // The same server comes back on the same data directory and ports.
        questdb = QuestDb.start(dir.resolve("questdb"), http, pg);
        QuestDbHistorianTest.await("replay", Duration.ofSeconds(30),
                () -> h.status().bufferedPoints() == 0 && h.status().serverReachable());
        assertThat(h.status().forwardedPoints()).isGreaterThanOrEqualTo(1200);
        questdb.awaitApplied(LineProtocol.SAMPLE_MEASUREMENT);

        List<Series> read = h.read("BR-7", List.of("pH"), T0, T0.plusSeconds(3600));
        assertThat(read).hasSize(1);
        Series s = read.get(0);
        assertThat(s.size()).isEqualTo(1200);
        for (int i = 0; i < 1200; i++) {
            assertThat(s.points().get(i).time()).isEqualTo(T0.plusMillis(100L * i));
            assertThat(s.points().get(i).value()).isEqualTo(7.0 + i * 1e-3);
        }
        assertThat(questdb.count("SELECT count() FROM plant_sample")).isEqualTo(1200);
    }
}
