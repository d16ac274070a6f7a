package org.biotwin.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.biotwin.host.server.QuestDbServer;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load harness of the reference host's data path (not part of the default build: {@code mvn -Pload verify} or
 * {@code features/host/load/run-load.sh}). Side by side in one run, on the same machine and the same Mosquitto
 * configuration:
 * <ol>
 * <li>raw: the C publisher of {@code bundles/connector.mqtt/load/} (libmosquitto, QoS 1) → Mosquitto →
 *     {@code mosquitto_sub -q 1 > /dev/null};</li>
 * <li>host, one sample per message: the same publisher → Mosquitto → the connector in the real host → the historian
 *     bundle (fsync'd buffer, line protocol) → embedded QuestDB, counted when readable by SQL;</li>
 * <li>host, batch payloads: one message per unit carrying {@code load.tags} samples.</li>
 * </ol>
 * The publishers stamp the wall clock in ms, unique per series, so rows arrive in time order as from a live plant
 * (single: {@code load.units} x {@code load.tags} series round-robin). Before the measured runs a warm-up
 * ({@code load.warmup} single messages and a tenth as many batch messages, not measured) lets the JIT compiler
 * finish. During each host run a probe publishes one extra sample every 20 ms and polls QuestDB for it: the latency
 * from publish to readable by SQL (p50, p99); {@code load.probe=false} leaves it out. Each run also reports where
 * the CPU went ({@link CpuMeter}). Properties: {@code load.messages} (400000), {@code load.tags} (10),
 * {@code load.units} (30), {@code load.warmup} (100000 per round), {@code load.warmup.rounds} (20), {@code load.modes} (single,batch,sustained),
 * {@code load.broker.inflight} (1000), {@code load.sustained.rate} (20000), {@code load.sustained.seconds} (30),
 * {@code load.rounds} (3). The raw path is measured {@code load.rounds} times before and as often after the host
 * runs, the single-sample host path {@code load.rounds} times; the ratio is of the medians. No loss is asserted:
 * every sample must be readable at the end.
 */
@Tag("load")
class HostLoadHarness {

    static final int MESSAGES = Integer.getInteger("load.messages", 400_000);
    static final int TAGS = Integer.getInteger("load.tags", 10);
    static final int UNITS = Integer.getInteger("load.units", 30);
    /** Measurements of the raw path before and after the host runs, and of the single-sample host path. */
    static final int ROUNDS = Integer.getInteger("load.rounds", 3);
    /**
     * Mosquitto's max_inflight_messages (QoS 1 messages in flight to each subscriber), for the raw and host runs: by
     * default the connector's receive maximum, since the connector acknowledges only after the historian's sync.
     */
    static final int INFLIGHT = Integer.getInteger("load.broker.inflight", 1000);

    @TempDir
    Path tmp;

    /** QuestDB's PostgreSQL wire port of the running host. */
    private int pgPort;

    /** Which host runs ({@code load.modes}, comma-separated): single, batch, sustained. */
    static final java.util.Set<String> MODES = java.util.Set.of(System.getProperty("load.modes",
            "single,batch,sustained").split(","));

    @Test
    void rawRateVersusHostIngestionIntoQuestDb() throws Exception {
        Path bin = compilePublisher();
        List<Double> rawBefore = rawRounds(bin, "raw");
        List<Result> singles = new ArrayList<>();
        Result batch = null;
        Result steady = null;
        try (Mosquitto m = new Mosquitto(tmp.resolve("host"))) {
            Host host = startHost(m);
            try {
                pgPort = ((QuestDbServer) host.server(QuestDbServer.NAME)).pgPort();
                warmUp(bin, m);
                for (int r = 0; MODES.contains("single") && r < ROUNDS; r++) {
                    singles.add(hostRun(bin, m, "single", MESSAGES, MESSAGES));
                }
                if (MODES.contains("batch")) {
                    batch = hostRun(bin, m, "batch", MESSAGES / TAGS, (long) MESSAGES / TAGS * TAGS);
                }
                if (MODES.contains("sustained")) {
                    steady = sustained(m);
                }
            } finally {
                host.stop();
            }
        }
        // The raw path once more after the host runs: the machine is shared, so the load may have changed.
        List<Double> rawAfter = rawRounds(bin, "raw2");
        List<Double> raws = new ArrayList<>(rawBefore);
        raws.addAll(rawAfter);
        double rawMedian = median(raws);
        System.out.printf("%nLOAD RESULT (%d cores; publisher, Mosquitto, host and QuestDB share them)%n",
                Runtime.getRuntime().availableProcessors());
        System.out.printf("  raw   C pub -> mosquitto -> mosquitto_sub -q 1          : %s msg/s before, %s after the"
                + " host runs (%d messages each); median %,.0f%n", rates(rawBefore), rates(rawAfter), MESSAGES,
                rawMedian);
        if (!singles.isEmpty()) {
            double hostMedian = median(singles.stream().map(Result::rate).toList());
            // latencies of the round nearest the median (of the lower middle one for an even count)
            Result middle = singles.stream().sorted(java.util.Comparator.comparingDouble(Result::rate))
                    .toList().get((singles.size() - 1) / 2);
            System.out.printf("  host  C pub -> mosquitto -> connector -> historian -> QuestDB, 1 sample/msg : %s"
                    + " samples/s; median %,.0f = %.0f %% of the raw median; publish->SQL-readable p50 %d ms, p99 %d ms"
                    + " (%d probes, middle round)%n", rates(singles.stream().map(Result::rate).toList()), hostMedian,
                    100 * hostMedian / rawMedian, middle.p50, middle.p99, middle.probes);
        }
        if (batch != null) {
            System.out.printf("  host  same, %d samples/msg (batch)                        : %,9.0f samples/s"
                    + " (%,.0f msg/s); p50 %d ms, p99 %d ms (%d probes)%n", TAGS, batch.rate, batch.rate / TAGS,
                    batch.p50, batch.p99, batch.probes);
        }
        if (steady != null) {
            System.out.printf("  host  sustained, fixed offered rate (Java publisher, 10 samples/msg)   : %,9.0f"
                    + " samples/s; p50 %d ms, p99 %d ms (%d probes)%n", steady.rate, steady.p50, steady.p99,
                    steady.probes);
        }
    }

    /** {@link #ROUNDS} raw measurements on one fresh Mosquitto. */
    private List<Double> rawRounds(Path bin, String dir) throws Exception {
        List<Double> rates = new ArrayList<>();
        try (Mosquitto m = new Mosquitto(tmp.resolve(dir))) {
            for (int r = 0; r < ROUNDS; r++) {
                rates.add(raw(bin, m));
            }
        }
        return rates;
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String rates(List<Double> rates) {
        return String.join(" / ", rates.stream().map(r -> String.format(Locale.ROOT, "%,.0f", r)).toList());
    }

    record Result(double rate, long p50, long p99, int probes) {
    }

    private Path compilePublisher() throws Exception {
        Path src = Path.of("..", "..", "bundles", "connector.mqtt", "load", "mqtt_load_pub.c").toAbsolutePath();
        assertThat(src).as("the connector's C load publisher").exists();
        Path bin = Path.of("target", "mqtt_load_pub").toAbsolutePath();
        Process gcc = new ProcessBuilder("gcc", "-O2", "-o", bin.toString(), src.toString(), "-lmosquitto")
                .inheritIO().start();
        assertThat(gcc.waitFor()).as("gcc with libmosquitto-dev (.ci/setup.d/mosquitto.sh)").isZero();
        return bin;
    }

    private static Process publish(Path bin, Mosquitto m, int count, String mode) throws Exception {
        return new ProcessBuilder(bin.toString(), "127.0.0.1", Integer.toString(m.port), Integer.toString(count),
                mode, Integer.toString(UNITS), Integer.toString(TAGS)).inheritIO().start();
    }

    /**
     * Warm-up, not measured: rounds of {@code load.warmup} single-sample messages through the whole path, each until readable, until the JIT compiler is done: a round in which the
     * compiler threads took under 5 % of the round's time, at most {@code load.warmup.rounds} rounds. The raw path
     * is native code; the host JVM carries Felix, the suite, Paho and QuestDB, and on two loaded cores its compiler
     * stays behind for a long time (after one 10-s round it still took about a third of a core).
     */
    private void warmUp(Path bin, Mosquitto m) throws Exception {
        int messages = Integer.getInteger("load.warmup", 100_000);
        int rounds = Integer.getInteger("load.warmup.rounds", 20);
        long expected = messages;
        // The probe's code paths (SQL polling, Paho publisher) warm up too.
        try (Pg pg = new Pg(pgPort); Probe probe = new Probe(m, pgPort, "warmup", new ArrayList<>())) {
            probe.start();
            for (int round = 1; messages > 0 && round <= rounds; round++) {
                long t0Micros = System.currentTimeMillis() * 1000;
                long jit0 = CpuMeter.jitNanos();
                long t0 = System.nanoTime();
                // Single-sample messages only: a batch round in between changed the type profiles, and the measured
                // single run then spent ~10 % of a core re-compiling.
                Process single = publish(bin, m, messages, "single");
                assertThat(single.waitFor(300, TimeUnit.SECONDS)).as("warm-up publisher").isTrue();
                long deadline = System.currentTimeMillis() + 300_000;
                long seen = 0;
                while (System.currentTimeMillis() < deadline && (seen = pg.count(COUNT_SINCE, t0Micros)) < expected) {
                    Thread.sleep(100);
                }
                assertThat(seen).as("every warm-up sample readable").isEqualTo(expected);
                long wall = System.nanoTime() - t0;
                double jitShare = (double) (CpuMeter.jitNanos() - jit0) / wall;
                System.out.printf("warm-up %d: %d samples through the host in %.1f s, JIT compiler %.0f %% of a core"
                        + " (not measured)%n", round, expected, wall / 1e9, 100 * jitShare);
                if (jitShare < 0.05) {
                    return;
                }
            }
        }
    }

    private double raw(Path bin, Mosquitto m) throws Exception {
        Process sub = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(m.port), "-q", "1",
                "-C", Integer.toString(MESSAGES), "-t", "plant/#", "-i", "raw-sub")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            Thread.sleep(1000);
            long t0 = System.nanoTime();
            Process pub = publish(bin, m, MESSAGES, "single");
            assertThat(sub.waitFor(300, TimeUnit.SECONDS)).as("mosquitto_sub got every message").isTrue();
            double s = (System.nanoTime() - t0) / 1e9;
            assertThat(pub.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return MESSAGES / s;
        } finally {
            sub.destroy();
        }
    }

    private Host startHost(Mosquitto m) throws Exception {
        Path deploy = Files.createDirectories(tmp.resolve("deploy"));
        Path home = BundleSetTest.home().toAbsolutePath();
        Files.copy(home.resolve("reference/org.biotwin.historian.influxdb.config"),
                deploy.resolve("org.biotwin.historian.influxdb.config"));
        // Experiments: -Dload.historian.<key>=<value> overrides a key of the reference historian configuration.
        StringBuilder overrides = new StringBuilder();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("load.historian."))
                .forEach(k -> overrides.append(k.substring("load.historian.".length())).append('=')
                        .append(System.getProperty(k)).append('\n'));
        Files.writeString(deploy.resolve("org.biotwin.historian.influxdb.config"), overrides,
                StandardOpenOption.APPEND);
        StringBuilder units = new StringBuilder();
        for (int u = 0; u < UNITS; u++) {
            units.append(u == 0 ? "" : ",").append("\"BR-").append(101 + u).append('"');
        }
        StringBuilder tags = new StringBuilder("\"DO=%\",\"probe=1\"");
        for (int t = 0; t < TAGS; t++) {
            tags.append(",\"t").append(t).append("=%\"");
        }
        for (int t = 0; t < TestPlant.TAGS; t++) {
            tags.append(",\"x").append(t).append("=1\"");
        }
        Files.writeString(deploy.resolve("org.biotwin.connector.mqtt-load.config"), "name=\"load\"\n"
                + "broker.uri=\"${biotwin.mqtt.uri}\"\nclient.id=\"biotwin-load\"\nunits=[" + units + "]\n"
                + "tags=[" + tags + "]\n");
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put(HostConfig.DATA_DIR, tmp.resolve("run").toString());
        extra.put("biotwin.mqtt.embedded", "false");
        extra.put("biotwin.mqtt.uri", "tcp://127.0.0.1:" + m.port);
        extra.put(QuestDbServer.HTTP_PORT, "0");
        extra.put(QuestDbServer.PG_PORT, "0");
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(QuestDbServer.CONF_PREFIX))
                .forEach(k -> extra.put(k, System.getProperty(k)));
        Host host = new Host(new HostConfig(home, tmp.resolve("run/felix-cache"), true, deploy, 100, "127.0.0.1", 0,
                -1, false, extra));
        host.start();
        ReferenceHostTest.await(() -> hasConnection(host), 60, "the load connection");
        Thread.sleep(2_000);
        return host;
    }

    private static boolean hasConnection(Host host) {
        try {
            return host.framework().getBundleContext().getAllServiceReferences(
                    "org.biotwin.api.messaging.ConnectionStatus", "(name=load)") != null;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Load rows of a run: everything stamped since its start except the probes. The publishers stamp the wall clock,
     * as a plant does, so the rows arrive in time order; the count is an interval on the designated timestamp plus
     * a symbol filter over the run's rows only.
     */
    static final String COUNT_SINCE = "select count() from plant_sample where ts >= cast(? as timestamp)"
            + " and tag != 'probe'";

    private Result hostRun(Path bin, Mosquitto m, String mode, int messages, long samples)
            throws Exception {
        Pg pg = new Pg(pgPort);
        long t0Micros = System.currentTimeMillis() * 1000;
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        Probe probe = new Probe(m, pg.port, mode, latencies);
        if (Boolean.parseBoolean(System.getProperty("load.probe", "true"))) {
            probe.start();
        }
        CpuMeter cpu = new CpuMeter();
        long t0 = System.nanoTime();
        Process pub = publish(bin, m, messages, mode);
        long deadline = System.currentTimeMillis() + 600_000;
        long seen = 0;
        while (System.currentTimeMillis() < deadline && (seen = pg.count(COUNT_SINCE, t0Micros)) < samples) {
            Thread.sleep(100); // < 1 % of a 10-s run; each count scans the run's rows so far
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.println(cpu.report(mode, samples));
        probe.close();
        pg.close();
        assertThat(pub.waitFor(60, TimeUnit.SECONDS)).isTrue();
        System.out.printf("host %s: %d of %d samples readable in QuestDB after %.2f s%n", mode, seen, samples, s);
        assertThat(seen).as("every sample of the %s run readable in QuestDB", mode).isEqualTo(samples);
        return result(samples / s, latencies);
    }

    /**
     * Where the CPU went during a run: the whole machine from {@code /proc/stat} (busy, and stolen by the
     * hypervisor), the host JVM in total, and its threads by group, as microseconds per sample. Less noisy on a
     * shared machine than the rate.
     */
    static final class CpuMeter {
        private final long[] machine0 = machine();
        private final long process0 = processCpuNanos();
        private final Map<Long, Long> threads0 = threads();

        String report(String run, long samples) {
            long[] machine1 = machine();
            long process = processCpuNanos() - process0;
            Map<String, Long> groups = new java.util.TreeMap<>();
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            threads().forEach((id, cpu) -> {
                java.lang.management.ThreadInfo info = mx.getThreadInfo(id);
                String name = info == null ? "?" : info.getThreadName().replaceAll("[-#_ ]?\\d+$", "")
                        .replaceAll("-load-probe.*|load-probe.*", "load-probe");
                groups.merge(name, cpu - threads0.getOrDefault(id, 0L), Long::sum);
            });
            long threadSum = groups.values().stream().mapToLong(Long::longValue).sum();
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "cpu %s: machine busy %.0f %%, steal"
                    + " %.0f %% (of %d cores); host JVM %.1f us/sample (%.0f %% of a core), of which",
                    run, 100.0 * (machine1[0] - machine0[0]) / Math.max(1, machine1[2] - machine0[2]) * cores(),
                    100.0 * (machine1[1] - machine0[1]) / Math.max(1, machine1[2] - machine0[2]) * cores(), cores(),
                    process / 1e3 / samples, 100.0 * process / Math.max(1, (machine1[3] - machine0[3]))));
            groups.entrySet().stream().filter(e -> e.getValue() * 200L > process)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> out.append(String.format(Locale.ROOT, " %s %.1f;", e.getKey(),
                            e.getValue() / 1e3 / samples)));
            Map<String, Long> vm1 = vmThreads();
            long jit = 0;
            long gc = 0;
            for (Map.Entry<String, Long> e : vm1.entrySet()) {
                long d = e.getValue() - vm0.getOrDefault(e.getKey(), 0L);
                if (e.getKey().contains("Compiler")) {
                    jit += d;
                } else if (e.getKey().startsWith("GC") || e.getKey().startsWith("G1")) {
                    gc += d;
                }
            }
            out.append(String.format(Locale.ROOT, " JIT compiler %.1f; GC %.1f; other %.1f", jit / 1e3 / samples,
                    gc / 1e3 / samples, (process - threadSum - jit - gc) / 1e3 / samples));
            return out.toString();
        }

        private final Map<String, Long> vm0 = vmThreads();

        /** CPU nanoseconds of the JIT compiler threads so far. */
        static long jitNanos() {
            return vmThreads().entrySet().stream().filter(e -> e.getKey().contains("Compiler"))
                    .mapToLong(Map.Entry::getValue).sum();
        }

        /** CPU nanoseconds of the JVM's own threads (compiler, GC), by task name from {@code /proc/self/task}. */
        private static Map<String, Long> vmThreads() {
            Map<String, Long> out = new java.util.HashMap<>();
            long tick = 10_000_000L; // USER_HZ 100 on Linux
            try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                tasks.forEach(t -> {
                    try {
                        String stat = Files.readString(t.resolve("stat"));
                        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        if (!name.equals("java")) {
                            out.merge(name + "#" + t.getFileName(),
                                    (Long.parseLong(f[11]) + Long.parseLong(f[12])) * tick, Long::sum);
                        }
                    } catch (java.io.IOException | RuntimeException e) {
                        // the thread ended
                    }
                });
            } catch (java.io.IOException e) {
                // not Linux
            }
            return out;
        }

        private static int cores() {
            return Runtime.getRuntime().availableProcessors();
        }

        private static long processCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime();
        }

        private static Map<Long, Long> threads() {
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            Map<Long, Long> out = new java.util.HashMap<>();
            for (long id : mx.getAllThreadIds()) {
                long cpu = mx.getThreadCpuTime(id);
                if (cpu > 0) {
                    out.put(id, cpu);
                }
            }
            return out;
        }

        /** busy jiffies, steal jiffies, total jiffies (all cores), wall nanos. */
        private static long[] machine() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long user = Long.parseLong(f[1]) + Long.parseLong(f[2]);
                long system = Long.parseLong(f[3]) + Long.parseLong(f[6]) + Long.parseLong(f[7]);
                long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
                long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
                return new long[] {user + system, steal, user + system + idle + steal, System.nanoTime()};
            } catch (java.io.IOException | RuntimeException e) {
                return new long[] {0, 0, 1, System.nanoTime()};
            }
        }
    }

    private static Result result(double rate, List<Long> latencies) {
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        long p50 = sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
        long p99 = sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1));
        return new Result(rate, p50, p99, sorted.size());
    }

    /**
     * Sustained: {@link TestPlant} at a fixed rate ({@code load.sustained.rate} samples/s, 10 per message) for
     * {@code load.sustained.seconds}, with probes; every acknowledged sample must be readable at the end.
     */
    private Result sustained(Mosquitto m) throws Exception {
        int rate = Integer.getInteger("load.sustained.rate", 20_000);
        int seconds = Integer.getInteger("load.sustained.seconds", 30);
        // Ten units of a tenth each: every message gets its own millisecond at real-time stamps.
        int units = Math.min(10, UNITS);
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long t0Micros = System.currentTimeMillis() * 1000;
        List<TestPlant> plants = new ArrayList<>();
        try (Probe probe = new Probe(m, pgPort, "sustained", latencies); Pg pg = new Pg(pgPort)) {
            for (int u = 0; u < units; u++) {
                plants.add(new TestPlant("tcp://127.0.0.1:" + m.port, "plant", "BR-" + (101 + u), rate / units,
                        rate / units * seconds).realTime().window(64));
            }
            probe.start();
            long t0 = System.nanoTime();
            plants.forEach(TestPlant::start);
            long acked = 0;
            for (TestPlant plant : plants) {
                assertThat(plant.awaitAllAcked(seconds * 3L + 60, TimeUnit.SECONDS)).as("sustained run acknowledged")
                        .isTrue();
                acked += plant.ackedSamples();
            }
            long deadline = System.currentTimeMillis() + 300_000;
            long seen = 0;
            while (System.currentTimeMillis() < deadline && (seen = pg.count(COUNT_SINCE, t0Micros)) < acked) {
                Thread.sleep(50);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            probe.close();
            System.out.printf("host sustained: %d of %d samples readable in QuestDB after %.2f s (offered %d/s on %d"
                    + " units)%n", seen, acked, s, rate, units);
            assertThat(seen).isEqualTo(acked);
            return result(seen / s, latencies);
        } finally {
            for (TestPlant plant : plants) {
                plant.close();
            }
        }
    }

    /**
     * Publishes one probe sample every 20 ms (Paho, QoS 1, unique time stamps) while another thread polls QuestDB
     * over SQL every ~20 ms for new probe rows: latency = first seen by SQL − publish (to within ~20 ms).
     */
    private static final class Probe implements AutoCloseable {
        private final Thread publisher;
        private final Thread poller;
        private final java.util.concurrent.ConcurrentHashMap<Long, Long> sent = new java.util.concurrent.ConcurrentHashMap<>();
        private final List<Long> latencies;
        private volatile boolean stop;

        Probe(Mosquitto m, int pgPort, String run, List<Long> latencies) {
            this.latencies = latencies;
            publisher = new Thread(() -> publish(m, run), "load-probe-pub");
            poller = new Thread(() -> {
                try (Pg pg = new Pg(pgPort)) {
                    poll(pg);
                }
            }, "load-probe-poll");
        }

        void start() {
            poller.start();
            publisher.start();
        }

        private void publish(Mosquitto m, String run) {
            try {
                MqttClient c = new MqttClient("tcp://127.0.0.1:" + m.port, "load-probe-" + run, new MemoryPersistence());
                c.connect(new MqttConnectionOptions());
                long last = 0;
                try {
                    while (!stop) {
                        long ts = Math.max(System.currentTimeMillis(), last + 1);
                        last = ts;
                        MqttMessage msg = new MqttMessage(("{\"ts\":" + ts + ",\"value\":1,\"uom\":\"1\"}")
                                .getBytes(StandardCharsets.UTF_8));
                        msg.setQos(1);
                        sent.put(ts * 1000, System.nanoTime());
                        c.publish("plant/BR-101/probe", msg);
                        Thread.sleep(20);
                    }
                } finally {
                    c.disconnect();
                    c.close();
                }
            } catch (Exception e) {
                System.out.println("probe publisher stopped: " + e);
            }
        }

        private void poll(Pg pg) {
            long lastSeen = System.currentTimeMillis() * 1000 - 1; // probes carry the current time (micros here)
            while (!stop || !sent.isEmpty()) {
                try {
                    // An interval on the designated timestamp: only the newest rows are looked at, not the table.
                    // One prepared text with a bind variable: a new literal per poll made QuestDB compile a new
                    // query (and the JVM JIT-compile its generated code) 200 times a second.
                    for (long micros : pg.longs("select cast(ts as long) t from plant_sample where"
                            + " ts > cast(? as timestamp) and tag = 'probe' order by ts", lastSeen)) {
                        long now = System.nanoTime();
                        lastSeen = Math.max(lastSeen, micros);
                        Long t0 = sent.remove(micros);
                        if (t0 != null) {
                            latencies.add((now - t0) / 1_000_000);
                        }
                    }
                    Thread.sleep(20); // 20-ms resolution; 5 ms cost the host ~1 us per sample in queries
                } catch (Exception e) {
                    if (stop) {
                        return;
                    }
                }
                if (stop && System.nanoTime() - stoppedAt > 60_000_000_000L) {
                    return;
                }
            }
        }

        private volatile long stoppedAt;

        @Override
        public void close() throws InterruptedException {
            stoppedAt = System.nanoTime();
            stop = true;
            publisher.join(10_000);
            poller.join(70_000);
        }
    }

    /**
     * One PostgreSQL-wire connection to QuestDB kept open for polling ({@link Sql} opens one per query, which at a
     * poll every few milliseconds costs the server more CPU than the query); reopened after an error.
     */
    static final class Pg implements AutoCloseable {
        final int port;
        private java.sql.Connection connection;

        Pg(int port) {
            this.port = port;
        }

        private java.sql.Connection connection() throws java.sql.SQLException {
            if (connection == null || connection.isClosed()) {
                java.util.Properties p = new java.util.Properties();
                p.setProperty("user", "admin");
                p.setProperty("password", "quest");
                p.setProperty("sslmode", "disable");
                p.setProperty("connectTimeout", "5");
                p.setProperty("socketTimeout", "20");
                connection = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/qdb", p);
            }
            return connection;
        }

        private java.sql.PreparedStatement prepared;
        private String preparedSql;

        /** The first column as longs, of a prepared statement kept open, with one long bind variable. */
        List<Long> longs(String sql, long arg) throws java.sql.SQLException {
            try {
                if (prepared == null || !sql.equals(preparedSql) || prepared.isClosed()) {
                    prepared = connection().prepareStatement(sql);
                    preparedSql = sql;
                }
                prepared.setLong(1, arg);
                try (java.sql.ResultSet rs = prepared.executeQuery()) {
                    List<Long> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(rs.getLong(1));
                    }
                    return out;
                }
            } catch (java.sql.SQLException e) {
                close();
                throw e;
            }
        }

        /** The first column of the first row; 0 if the query fails (the table may not exist yet). */
        long count(String sql, long arg) {
            try {
                List<Long> r = longs(sql, arg);
                return r.isEmpty() ? 0 : r.get(0);
            } catch (java.sql.SQLException e) {
                return 0;
            }
        }

        @Override
        public void close() {
            prepared = null;
            try {
                if (connection != null) {
                    connection.close();
                }
            } catch (java.sql.SQLException e) {
                // nothing to do
            }
            connection = null;
        }
    }

    /** Debian Mosquitto 2.0 on a free loopback port, as the connector's harness configures it. */
    private static final class Mosquitto implements AutoCloseable {
        final int port;
        final Process process;

        Mosquitto(Path dir) throws Exception {
            Files.createDirectories(dir);
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                    "listener " + port + " 127.0.0.1", "allow_anonymous true",
                    "user " + System.getProperty("user.name"), "persistence false",
                    "max_queued_messages 0", "max_queued_bytes 0", "max_inflight_messages " + INFLIGHT, ""));
            String binary = Files.isExecutable(Path.of("/usr/sbin/mosquitto")) ? "/usr/sbin/mosquitto" : "mosquitto";
            process = new ProcessBuilder(binary, "-c", dir.resolve("mosquitto.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
            ReferenceHostTest.await(() -> {
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                    return true;
                } catch (java.io.IOException e) {
                    return false;
                }
            }, 20, "mosquitto on " + port);
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
