package org.biotwin.advisory.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.apache.felix.framework.FrameworkFactory;
import org.biotwin.api.advisory.Advisor;
import org.biotwin.api.advisory.Advisory;
import org.biotwin.api.advisory.AdvisoryStatus;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.Simulator;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.model.InputProfile;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.api.sample.Sample;
import org.biotwin.api.sample.SampleListener;
import org.biotwin.api.twin.Twin;
import org.biotwin.api.twin.TwinRegistry;
import org.biotwin.ebr.internal.signature.PasswordHasher;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Open and decided advisories survive a restart of the advisory bundle in a real Apache Felix 7 running the suite
 * (SCR, ConfigAdmin, engine, softsensor, kinetics, CHO model, ebr, this bundle as built). A twin estimates an
 * under-fed CHO batch from simulated plant samples up to 72 h; the advisor proposes three times (the first two are
 * superseded), the operator accepts one with an e-signature; the bundle is stopped and started, and the new
 * component shows the same advisories. Then the store file is damaged while the bundle is stopped: it starts with no
 * advisories and the damaged file is found moved aside.
 */
class AdvisoryRestartIT {

    static final String UNIT = "BR-201";
    static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
    static final double NOW = 72;

    @Test
    void advisoriesSurviveARestartOfTheBundleAndADamagedStoreIsMovedAside() throws Exception {
        Path storage = Path.of(System.getProperty("it.work"), "restart");
        deleteTree(storage);
        Framework framework = new FrameworkFactory().newFramework(Map.of(Constants.FRAMEWORK_STORAGE,
                storage.toString(), Constants.FRAMEWORK_STORAGE_CLEAN,
                Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT, Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA,
                apiExports() + ",org.osgi.service.cm;version=1.6.0", "ds.loglevel", "warn"));
        framework.start();
        try {
            BundleContext ctx = framework.getBundleContext();
            List<Bundle> bundles = new ArrayList<>();
            try (Stream<Path> s = Files.list(Path.of(System.getProperty("it.bundles")))) {
                for (Path p : s.sorted().toList()) {
                    bundles.add(ctx.installBundle(p.toUri().toString()));
                }
            }
            Bundle advisory = ctx.installBundle(Path.of(System.getProperty("advisory.bundle")).toUri().toString());
            bundles.add(advisory);
            for (Bundle b : bundles) {
                b.start();
            }
            configure(ctx);
            Twin twin = twin(ctx);
            feed(ctx, NOW);
            await(() -> twin.planningBasis().map(b -> b.batchAge() >= NOW - 0.1).orElse(false), 60,
                    "an estimate at " + NOW + " h");

            Advisor before = service(ctx, Advisor.class);
            Advisory first = before.advise(UNIT).orElseThrow();
            Advisory second = before.advise(UNIT).orElseThrow();
            Advisory accepted = before.decide(second.id(), true, "op1", "op1-secret".toCharArray(),
                    "glucose runs out: feed as advised");
            Advisory open = before.advise(UNIT).orElseThrow();
            List<Advisory> shown = before.advisories(UNIT);
            assertThat(shown).extracting(Advisory::id).containsExactly(open.id(), accepted.id(), first.id());
            assertThat(shown).extracting(Advisory::status).containsExactly(AdvisoryStatus.OPEN,
                    AdvisoryStatus.ACCEPTED, AdvisoryStatus.SUPERSEDED);

            // restart of the advisory bundle: a new component instance, loaded from the bundle's data area
            advisory.stop();
            assertThat(ctx.getServiceReference(Advisor.class)).isNull();
            advisory.start();
            Advisor after = service(ctx, Advisor.class);
            assertThat(after).isNotSameAs(before);
            List<Advisory> reloaded = after.advisories(UNIT);
            System.out.printf("after restart: %s%n", reloaded.stream().map(a -> a.id() + " " + a.status()).toList());
            assertThat(reloaded).extracting(Advisory::id).containsExactly(open.id(), accepted.id(), first.id());
            assertThat(reloaded).extracting(Advisory::status).containsExactly(AdvisoryStatus.OPEN,
                    AdvisoryStatus.ACCEPTED, AdvisoryStatus.SUPERSEDED);
            Advisory acceptedAgain = after.advisory(accepted.id()).orElseThrow();
            assertThat(acceptedAgain.decision()).isEqualTo(accepted.decision());
            assertThat(acceptedAgain.whatIf().action()).isEqualTo(accepted.whatIf().action());
            assertThat(acceptedAgain.whatIf().gainP50()).isEqualTo(accepted.whatIf().gainP50());
            assertThat(acceptedAgain.whatIf().withAction().trajectories().get(0).p50())
                    .containsExactly(accepted.whatIf().withAction().trajectories().get(0).p50());
            // the reloaded open advisory can still be decided
            assertThat(after.decide(open.id(), false, "op1", "op1-secret".toCharArray(), "feed pump out of service")
                    .status()).isEqualTo(AdvisoryStatus.REJECTED);

            // a damaged store: the bundle starts with no advisories and the file is moved aside, not deleted
            Path store = advisory.getBundleContext().getDataFile("advisories").toPath().resolve("advisories.json");
            assertThat(store).exists();
            advisory.stop();
            Files.writeString(store, "{\"format\": \"biotwin-advisories/1\", \"advisories\": [ {\"id");
            advisory.start();
            assertThat(service(ctx, Advisor.class).advisories(UNIT)).isEmpty();
            try (Stream<Path> s = Files.list(store.getParent())) {
                assertThat(s.map(p -> p.getFileName().toString()))
                        .anyMatch(n -> n.startsWith("advisories.json.corrupt-"));
            }
        } finally {
            framework.stop();
            framework.waitForStop(20_000);
        }
    }

