package org.biotwin.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.biotwin.host.server.HiveMqServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference host killed with {@code kill -9} during ingestion at 1,000 samples/s, then restarted: every sample
 * the broker acknowledged to the plant before, during and after the kill reaches QuestDB. The host runs as a child
 * process ({@code java -jar lib/biotwin-host.jar}, its embedded QuestDB killed with it); the broker is external
 * (HiveMQ in this JVM, as a plant broker would be), so that it keeps acknowledging the plant while the host is down
 * and holds the connector's persistent session. Every wait is bounded; the child and the broker are stopped here.
 */
// In a clean build it used to time out: lib/biotwin-host.jar was made at package, after the tests, so the child
// could not start. The pom now makes the launcher jar before the tests.
class HostKillTest {

    private static final String UNIT = "EDGE-K";

    private Process child;
    private final HiveMqServer broker = new HiveMqServer();

    @AfterEach
    void stopAll() throws Exception {
        if (child != null && child.isAlive()) {
            child.destroy(); // SIGTERM: the host stops the framework, then QuestDB
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        broker.stop();
    }

    @Test
    void everySampleAcknowledgedByTheBrokerReachesTheHistorianAfterKill9AndRestart(@TempDir Path work)
            throws Exception {
        HostConfig brokerConfig = new HostConfig(work, work.resolve("broker/storage"), false, work.resolve("unused"),
                300, "127.0.0.1", 0, -1, false, Map.of(HostConfig.DATA_DIR, work.resolve("broker").toString(),
                        HiveMqServer.PORT, "0"));
        broker.start(brokerConfig);
        int http = Ports.free();
        int pg = Ports.free();
        Path deploy = Files.createDirectories(work.resolve("deploy"));
        Path home = BundleSetTest.home().toAbsolutePath();
        Files.copy(home.resolve("reference/org.biotwin.historian.influxdb.config"),
                deploy.resolve("org.biotwin.historian.influxdb.config"));
        StringBuilder tags = new StringBuilder();
        for (int t = 0; t < TestPlant.TAGS; t++) {
            tags.append(t == 0 ? "" : ",").append("\"x").append(t).append("=1\"");
        }
        Files.writeString(deploy.resolve("org.biotwin.connector.mqtt-edge.config"), "name=\"edge\"\n"
                + "broker.uri=\"${biotwin.mqtt.uri}\"\nclient.id=\"biotwin-kill-edge\"\nunits=[\"" + UNIT + "\"]\n"
                + "tags=[" + tags + "]\ntopic.patterns=[\"edge/{unit}\"]\n");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m",
                "-Dbiotwin.storage.dir=" + work.resolve("run/felix-cache"),
                "-Dbiotwin.data.dir=" + work.resolve("run"),
                "-Dbiotwin.deploy.dir=" + deploy,
                "-Dbiotwin.deploy.poll.ms=100",
                "-Dbiotwin.http.port=0", "-Dbiotwin.shell.port=-1", "-Dbiotwin.shell.interactive=false",
                "-Dbiotwin.reference.deploy=false",
                "-Dbiotwin.mqtt.embedded=false", "-Dbiotwin.mqtt.uri=" + broker.uri(),
                "-Dbiotwin.questdb.http.port=" + http, "-Dbiotwin.questdb.pg.port=" + pg,
                "-jar", home.resolve("lib/biotwin-host.jar").toString()));
        Path log1 = work.resolve("host-1.log");
        child = start(cmd, work, log1);
        awaitLog(log1, "MQTT edge connected", 120);
        Sql sql = new Sql(pg);

        long killedAfter;
        try (TestPlant plant = new TestPlant(broker.uri(), "edge", UNIT, ReferenceHostTest.RATE, 15_000)) {
            plant.start();
            Thread.sleep(6_000);
            long rowsAtKill = sql.count("select count() from plant_sample where unit = '" + UNIT + "'");
            killedAfter = plant.ackedSamples();
            child.destroyForcibly(); // SIGKILL, as kill -9: no shutdown hook, no framework stop, QuestDB killed too
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).as("the host is dead").isTrue();
            System.out.printf("KILL host killed with kill -9 after %d samples acknowledged by the broker%n",
                    killedAfter);
            Thread.sleep(3_000); // the plant keeps publishing into the broker while the host is down
            Path log2 = work.resolve("host-2.log");
            long t0 = System.currentTimeMillis();
            child = start(cmd, work, log2);
            awaitLog(log2, "MQTT edge connected", 120);
            System.out.printf("KILL host restarted and connected in %d ms (rows readable just before the kill: %d)%n",
                    System.currentTimeMillis() - t0, rowsAtKill);
            assertThat(plant.awaitAllAcked(120, TimeUnit.SECONDS)).as("the plant's samples all acknowledged").isTrue();
            long acked = plant.ackedSamples();
            long seen = 0;
            long deadline = System.currentTimeMillis() + 120_000;
            String count = "select count() from plant_sample where unit = '" + UNIT + "'";
            while (System.currentTimeMillis() < deadline && (seen = sql.count(count)) < acked) {
                Thread.sleep(500);
            }
            System.out.printf("KILL after restart: %d samples acknowledged by the broker (%d before the kill),"
                    + " %d rows in QuestDB%n", acked, killedAfter, seen);
            assertThat(seen).isEqualTo(acked);
        }
    }

    private static Process start(List<String> cmd, Path work, Path log) throws Exception {
        return new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }

    private void awaitLog(Path log, String text, int seconds) throws Exception {
        try {
            ReferenceHostTest.await(() -> {
                try {
                    return Files.exists(log) && Files.readString(log).contains(text);
                } catch (java.io.IOException e) {
                    return false;
                }
            }, seconds, "'" + text + "' in " + log + (Files.exists(log) ? "" : " (no log)"));
        } catch (AssertionError e) {
            // the child host's own words are the diagnosis: keep them in the report
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            throw new AssertionError(e.getMessage() + "; child alive: " + (child != null && child.isAlive())
                    + "; last lines of its log:\n" + String.join("\n",
                            lines.subList(Math.max(0, lines.size() - 60), lines.size())), e);
        }
    }

    /** Free loopback ports for the child's QuestDB, fixed across its restart. */
    private static final class Ports {
        static int free() throws java.io.IOException {
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }
    }
}
