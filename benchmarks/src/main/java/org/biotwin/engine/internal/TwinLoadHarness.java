package org.biotwin.engine.internal;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.sample.Sample;
import org.biotwin.api.twin.Prediction;
import org.biotwin.api.twin.TwinState;
import org.biotwin.kinetics.internal.sim.SimulatorComponent;
import org.biotwin.kinetics.internal.uncertainty.MonteCarloPropagator;
import org.biotwin.models.cho.internal.ChoMabFedBatchModel;
import org.biotwin.softsensor.internal.RespirationSoftSensorComponent;
import org.biotwin.softsensor.internal.SignalScreeningComponent;
import org.biotwin.softsensor.internal.StateEstimatorComponent;

/**
 * Load harness of issue 6: one host with U units (default 200), 20 tags each at 1 Hz in real time, a state estimate
 * after every fused sample (fuse window 0: every mapped sample is fused), and an end-of-batch prediction every 60 s
 * per unit (staggered). Samples reach each twin as the connector delivers them: one dispatcher thread per twin, one
 * list of 20 samples per unit and second. Of the 20 tags, 8 are online observables of the CHO model (OUR, CER,
 * weight, capacitance VCD, Raman glucose, lactate, ammonia, titre) and 12 are tags the model does not use (DO, pH,
 * temperature, ...), which the twin only counts.
 * <p>
 * Reports the process CPU use (as a fraction of all cores) over the measured window, the sample-to-estimate latency
 * (from the moment the second's samples are handed to the twin's dispatcher to the moment the estimate is published)
 * as p50/p99/max, and the predictions completed.
 * <p>
 * Run: {@code java -cp benchmarks/target/benchmarks.jar org.biotwin.engine.internal.TwinLoadHarness [units]
 * [seconds] [ensemble]}. Defaults: 200 units, 150 s (the first 30 s are warm-up), 100 members.
 */
public final class TwinLoadHarness {

    private static final String[] ONLINE = {"OUR", "CER", "weight", "VCD_cap", "GLC_raman", "LAC_raman",
        "AMM_raman", "titre_raman"};
    private static final String[] OBSERVABLES = {"OUR", "CER", "volume", "VCD", "glucose", "lactate", "ammonia",
        "titre"};
    private static final String[] OTHER = {"DO", "pH", "T", "pressure", "stirrer", "air", "O2_flow", "CO2_flow",
        "base", "antifoam", "feed_balance", "level"};

    private TwinLoadHarness() {
    }

