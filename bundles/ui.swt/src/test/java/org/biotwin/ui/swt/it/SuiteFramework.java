package org.biotwin.ui.swt.it;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.felix.framework.FrameworkFactory;
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
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A real Apache Felix 7 running the suite (SCR, ConfigAdmin, engine, softsensor, kinetics, the CHO model, advisory,
 * ebr), with one twin configured through ConfigAdmin and a virtual plant: the kinetic core's simulator (from the
 * framework) runs an under-fed CHO batch, and its noisy samples go to every sample whiteboard listener, lab results
 * 4 h late as a lab delivers them. The API packages are shared with the test (system packages), as an RCP client
 * shares them with the suite.
 */
final class SuiteFramework implements AutoCloseable {

    static final String UNIT = "BR-101";
    static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
    static final String OPERATOR = "op1";
    static final String OPERATOR_PASSWORD = "op1-secret";
    /** Under-fed from day 3: the advisor has something to propose. */
    static final String SCHEDULE = "profile:F_feed=0@0,0.3@72";
    static final double HARVEST_H = 240;

    final Framework framework;
    final BundleContext ctx;
    private final Trajectory truth;
    private final double[] times;
    private final Random rnd = new Random(42);
    private double fedUntil;

    SuiteFramework(Path storage, List<Path> extraBundles, Map<String, String> props) throws Exception {
        Map<String, String> cfg = new HashMap<>(props);
        cfg.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        cfg.put("ds.loglevel", "warn"); // SCR reports activation failures on the console
        cfg.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        cfg.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, Manifests.apiExports() + ",org.osgi.service.cm;version=1.6.0");
        framework = new FrameworkFactory().newFramework(cfg);
        framework.start();
        ctx = framework.getBundleContext();
        List<Bundle> bundles = new ArrayList<>();
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("it.bundles")))) {
            jars.addAll(s.sorted().toList());
        }
        jars.addAll(extraBundles);
        for (Path p : jars) {
            bundles.add(ctx.installBundle(p.toUri().toString()));
        }
        for (Bundle b : bundles) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
        configure();
        KineticModel cho = service(KineticModel.class);
        Simulator sim = service(Simulator.class);
        double[] x0 = cho.nominalInitialState();
        x0[cho.stateIndex("Xv")] = 0.5;
        x0[cho.stateIndex("GLC")] = 30;
        int n = (int) (HARVEST_H * 60);
        times = new double[n + 1];
        for (int k = 0; k <= n; k++) {
            times[k] = k / 60.0;
        }
        OperatingSchedule plan = new OperatingSchedule(
                List.of(new InputProfile("F_feed", new double[] {0, 72}, new double[] {0, 0.3})), List.of());
        truth = sim.simulate(new SimulationRequest(cho, x0, cho.nominalParameters(), 0, HARVEST_H, times, plan,
                SolverSettings.DEFAULT.withRelTolerance(1e-8)));
    }

    private void configure() throws Exception {
        ConfigurationAdmin ca = service(ConfigurationAdmin.class);
        update(ca.getConfiguration("org.biotwin.ebr.signatures", "?"), Map.of("users", new String[] {
            OPERATOR + "|Olivia Operator|operator|" + PasswordHasher.hash(OPERATOR_PASSWORD.toCharArray(), 210_000)}));
        update(ca.getConfiguration("org.biotwin.advisory", "?"), Map.of("reviewIntervalSeconds", 0.0));
        update(ca.createFactoryConfiguration("org.biotwin.advisory.policy", "?"), Map.of("unit", UNIT, "feedMax", 4.0,
                "volumeMax", 1400.0, "substrateMin", 0.5, "ensembleSize", 40, "price", 10.0, "currency", "EUR"));
        update(ca.createFactoryConfiguration("org.biotwin.engine.twin", "?"), Map.of("unit", UNIT, "modelId",
                "cho.mab.fedbatch", "observations", new String[] {"OUR=OUR;sd=0.002;rel=0.03",
                    "volume=volume;rel=0.005", "GLC_lab=glucose;sd=0.05;offline",
                    "VCD_lab=VCD;sd=0.05;rel=0.05;offline", "titre_lab=titre;sd=0.005;rel=0.05;offline"},
                "schedule", SCHEDULE, "initialState", new String[] {"Xv=0.5", "GLC=30"}, "batchStart",
                START.toString(), "harvestAgeHours", HARVEST_H, "predictionIntervalSeconds", 1.0, "ensembleSize", 60));
    }

    private static void update(Configuration c, Map<String, Object> values) throws Exception {
        Dictionary<String, Object> d = new Hashtable<>(values);
        c.update(d);
    }

    /**
     * A service of the framework, waiting up to 60 s. Polls rather than tracking: a DS service whose first
     * {@code getService} comes back null (its component still activating its own references) is never offered to a
     * ServiceTracker again.
     */
    <T> T service(Class<T> type) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            ServiceReference<T> r = ctx.getServiceReference(type);
            T s = r == null ? null : ctx.getService(r);
            if (s != null) {
                return s;
            }
            Thread.sleep(50);
        }
        StringBuilder diag = new StringBuilder();
        for (Bundle b : ctx.getBundles()) {
            diag.append(' ').append(b.getSymbolicName()).append('=').append(b.getState());
        }
        throw new IllegalStateException("No " + type.getName() + " within 60 s in the framework; bundles:" + diag);
    }

    Twin twin() throws InterruptedException {
        TwinRegistry reg = service(TwinRegistry.class);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (reg.twin(UNIT).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("No twin for " + UNIT + " within 60 s");
            }
            Thread.sleep(50);
        }
        return reg.twin(UNIT).orElseThrow();
    }

    /** Delivers the plant's samples up to batch age {@code hours} to every sample listener, as the connector does. */
    void feedUntil(double hours) throws Exception {
        double[] our = truth.observable("OUR");
        double[] glc = truth.observable("glucose");
        double[] vcd = truth.observable("VCD");
        double[] titre = truth.observable("titre");
        double[] vol = truth.observable("volume");
        record Arrival(double at, Sample s) { }
        List<Arrival> arrivals = new ArrayList<>();
        // Lab results sampled up to 4 h before fedUntil arrive in this window too.
        int from = (int) Math.round(Math.max(0, fedUntil - 4) * 60) + 1;
        int to = (int) Math.round(hours * 60);
        for (int k = from; k <= to; k++) {
            double t = times[k];
            if (t > fedUntil) {
                arrivals.add(new Arrival(t, Sample.of(UNIT, "OUR", at(t), our[k] * (1 + 0.03 * rnd.nextGaussian()),
                        "mmol/L/h")));
                arrivals.add(new Arrival(t, Sample.of(UNIT, "volume", at(t), vol[k] * (1 + 0.002 * rnd.nextGaussian()),
                        "L")));
            }
            double arrive = t + 4;
            if (arrive > fedUntil && arrive <= hours) {
                if (k % (12 * 60) == 0) {
                    arrivals.add(new Arrival(arrive, Sample.of(UNIT, "GLC_lab", at(t), glc[k] + 0.05 * rnd.nextGaussian(),
                            "g/L")));
                }
                if (k % (24 * 60) == 0) {
                    arrivals.add(new Arrival(arrive, Sample.of(UNIT, "VCD_lab", at(t),
                            vcd[k] * (1 + 0.05 * rnd.nextGaussian()), "10*6{cells}/mL")));
                    arrivals.add(new Arrival(arrive, Sample.of(UNIT, "titre_lab", at(t),
                            titre[k] * (1 + 0.05 * rnd.nextGaussian()), "g/L")));
                }
            }
        }
        arrivals.sort(Comparator.comparingDouble(Arrival::at));
        List<SampleListener> listeners = new ArrayList<>();
        // All class spaces: a listener registered also under a type the test loads itself (the panel's
        // MeasuredHistory) is otherwise hidden from the system bundle; SampleListener itself is shared.
        ServiceReference<?>[] refs = ctx.getAllServiceReferences(SampleListener.class.getName(), null);
        for (ServiceReference<?> r : refs == null ? new ServiceReference<?>[0] : refs) {
            listeners.add((SampleListener) ctx.getService(r));
        }
        if (listeners.isEmpty()) {
            throw new IllegalStateException("No sample listener in the framework");
        }
        List<Sample> all = arrivals.stream().map(Arrival::s).toList();
        for (int i = 0; i < all.size(); i += 20) { // small batches, as the connector delivers them
            List<Sample> batch = all.subList(i, Math.min(all.size(), i + 20));
            for (SampleListener l : listeners) {
                l.onSamples(batch);
            }
        }
        fedUntil = hours;
    }

    static Instant at(double hours) {
        return START.plusMillis(Math.round(hours * 3.6e6));
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(20_000);
    }

    static void deleteTree(Path p) throws java.io.IOException {
        if (Files.exists(p)) {
            try (Stream<Path> s = Files.walk(p)) {
                s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
