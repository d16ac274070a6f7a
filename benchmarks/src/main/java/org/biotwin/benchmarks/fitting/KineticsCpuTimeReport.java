package org.biotwin.benchmarks.fitting;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.biotwin.api.kinetics.Constraint;
import org.biotwin.api.kinetics.Distribution;
import org.biotwin.api.kinetics.EnsembleResult;
import org.biotwin.api.kinetics.EstimationProblem;
import org.biotwin.api.kinetics.EstimationResult;
import org.biotwin.api.kinetics.FreeParameter;
import org.biotwin.api.kinetics.Objective;
import org.biotwin.api.kinetics.OptimizationProblem;
import org.biotwin.api.kinetics.OptimizationResult;
import org.biotwin.api.kinetics.ParameterCovariance;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.Simulator;
import org.biotwin.api.kinetics.UncertaintyProblem;
import org.biotwin.kinetics.internal.estimation.LeastSquaresEstimator;
import org.biotwin.kinetics.internal.optimisation.CvpFeedOptimizer;
import org.biotwin.kinetics.internal.sim.SimulatorComponent;
import org.biotwin.kinetics.internal.uncertainty.MonteCarloPropagator;

/**
 * CPU-time companion of {@link FitBenchmark}, {@link MonteCarloBenchmark} and {@link FeedOptimisationBenchmark} for a
 * shared machine, where wall-clock scores inflate with other processes' load: prints wall time, CPU time of the
 * calling thread (fit, optimisation) or of the whole process (ensemble, whose CPU divided by the pool size estimates
 * the wall time on an otherwise idle machine), and the fastest of {@code runs} runs, after {@code runs} warm-up runs.
 * {@code java -cp benchmarks/target/benchmarks.jar org.biotwin.benchmarks.fitting.KineticsCpuTimeReport [runs]}
 */
public final class KineticsCpuTimeReport {

    private KineticsCpuTimeReport() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Simulator sim = new SimulatorComponent();
        System.out.printf(Locale.ROOT, "%d cores, load average %.1f; %d warm-up and %d measured runs each%n",
                Runtime.getRuntime().availableProcessors(), os.getSystemLoadAverage(), runs, runs);
        System.out.println("| task | wall ms (mean) | wall ms (fastest) | CPU ms (mean) | CPU ms / cores | work |");
        System.out.println("|---|---|---|---|---|---|");

        // Fit: 6 parameters, 3 batches x 20 samples.
        LeastSquaresEstimator est = new LeastSquaresEstimator(sim);
        EstimationProblem fit = EstimationProblem.of(ChoScenarios.MODEL, ChoScenarios.threeBatches(sim, 2026),
                ChoScenarios.FIT_PARAMETERS.stream().map(FreeParameter::of).toList())
                .withSettings(ChoScenarios.SETTINGS);
        double[] w = new double[3];
        EstimationResult fr = null;
        for (int i = 0; i < 2 * runs; i++) {
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            fr = est.estimate(fit);
            record(w, i >= runs, System.nanoTime() - t0, mx.getCurrentThreadCpuTime() - c0);
        }
        row("fit 6 parameters, 3 batches x 20 samples (CHO)", w, runs, 1, fr.iterations() + " iterations, "
                + fr.evaluations() + " evaluations");

        // Ensemble: 1,000 members to harvest on all cores.
        MonteCarloPropagator mc = new MonteCarloPropagator(sim, 0);
        try {
            double mu = 0.029;
            double kd = 0.016;
            double q = 1.51;
            ParameterCovariance cov = new ParameterCovariance(List.of("mu_max", "k_d", "q_mAb"),
                    new double[] {mu, kd, q}, new double[][] {
                        {Math.pow(0.05 * mu, 2), 0.5 * 0.05 * mu * 0.05 * kd, 0},
                        {0.5 * 0.05 * mu * 0.05 * kd, Math.pow(0.05 * kd, 2), 0},
                        {0, 0, Math.pow(0.05 * q, 2)}});
            UncertaintyProblem up = new UncertaintyProblem(ChoScenarios.batch(new double[] {ChoScenarios.HARVEST}),
                    cov, Map.of(), Map.of("Xv", new Distribution.LogNormal(0.4, 0.1)), 1000, 42);
            w = new double[3];
            EnsembleResult er = null;
            for (int i = 0; i < 2 * runs; i++) {
                long c0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                er = mc.propagate(up);
                record(w, i >= runs, System.nanoTime() - t0, os.getProcessCpuTime() - c0);
            }
            row("Monte Carlo 1,000 members, 14-day CHO to harvest", w, runs, mc.parallelism(), er.succeeded()
                    + " succeeded, " + mc.parallelism() + " threads");
        } finally {
            mc.close();
        }

        // Feed optimisation: 10 intervals.
        SimulationRequest base = new SimulationRequest(ChoScenarios.MODEL, ChoScenarios.initialState(0.4, 35),
                ChoScenarios.MODEL.nominalParameters(), 0, ChoScenarios.HARVEST, new double[] {ChoScenarios.HARVEST},
                ChoScenarios.schedule(false), ChoScenarios.SETTINGS);
        OptimizationProblem op = OptimizationProblem.of(base, "F_feed", 72, 10, 0, 3, 1.25,
                Objective.maximiseMass("titre", "volume"),
                List.of(Constraint.pathMax("volume", 1400), Constraint.pathMin("glucose", 0.5)));
        CvpFeedOptimizer opt = new CvpFeedOptimizer(sim);
        w = new double[3];
        OptimizationResult or = null;
        int optRuns = Math.max(1, runs / 2);
        for (int i = 0; i < 2 * optRuns; i++) {
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            or = opt.optimize(op);
            record(w, i >= optRuns, System.nanoTime() - t0, mx.getCurrentThreadCpuTime() - c0);
        }
        row("feed optimisation, 10 intervals (CHO)", w, optRuns, 1, or.evaluations() + " simulations, gain "
                + String.format(Locale.ROOT, "%+.2f %%", 100 * or.relativeGain()));
    }

    private static void record(double[] w, boolean measured, long wallNanos, long cpuNanos) {
        if (!measured) {
            return;
        }
        w[0] += wallNanos / 1e6;
        w[1] = w[1] == 0 ? wallNanos / 1e6 : Math.min(w[1], wallNanos / 1e6);
        w[2] += cpuNanos / 1e6;
    }

    private static void row(String task, double[] w, int runs, int cores, String work) {
        System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f | %s |%n", task, w[0] / runs, w[1],
                w[2] / runs, w[2] / runs / cores, work);
    }
}