    private static void configure(BundleContext ctx) throws Exception {
        ConfigurationAdmin ca = service(ctx, ConfigurationAdmin.class);
        update(ca.getConfiguration("org.biotwin.ebr.signatures", "?"), Map.of("users", new String[] {
            "op1|Olivia Operator|operator|" + PasswordHasher.hash("op1-secret".toCharArray(), 210_000)}));
        update(ca.getConfiguration("org.biotwin.advisory", "?"), Map.of("reviewIntervalSeconds", 0.0));
        update(ca.createFactoryConfiguration("org.biotwin.advisory.policy", "?"), Map.of("unit", UNIT, "feedMax", 4.0,
                "volumeMax", 1400.0, "substrateMin", 0.5, "ensembleSize", 30, "price", 10.0, "currency", "EUR"));
        update(ca.createFactoryConfiguration("org.biotwin.engine.twin", "?"), Map.of("unit", UNIT, "modelId",
                "cho.mab.fedbatch", "observations", new String[] {"OUR=OUR;sd=0.002;rel=0.03",
                    "volume=volume;rel=0.005", "GLC_lab=glucose;sd=0.05;offline"},
                "schedule", "profile:F_feed=0@0,0.3@72", "initialState", new String[] {"Xv=0.5", "GLC=30"},
                "batchStart", START.toString(), "harvestAgeHours", 240.0, "predictionIntervalSeconds", 1.0,
                "ensembleSize", 30));
    }

    /** The plant's samples up to {@code hours}: OUR and volume every 10 min, glucose from the lab every 12 h. */
    private static void feed(BundleContext ctx, double hours) throws Exception {
        KineticModel cho = service(ctx, KineticModel.class);
        Simulator sim = service(ctx, Simulator.class);
        double[] x0 = cho.nominalInitialState();
        x0[cho.stateIndex("Xv")] = 0.5;
        x0[cho.stateIndex("GLC")] = 30;
        int n = (int) Math.round(hours * 6);
        double[] times = new double[n + 1];
        for (int k = 0; k <= n; k++) {
            times[k] = k / 6.0;
        }
        OperatingSchedule plan = new OperatingSchedule(
                List.of(new InputProfile("F_feed", new double[] {0, 72}, new double[] {0, 0.3})), List.of());
        Trajectory truth = sim.simulate(new SimulationRequest(cho, x0, cho.nominalParameters(), 0, hours, times, plan,
                SolverSettings.DEFAULT));
        Random rnd = new Random(7);
        List<Sample> samples = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            Instant at = START.plusMillis(Math.round(times[k] * 3.6e6));
            samples.add(Sample.of(UNIT, "OUR", at, truth.observable("OUR")[k] * (1 + 0.03 * rnd.nextGaussian()),
                    "mmol/L/h"));
            samples.add(Sample.of(UNIT, "volume", at, truth.observable("volume")[k], "L"));
            if (k % 72 == 0) {
                samples.add(Sample.of(UNIT, "GLC_lab", at, truth.observable("glucose")[k], "g/L"));
            }
        }
        ServiceReference<?>[] refs = ctx.getAllServiceReferences(SampleListener.class.getName(), null);
        assertThat(refs).as("sample listeners").isNotNull();
        for (int i = 0; i < samples.size(); i += 20) {
            List<Sample> batch = samples.subList(i, Math.min(samples.size(), i + 20));
            for (ServiceReference<?> r : refs) {
                ((SampleListener) ctx.getService(r)).onSamples(batch);
            }
        }
    }

    private static Twin twin(BundleContext ctx) throws InterruptedException {
        TwinRegistry reg = service(ctx, TwinRegistry.class);
        await(() -> reg.twin(UNIT).isPresent(), 60, "the twin of " + UNIT);
        return reg.twin(UNIT).orElseThrow();
    }

    private static void update(org.osgi.service.cm.Configuration c, Map<String, Object> values) throws Exception {
        Dictionary<String, Object> d = new Hashtable<>(values);
        c.update(d);
    }

    /** A service, waiting up to 60 s (polling: a DS service may come back null while it activates). */
    private static <T> T service(BundleContext ctx, Class<T> type) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            ServiceReference<T> r = ctx.getServiceReference(type);
            T s = r == null ? null : ctx.getService(r);
            if (s != null) {
                return s;
            }
            Thread.sleep(50);
        }
        StringBuilder diag = new StringBuilder("reference " + ctx.getServiceReference(type) + ";");
        for (Bundle b : ctx.getBundles()) {
            diag.append(' ').append(b.getSymbolicName()).append('=').append(b.getState());
        }
        try {
            ServiceReference<?>[] all = ctx.getAllServiceReferences(null, null);
            for (ServiceReference<?> r : all == null ? new ServiceReference<?>[0] : all) {
                diag.append("\n  service ").append(java.util.Arrays.toString((String[]) r.getProperty(
                        Constants.OBJECTCLASS))).append(" of ").append(r.getBundle().getSymbolicName());
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("No " + type.getName() + " within 60 s; bundles:" + diag);
    }

    private static void await(BooleanSupplier until, double seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (!until.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** The API bundle's own Export-Package, so that the framework shares exactly those packages with the test. */
    private static String apiExports() throws Exception {
        Path where = Path.of(TwinRegistry.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isDirectory(where)) {
            try (var in = Files.newInputStream(where.resolve("META-INF/MANIFEST.MF"))) {
                return new java.util.jar.Manifest(in).getMainAttributes().getValue("Export-Package");
            }
        }
        try (JarFile jar = new JarFile(where.toFile())) {
            return jar.getManifest().getMainAttributes().getValue("Export-Package");
        }
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        if (Files.exists(p)) {
            try (Stream<Path> s = Files.walk(p)) {
                s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
