package org.biotwin.ui.web.it;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.model.InputProfile;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.ebr.internal.signature.PasswordHasher;
import org.biotwin.host.Host;
import org.biotwin.host.HostConfig;
import org.biotwin.kinetics.internal.sim.SimulatorComponent;
import org.biotwin.models.cho.internal.ChoMabFedBatchModel;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The real reference host (Felix 7 with the assembled bundle set, its embedded MQTT broker and QuestDB on free ports)
 * with this bundle, the CHO model, users, the plant MQTT connection, the historian, closed-loop limits for BR-101, twins
 * BR-101 (with a golden-batch envelope from three earlier good batches recorded in the historian) and BR-102 (no
 * closed-loop limits), an advisory policy and a batch; and a test plant that feeds BR-101 samples of a simulated CHO
 * fed-batch (the real kinetic core and CHO model, run outside the framework) through the twin's own
 * {@code SampleListener} service and the historian. Stopped, with the feeder, by {@link #close()}.
 * <p>
 * The batch is under-fed from day 3 (0.3 L/h), so its glucose runs out before harvest and the advisor has something
 * to advise. The first 30 h of data go in at once; then one simulated minute every {@value #LIVE_MS} ms.
 */
final class PanelHost implements AutoCloseable {

    static final String UNIT = "BR-101";
    /** A second unit with a twin but without closed-loop limits: it can never leave indirect control. */
    static final String UNIT_WITHOUT_LIMITS = "BR-102";
    /** What closed loop may write to {@link #UNIT}: F_feed within [0, 4] L/h, at most 2 L/h per step. */
    static final double CL_MIN = 0;
    static final double CL_MAX = 4;
    static final double CL_STEP = 2;
    static final String BATCH = "B-UI-001";
    static final Instant START = Instant.now().minusSeconds(30 * 3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    static final String SCHEDULE = "profile:F_feed=0@0,0.3@72";
    static final Map<String, String> PASSWORDS = Map.of("op1", "op1-secret-pw", "eng1", "eng1-secret-pw", "qa1",
            "qa1-secret-pw", "it1", "it1-secret-pw", "sup1", "sup1-secret-pw");
    /** Good earlier batches of the unit in the historian: the twin's golden-batch envelope. */
    static final List<String> GOLDEN = List.of("B-GB-1", "B-GB-2", "B-GB-3");
    /** Length of each golden batch, h. */
    private static final double GOLDEN_HOURS = 120;
    private static final long LIVE_MS = 150;
    private static final double PRELOAD_H = 30;

    final Host host;
    final int httpPort;
    final int shellPort;
    final Path work;
    private final Thread feeder;
    private volatile boolean running = true;
    volatile double fedHours;
    /** While above {@link #fedHours}, the plant runs without pausing until it gets there (fast-forward). */
    private volatile double fastUntil = PRELOAD_H;
    final String mqttUri;

    PanelHost() throws Exception {
        Path home = Paths.get(System.getProperty("uiweb.host.home"));
        work = Paths.get(System.getProperty("uiweb.work")).resolve("run-" + System.currentTimeMillis());
        Path deploy = work.resolve("deploy");
        Files.createDirectories(deploy);
        writeConfigs(deploy);
        Path twinConfig = work.resolve("org.biotwin.engine.twin-" + UNIT + ".config");
        writeTwinConfig(twinConfig);
        Path models = Paths.get(System.getProperty("uiweb.models"));
        try (var s = Files.list(models)) {
            for (Path p : s.toList()) {
                Files.copy(p, deploy.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path bundle = Paths.get(System.getProperty("uiweb.bundle"));
        Path inSet = home.resolve("bundles").resolve(bundle.getFileName());
        if (Files.exists(inSet)) {
            // the panel as just built, not the copy the bundle set was assembled with
            Files.copy(bundle, inSet, StandardCopyOption.REPLACE_EXISTING);
        } else {
            // a bundle set without the panel (an older build): deploy it like a model
            Files.copy(bundle, deploy.resolve(bundle.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        httpPort = freePort();
        shellPort = freePort();
        // The embedded broker and QuestDB on free ports: other builds on this machine may hold the defaults.
        host = new Host(new HostConfig(home, work.resolve("storage"), true, deploy, 100, "127.0.0.1", httpPort,
                shellPort, false, Map.of("biotwin.mqtt.port", "0", "biotwin.questdb.http.port", "0",
                        "biotwin.questdb.pg.port", "0")));
        host.start();
        mqttUri = context().getProperty("biotwin.mqtt.uri");
        for (String type : List.of("org.biotwin.api.batch.BatchRecord", "org.biotwin.api.twin.TwinRegistry",
                "org.biotwin.api.audit.Authenticator", "org.biotwin.api.advisory.Advisor",
                "org.biotwin.api.historian.Historian")) {
            await(() -> service(type) != null, 60_000, "service " + type);
        }
        recordGoldenBatches();
        // The twin comes after its golden batches are in the historian, so that it builds the envelope at once.
        Files.copy(twinConfig, deploy.resolve(twinConfig.getFileName()));
        await(() -> twinListener() != null, 30_000, "the twin of " + UNIT);
        await(() -> status("/biotwin/") == 200, 30_000, "the web panel to be served");
        createBatch();
        feeder = new Thread(this::feed, "ui-web-test-plant");
        feeder.setDaemon(true);
        feeder.start();
        await(() -> fedHours >= PRELOAD_H, 120_000, "the first " + PRELOAD_H + " h of plant data");
    }

    String base() {
        return "http://127.0.0.1:" + httpPort + "/biotwin/";
    }

    BundleContext context() {
        // Host.framework() is package-private in the launcher; the test reads it as the launcher's own tests do.
        try {
            Method m = Host.class.getDeclaredMethod("framework");
            m.setAccessible(true);
            return ((org.osgi.framework.launch.Framework) m.invoke(host)).getBundleContext();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot reach the host's framework", e);
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            feeder.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        host.stop();
    }

    // ------------------------------------------------------------------------------------------------ set-up

    private static void writeConfigs(Path deploy) throws IOException {
        List<String> users = new ArrayList<>();
        // The minimum PBKDF2 iterations keep log-ins quick in the test; the default for real users is 600,000.
        users.add(user("op1", "Olivia Operator", "operator"));
        users.add(user("eng1", "Emil Engineer", "engineer,supervisor"));
        users.add(user("qa1", "Quinn QA", "qa"));
        users.add(user("it1", "Ivo IT", "it"));
        users.add(user("sup1", "Sam Supervisor", "supervisor"));
        Files.writeString(deploy.resolve("org.biotwin.ebr.signatures.config"), "users=[" + String.join(",", users)
                + "]\nmaxFailures=I\"5\"\n");
        // The plant connection (the PlantWriter closed loop writes through) and the historian, to the host's
        // embedded broker and QuestDB; FileInstall substitutes the addresses the host's servers contributed.
        Files.writeString(deploy.resolve("org.biotwin.connector.mqtt-plant.config"), String.join("\n",
                "name=\"plant\"", "broker.uri=\"${biotwin.mqtt.uri}\"", "client.id=\"panel-it-plant\"",
                "units=[\"" + UNIT + "\"]", "tags=[\"OUR=mmol/L/h\",\"weight=L\",\"GLC_lab=g/L\"]", ""));
        Files.writeString(deploy.resolve("org.biotwin.historian.influxdb.config"), String.join("\n",
                "url=\"${biotwin.historian.url}\"", "site=\"panel-it\"", "backend=\"QUESTDB_SQL\"",
                "precision=\"MS\"", "bufferDirectory=\"${biotwin.data.dir}/historian/buffer\"",
                "pgHost=\"${biotwin.historian.pg.host}\"", "pgPort=\"${biotwin.historian.pg.port}\"", ""));
        Files.writeString(deploy.resolve("org.biotwin.advisory.policy-" + UNIT + ".config"), String.join("\n",
                "unit=\"" + UNIT + "\"", "feedMax=\"4.0\"", "volumeMax=\"1400.0\"", "substrateMin=\"0.5\"",
                "ensembleSize=I\"30\"", "price=\"10.0\"", "currency=\"EUR\"", "optimisationSeconds=\"4\"", ""));
        Files.writeString(deploy.resolve("org.biotwin.advisory.config"), "reviewIntervalSeconds=I\"0\"\n");
        // Closed loop may be enabled for BR-101 only; it follows the twin every 250 ms and writes through "plant".
        Files.writeString(deploy.resolve("org.biotwin.closedloop.config"), String.join("\n",
                "tickMillis=L\"250\"", "plantWriter.target=\"(name=plant)\"", ""));
        Files.writeString(deploy.resolve("org.biotwin.closedloop.unit-" + UNIT + ".config"), String.join("\n",
                "unit=\"" + UNIT + "\"", "input=\"F_feed\"", "min=D\"" + CL_MIN + "\"", "max=D\"" + CL_MAX + "\"",
                "maxStep=D\"" + CL_STEP + "\"", ""));
        Files.writeString(deploy.resolve("org.biotwin.engine.twin-" + UNIT_WITHOUT_LIMITS + ".config"),
                String.join("\n", "unit=\"" + UNIT_WITHOUT_LIMITS + "\"", "modelId=\"cho.mab.fedbatch\"",
                        "observations=[\"OUR=OUR;sd=0.002;rel=0.03\"]", "harvestAgeHours=\"240\"",
                        "predictionIntervalSeconds=\"0\"", ""));
        Files.writeString(deploy.resolve("org.biotwin.ui.web.config"), String.join("\n",
                "frameAncestors=[\"'self'\",\"http://127.0.0.1:*\"]", "sessionTimeoutMinutes=I\"15\"",
                "livePeriodMillis=I\"250\"",
                "measuredTags=[\"titre_lab=titre\",\"GLC_lab=glucose\",\"weight=volume\",\"OUR=OUR\"]", ""));
    }

    private static void writeTwinConfig(Path file) throws IOException {
        Files.writeString(file, String.join("\n",
                "unit=\"" + UNIT + "\"",
                "modelId=\"cho.mab.fedbatch\"",
                "observations=[\"OUR=OUR;sd=0.002;rel=0.03\",\"weight=volume;rel=0.005\","
                        + "\"GLC_lab=glucose;sd=0.05;offline\",\"VCD_lab=VCD;sd=0.05;rel=0.05;offline\","
                        + "\"titre_lab=titre;sd=0.005;rel=0.05;offline\"]",
                "initialState=[\"Xv=0.5\",\"GLC=30\"]",
                "schedule=\"" + SCHEDULE + "\"",
                "harvestAgeHours=\"240\"",
                "predictionIntervalSeconds=\"2\"",
                "ensembleSize=I\"30\"",
                "goldenBatches=[" + String.join(",", GOLDEN.stream().map(g -> "\"" + g + "\"").toList()) + "]",
                "batchStart=\"" + START + "\"", ""));
    }

    private static String user(String id, String name, String roles) {
        return "\"" + id + "|" + name + "|" + roles + "|" + PasswordHasher.hash(PASSWORDS.get(id).toCharArray(),
                PasswordHasher.MIN_ITERATIONS) + "\"";
    }

    /**
     * Records three good earlier batches of the unit, as a plant and an MES would have left them: each is created,
     * started and completed in the batch record, and its samples (OUR and weight every 6 min, glucose every 12 h, from
     * the real kinetic core and CHO model with the growth rate varied by -5 %, 0 and +5 % and measurement noise) are
     * written through the historian service into the host's QuestDB, tagged with the batch by the historian itself.
     * Returns once the historian reads the last of them back.
     */
    private void recordGoldenBatches() throws Exception {
        Object br = service("org.biotwin.api.batch.BatchRecord");
        Object historian = service("org.biotwin.api.historian.Historian");
        Bundle api = bundle("org.biotwin.api");
        Class<?> historianType = api.loadClass("org.biotwin.api.historian.Historian");
        Method write = historianType.getMethod("writeSamples", java.util.Collection.class);
        Method readBatch = historianType.getMethod("readBatch", String.class);
        Method of = api.loadClass("org.biotwin.api.sample.Sample").getMethod("of", String.class, String.class,
                Instant.class, double.class, String.class);
        KineticModel cho = new ChoMabFedBatchModel();
        int mu = -1;
        for (int i = 0; i < cho.parameters().size(); i++) {
            if (cho.parameters().get(i).name().equals("mu_max")) {
                mu = i;
            }
        }
        OperatingSchedule plan = new OperatingSchedule(List.of(new InputProfile("F_feed", new double[] {0, 72},
                new double[] {0, 1.25})), List.of());
        int n = (int) (GOLDEN_HOURS * 10);
        double[] times = new double[n + 1];
        for (int k = 0; k <= n; k++) {
            times[k] = k / 10.0;
        }
        Random rnd = new Random(11);
        for (int g = 0; g < GOLDEN.size(); g++) {
            String id = GOLDEN.get(g);
            Instant start = START.minusSeconds((long) ((GOLDEN.size() - g) * (GOLDEN_HOURS + 24) * 3600));
            double[] p = cho.nominalParameters();
            p[mu] *= 1 + 0.05 * (g - 1);
            Trajectory t = new SimulatorComponent().simulate(new SimulationRequest(cho, cho.nominalInitialState(), p,
                    0, GOLDEN_HOURS, times, plan, SolverSettings.DEFAULT));
            double[] our = t.observable("OUR");
            double[] vol = t.observable("volume");
            double[] glc = t.observable("glucose");
            List<Object> samples = new ArrayList<>();
            for (int k = 1; k <= n; k++) {
                Instant at = start.plusMillis(Math.round(times[k] * 3.6e6));
                samples.add(of.invoke(null, UNIT, "OUR", at, our[k] * (1 + 0.03 * rnd.nextGaussian()), "mmol/L/h"));
                samples.add(of.invoke(null, UNIT, "weight", at, vol[k] * (1 + 0.005 * rnd.nextGaussian()), "L"));
                if (k % 120 == 0) {
                    samples.add(of.invoke(null, UNIT, "GLC_lab", at, glc[k] + 0.05 * rnd.nextGaussian(), "g/L"));
                }
            }
            batchCommand(br, "create", id, start.minusSeconds(600));
            batchCommand(br, "start", id, start);
            batchCommand(br, "enterPhase", id, start.plusSeconds(3600));
            write.invoke(historian, samples);
            batchCommand(br, "complete", id, start.plusSeconds((long) (GOLDEN_HOURS * 3600)));
        }
        String last = GOLDEN.get(GOLDEN.size() - 1);
        await(() -> {
            try {
                return ((List<?>) readBatch.invoke(historian, last)).size() >= 3;
            } catch (ReflectiveOperationException e) {
                return false;
            }
        }, 30_000, "the golden batches in the historian");
    }

    private static void batchCommand(Object br, String command, String batch, Instant at) throws Exception {
        switch (command) {
            case "create" -> br.getClass().getMethod("create", String.class, String.class, String.class,
                    String.class, String.class, String.class, Map.class, List.class, Instant.class)
                    .invoke(br, "mes", batch, UNIT, "mAb-UI", "R-CHO-FB", "3", Map.of(), List.of(), at);
            case "enterPhase" -> br.getClass().getMethod("enterPhase", String.class, String.class, String.class,
                    Instant.class).invoke(br, "mes", batch, "FED_BATCH", at);
            default -> br.getClass().getMethod(command, String.class, String.class, Instant.class)
                    .invoke(br, "mes", batch, at);
        }
    }

    /** Runs the plant without pausing until it reaches this batch age, h; returns once it has. */
    void fastForward(double hours) throws InterruptedException {
        long t0 = System.nanoTime();
        double from = fedHours;
        fastUntil = hours;
        await(() -> fedHours >= hours, 120_000, "the plant to reach " + hours + " h");
        System.out.printf("[ui.web] plant fast-forward %.1f h -> %.1f h in %d ms%n", from, hours,
                (System.nanoTime() - t0) / 1_000_000);
    }

    /** Creates and starts the batch through the batch record service (as the MES would), by reflection. */
    private void createBatch() throws Exception {
        Object br = service("org.biotwin.api.batch.BatchRecord");
        Method create = br.getClass().getMethod("create", String.class, String.class, String.class, String.class,
                String.class, String.class, Map.class, List.class, Instant.class);
        create.invoke(br, "mes", BATCH, UNIT, "mAb-UI", "R-CHO-FB", "3", Map.of("targetTemperature", "36.5"),
                List.of(), START.minusSeconds(600));
        br.getClass().getMethod("start", String.class, String.class, Instant.class).invoke(br, "mes", BATCH, START);
        br.getClass().getMethod("enterPhase", String.class, String.class, String.class, Instant.class)
                .invoke(br, "mes", BATCH, "FED_BATCH", START.plusSeconds(3600));
    }

    // ------------------------------------------------------------------------------------------------ plant

    /**
     * Simulates the plant (OUR and weight every minute with 3 % and 0.5 % noise; glucose every 12 h, VCD and titre
     * every 24 h, each reported 2 h after sampling) and delivers the samples to the twin in arrival order.
     */
    private void feed() {
        try {
            KineticModel cho = new ChoMabFedBatchModel();
            OperatingSchedule plan = new OperatingSchedule(List.of(new InputProfile("F_feed", new double[] {0, 72},
                    new double[] {0, 0.3})), List.of());
            double hours = 200;
            int n = (int) (hours * 60);
            double[] times = new double[n + 1];
            for (int k = 0; k <= n; k++) {
                times[k] = k / 60.0;
            }
            double[] x0 = cho.nominalInitialState();
            Trajectory truth = new SimulatorComponent().simulate(new SimulationRequest(cho, x0,
                    cho.nominalParameters(), 0, hours, times, plan, SolverSettings.DEFAULT));
            double[] our = truth.observable("OUR");
            double[] glc = truth.observable("glucose");
            double[] vcd = truth.observable("VCD");
            double[] titre = truth.observable("titre");
            double[] vol = truth.observable("volume");
            Random rnd = new Random(7);
            record Arrival(double at, String tag, double sampledAt, double value, String uom) {
            }
            List<Arrival> arrivals = new ArrayList<>();
            for (int k = 1; k <= n; k++) {
                double t = times[k];
                arrivals.add(new Arrival(t, "OUR", t, our[k] * (1 + 0.03 * rnd.nextGaussian()), "mmol/L/h"));
                arrivals.add(new Arrival(t, "weight", t, vol[k] * (1 + 0.005 * rnd.nextGaussian()), "L"));
                if (k % (12 * 60) == 0) {
                    arrivals.add(new Arrival(t + 2, "GLC_lab", t, glc[k] + 0.05 * rnd.nextGaussian(), "g/L"));
                }
                if (k % (24 * 60) == 0) {
                    arrivals.add(new Arrival(t + 2, "VCD_lab", t, vcd[k] * (1 + 0.05 * rnd.nextGaussian()),
                            "10*6{cells}/mL"));
                    arrivals.add(new Arrival(t + 2, "titre_lab", t, titre[k] * (1 + 0.05 * rnd.nextGaussian()),
                            "g/L"));
                }
            }
            arrivals.sort(Comparator.comparingDouble(Arrival::at));
            Bundle api = bundle("org.biotwin.api");
            Class<?> sampleClass = api.loadClass("org.biotwin.api.sample.Sample");
            Method of = sampleClass.getMethod("of", String.class, String.class, Instant.class, double.class,
                    String.class);
            // Through the interface: the twin's listener is a lambda whose own class is not accessible.
            Method onSamples = api.loadClass("org.biotwin.api.sample.SampleListener").getMethod("onSamples",
                    List.class);
            // The historian stores the plant data too (measured points on the charts); batched while fast.
            Method store = api.loadClass("org.biotwin.api.historian.Historian").getMethod("writeSamples",
                    java.util.Collection.class);
            Object historian = service("org.biotwin.api.historian.Historian");
            List<Object> toStore = new ArrayList<>();
            int i = 0;
            double clock = 0;
            while (running && i < arrivals.size()) {
                clock += 1 / 60.0;
                List<Object> batch = new ArrayList<>();
                while (i < arrivals.size() && arrivals.get(i).at() <= clock) {
                    Arrival a = arrivals.get(i++);
                    batch.add(of.invoke(null, UNIT, a.tag(), START.plusMillis(Math.round(a.sampledAt() * 3.6e6)),
                            a.value(), a.uom()));
                }
                if (!batch.isEmpty()) {
                    Object listener = twinListener();
                    if (listener != null) {
                        onSamples.invoke(listener, batch);
                    }
                    toStore.addAll(batch);
                }
                boolean live = clock >= fastUntil;
                if (!toStore.isEmpty() && (live || toStore.size() >= 2000)) {
                    store.invoke(historian, new ArrayList<>(toStore));
                    toStore.clear();
                }
                fedHours = clock;
                if (live) {
                    Thread.sleep(LIVE_MS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            e.printStackTrace();
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /**
     * A service by type. getAllServiceReferences: the test's class path has its own copy of the API, so the system
     * bundle's class-space check would hide every suite service from it.
     */
    Object service(String type) {
        try {
            ServiceReference<?>[] r = context().getAllServiceReferences(type, null);
            return r == null ? null : context().getService(r[0]);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object twinListener() {
        try {
            ServiceReference<?>[] refs = context().getAllServiceReferences("org.biotwin.api.sample.SampleListener",
                    "(biotwin.units=" + UNIT + ")");
            return refs == null ? null : context().getService(refs[0]);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private Bundle bundle(String bsn) {
        for (Bundle b : context().getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new IllegalStateException("No bundle " + bsn);
    }

    int status(String path) {
        try {
            java.net.HttpURLConnection c = (java.net.HttpURLConnection) java.net.URI.create("http://127.0.0.1:"
                    + httpPort + path).toURL().openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(5000);
            return c.getResponseCode();
        } catch (IOException e) {
            return -1;
        }
    }

    static void await(BooleanSupplier condition, long timeoutMs, String what) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("Timed out after " + timeoutMs + " ms waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