    public static void main(String[] args) throws Exception {
        int units = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 150;
        int ensemble = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int warmup = Math.min(30, seconds / 5);
        KineticModel cho = new ChoMabFedBatchModel();
        SimulatorComponent sim = new SimulatorComponent();
        // The plant's truth at 1-s resolution from batch age 48 h, for the run's length.
        double start = 48;
        double[] times = new double[seconds + 2];
        for (int k = 0; k < times.length; k++) {
            times[k] = start + k / 3600.0;
        }
        String schedule = "profile:F_feed=0@0,1.25@72";
        Trajectory before = sim.simulate(new SimulationRequest(cho, cho.nominalInitialState(), cho.nominalParameters(),
                0, start, new double[] {start}, OperatingSchedule.parse(schedule), SolverSettings.DEFAULT));
        Trajectory truth = sim.simulate(new SimulationRequest(cho, before.finalState(), cho.nominalParameters(),
                start, times[times.length - 1], times, OperatingSchedule.parse(schedule), SolverSettings.DEFAULT));
        double[][] obs = new double[OBSERVABLES.length][];
        for (int j = 0; j < OBSERVABLES.length; j++) {
            obs[j] = truth.observable(OBSERVABLES[j]);
        }
        Instant batchStart = Instant.now().minusSeconds(Math.round(start * 3600));

        ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong estimates = new AtomicLong();
        AtomicLong predictions = new AtomicLong();
        List<TwinCore> twins = new ArrayList<>();
        List<ExecutorService> dispatchers = new ArrayList<>();
        Map<String, Long> handedOver = new java.util.concurrent.ConcurrentHashMap<>();
        String[] mapping = new String[ONLINE.length];
        for (int j = 0; j < ONLINE.length; j++) {
            mapping[j] = ONLINE[j] + "=" + OBSERVABLES[j] + ";sd=0.001;rel=0.03";
        }
        for (int u = 0; u < units; u++) {
            String unit = String.format("BR-%03d", u);
            Map<String, Object> cfg = new HashMap<>();
            cfg.put("unit", unit);
            cfg.put("modelId", cho.descriptor().id());
            cfg.put("observations", mapping);
            cfg.put("schedule", schedule);
            cfg.put("fuseWindowSeconds", 0.0);
            cfg.put("historyHours", 0.5);
            cfg.put("ensembleSize", ensemble);
            cfg.put("batchStart", batchStart.toString());
            cfg.put("initialState", Arrays.stream(cho.states().toArray(new org.biotwin.api.model.StateVariable[0]))
                    .map(s -> s.name() + "=" + before.finalState()[cho.stateIndex(s.name())]).toArray(String[]::new));
            TwinOutputs out = new TwinOutputs() {
                @Override
                public void estimate(TwinState state) {
                    Long t0 = handedOver.get(unit);
                    if (t0 != null) {
                        latencies.add(new long[] {System.nanoTime() - t0});
                    }
                    estimates.incrementAndGet();
                }

                @Override
                public void prediction(Prediction prediction) {
                    predictions.incrementAndGet();
                }

                @Override
                public void alarm(String unitId, String kind, String message) {
                }

                @Override
                public void exclusion(Sample sample, String reason) {
                }
            };
            TwinCore core = new TwinCore(TwinSettings.from(Configs.of(cfg)), new StateEstimatorComponent(),
                    new SignalScreeningComponent(), new RespirationSoftSensorComponent(), out);
            core.activate(new BoundModel(cho, "harness"));
            twins.add(core);
            dispatchers.add(Executors.newSingleThreadExecutor());
        }
        MonteCarloPropagator mc = new MonteCarloPropagator(sim, 2);
        ScheduledExecutorService predictor = Executors.newSingleThreadScheduledExecutor();
        long period = 60_000L / units;
        for (int u = 0; u < units; u++) {
            TwinCore core = twins.get(u);
            ExecutorService d = dispatchers.get(u);
            predictor.scheduleAtFixedRate(() -> {
                try {
                    // the snapshot is taken on the twin's own thread, the ensemble runs off it
                    Optional<PredictionInput> in = d.submit(core::predictionInput).get();
                    in.ifPresent(i -> {
                        EndOfBatchPredictor.predict(i, mc, 1);
                        predictions.incrementAndGet();
                    });
                } catch (Exception e) {
                    e.printStackTrace();
                }
            }, 5_000 + u * period, 60_000, TimeUnit.MILLISECONDS);
        }

        Random rnd = new Random(1);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int cores = Runtime.getRuntime().availableProcessors();
        long cpu0 = 0;
        long wall0 = 0;
        long next = System.nanoTime();
        for (int sec = 0; sec < seconds; sec++) {
            if (sec == warmup) {
                latencies.clear();
                cpu0 = os.getProcessCpuTime();
                wall0 = System.nanoTime();
                predictions.set(0);
                estimates.set(0);
            }
            Instant now = batchStart.plusMillis(Math.round(times[sec + 1] * 3.6e6));
            for (int u = 0; u < units; u++) {
                List<Sample> batch = new ArrayList<>(20);
                String unit = String.format("BR-%03d", u);
                for (int j = 0; j < ONLINE.length; j++) {
                    double v = obs[j][sec + 1] * (1 + 0.02 * rnd.nextGaussian());
                    batch.add(Sample.of(unit, ONLINE[j], now, Math.max(0, v), "1"));
                }
                for (String tag : OTHER) {
                    batch.add(Sample.of(unit, tag, now, 40 + rnd.nextGaussian(), "1"));
                }
                TwinCore core = twins.get(u);
                long handed = System.nanoTime();
                dispatchers.get(u).execute(() -> {
                    handedOver.put(unit, handed);
                    core.onSamples(batch, (x, y) -> Optional.empty());
                });
            }
            next += 1_000_000_000L;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                TimeUnit.NANOSECONDS.sleep(sleep);
            }
        }
        for (ExecutorService d : dispatchers) {
            d.shutdown();
            d.awaitTermination(30, TimeUnit.SECONDS);
        }
        long cpu = os.getProcessCpuTime() - cpu0;
        long wall = System.nanoTime() - wall0;
        predictor.shutdownNow();
        mc.close();
        long[] l = latencies.stream().mapToLong(a -> a[0]).sorted().toArray();
        System.out.printf("units %d, tags 20 (8 fused), %d s measured after %d s warm-up, ensemble %d%n", units,
                (seconds - warmup), warmup, ensemble);
        System.out.printf("CPU: %.1f %% of %d cores (%.2f cores)%n", 100.0 * cpu / wall / cores, cores,
                (double) cpu / wall);
        System.out.printf("estimates published: %d (%.0f /s); predictions: %d%n", estimates.get(),
                estimates.get() / (wall / 1e9), predictions.get());
        System.out.printf("sample-to-estimate latency: p50 %.2f ms, p99 %.2f ms, max %.2f ms (n=%d)%n",
                l[l.length / 2] / 1e6, l[(int) (l.length * 0.99)] / 1e6, l[l.length - 1] / 1e6, l.length);
    }

    /** A twin configuration from a map, with the metatype defaults for the rest. */
    static final class Configs {
        static TwinConfiguration of(Map<String, Object> values) {
            return (TwinConfiguration) java.lang.reflect.Proxy.newProxyInstance(
                    TwinConfiguration.class.getClassLoader(), new Class<?>[] {TwinConfiguration.class},
                    (proxy, method, a) -> method.getName().equals("annotationType") ? TwinConfiguration.class
                            : values.containsKey(method.getName()) ? values.get(method.getName())
                                    : method.getDefaultValue());
        }
    }
}
