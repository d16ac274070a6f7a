package org.biotwin.historian.influxdb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.biotwin.api.historian.HistorianException;
import org.biotwin.api.historian.Series;
import org.biotwin.api.sample.Quality;
import org.biotwin.api.sample.Sample;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The InfluxQL read dialect against a real Debian InfluxDB 1.6.7 ({@code .ci/setup.d/historian.sh} installs it),
 * started here on loopback ports with a private configuration. InfluxDB 1.6.7 has no {@code /api/v2/write}, so the
 * test writes the historian's own line protocol through the v1 {@code /write} endpoint, then reads through
 * {@link InfluxQlReader} (influxdb-client-java's InfluxQL API). Skipped when {@code influxd} is not installed.
 */
class InfluxQlReadTest {

    private static final Instant T0 = Instant.parse("2026-02-10T12:00:00Z");

    @TempDir
    static Path dir;
    static Process influxd;
    static int httpPort;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startInfluxd() throws Exception {
        Path exe = Path.of("/usr/bin/influxd");
        // ./biotwin test installs it (.ci/setup.d/historian.sh): a missing server is a failure, never a skip
        if (!Files.isExecutable(exe)) {
            throw new IllegalStateException("influxd is not installed: run .ci/setup.d/historian.sh (as root)");
        }
        httpPort = freePort();
        int rpcPort = freePort();
        Path conf = dir.resolve("influxdb.conf");
        Files.writeString(conf, """
                reporting-disabled = true
                bind-address = "127.0.0.1:%d"
                [meta]
                  dir = "%s/meta"
                [data]
                  dir = "%s/data"
                  wal-dir = "%s/wal"
                  query-log-enabled = false
                [http]
                  bind-address = "127.0.0.1:%d"
                  log-enabled = false
                [monitor]
                  store-enabled = false
                """.formatted(rpcPort, dir, dir, dir, httpPort));
        influxd = new ProcessBuilder(exe.toString(), "-config", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("influxd.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                if (get("/ping").statusCode() == 204) {
                    break;
                }
            } catch (IOException e) {
                // not up yet
            }
            if (System.nanoTime() > deadline || !influxd.isAlive()) {
                throw new IllegalStateException("influxd did not start: " + Files.readString(dir.resolve(
                        "influxd.log")));
            }
            Thread.sleep(50);
        }
        assertThat(post("/query?q=" + enc("CREATE DATABASE biotwin"), "").statusCode()).isEqualTo(200);
    }

    @AfterAll
    static void stopInfluxd() throws InterruptedException {
        if (influxd != null) {
            influxd.destroy();
            if (!influxd.waitFor(10, TimeUnit.SECONDS)) {
                influxd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Settings settings(Path buffer) {
        Map<String, Object> p = TestConfig.questdb("http://127.0.0.1:" + httpPort, 1, buffer);
        p.put("backend", "INFLUXQL");
        p.put("site", "P1");
        return Settings.from(TestConfig.of(p));
    }

    @Test
    void rangeAndBatchReadsInInfluxQl() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            String batch = i >= 10 ? "B-42" : null;
            String phase = i >= 10 ? (i < 20 ? "GROWTH" : "PRODUCTION") : null;
            LineProtocol.appendSample(lines, "P1", new Sample("BR-1", "DO", T0.plusSeconds(i), 40.0 + i, "%",
                    i == 5 ? Quality.BAD : Quality.GOOD), batch, phase, Precision.US);
            LineProtocol.appendSample(lines, "P1", Sample.of("BR-1", "T", T0.plusSeconds(i), 36.5, "Cel"), batch,
                    phase, Precision.US);
            LineProtocol.appendSample(lines, "OTHER", Sample.of("BR-1", "DO", T0.plusSeconds(i), -1, "%"), batch,
                    phase, Precision.US);
        }
        HttpResponse<String> w = post("/write?db=biotwin&precision=u", lines.toString());
        assertThat(w.statusCode()).as(w.body()).isEqualTo(204);
        // The same line again (a redelivery) overwrites: same measurement, tag set and time.
        StringBuilder again = new StringBuilder();
        LineProtocol.appendSample(again, "P1", new Sample("BR-1", "DO", T0.plusSeconds(12), 99.0, "%",
                Quality.GOOD), "B-42", "GROWTH", Precision.US);
        assertThat(post("/write?db=biotwin&precision=u", again.toString()).statusCode()).isEqualTo(204);

        InfluxQlReader reader = new InfluxQlReader(settings(dir.resolve("b1")));
        try {
            List<Series> r = reader.range("BR-1", List.of("DO"), T0, T0.plusSeconds(30));
            assertThat(r).hasSize(1);
            Series s = r.get(0);
            assertThat(s.unitId()).isEqualTo("BR-1");
            assertThat(s.tag()).isEqualTo("DO");
            assertThat(s.uom()).isEqualTo("%");
            assertThat(s.size()).isEqualTo(30);
            assertThat(s.points().get(0).time()).isEqualTo(T0);
            assertThat(s.points().get(5).quality()).isEqualTo(Quality.BAD);
            assertThat(s.points().get(29).value()).isEqualTo(69.0);
            assertThat(s.points().get(12).batchId()).isEqualTo("B-42");
            assertThat(s.points().get(12).value()).isEqualTo(99.0); // overwritten in place, not a 31st point
            assertThat(s.points().get(25).phase()).isEqualTo("PRODUCTION");
            assertThat(s.points().get(3).batchId()).isNull();

            assertThat(reader.range("BR-1", List.of(), T0.plusSeconds(2), T0.plusSeconds(4)))
                    .extracting(Series::tag, Series::size).containsExactly(
                            org.assertj.core.groups.Tuple.tuple("DO", 2), org.assertj.core.groups.Tuple.tuple("T", 2));

            List<Series> b = reader.batch("B-42");
            assertThat(b).extracting(Series::tag).containsExactly("DO", "T");
            assertThat(b.get(0).size()).isEqualTo(20);
            assertThat(b.get(0).points().get(0).time()).isEqualTo(T0.plusSeconds(10));
            assertThat(reader.batch("B-none")).isEmpty();
        } finally {
            reader.close();
        }
    }

    @Test
    void aBadQueryIsAReadFailureWithTheQuery() throws Exception {
        InfluxQlReader reader = new InfluxQlReader(settings(dir.resolve("b2")));
        try {
            assertThatThrownBy(() -> reader.query("SELEKT nothing")).isInstanceOf(HistorianException.class)
                    .hasMessageContaining("InfluxQL read").hasMessageContaining("SELEKT nothing");
        } finally {
            reader.close();
        }
    }
}
