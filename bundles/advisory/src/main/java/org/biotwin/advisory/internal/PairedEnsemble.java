package org.biotwin.advisory.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.biotwin.api.advisory.Outcome;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.Simulator;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.api.model.StateVariable;
import org.biotwin.api.twin.PlanningBasis;
import org.biotwin.api.twin.PredictionBand;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;

/**
 * Compares two plans for the rest of a batch over one Monte Carlo ensemble: member i starts both plans from the same
 * draw of the state estimate, so the gain is a paired difference and its quantiles are those of the gain itself, not
 * differences of quantiles.
 * <p>
 * Draws: {@code x = mean + V·sqrt(max(D, 0))·z} from the eigen-decomposition of the covariance (robust for a
 * semi-definite covariance), non-negative states clipped at zero; one {@link SplittableRandom} per member seeded from
 * {@code (seed, i)}, so results do not depend on threads. A member that fails under either plan is left out of both
 * and counted. Thread-safe; the work runs on the given executor.
 */
final class PairedEnsemble {

    static final int POINTS = 49;

    /** A plan for the rest of the batch. */
    record Plan(OperatingSchedule schedule, double harvestAge) {
    }

    /** Outcomes of both plans and the paired gains, in the objective's unit. */
    record Comparison(Outcome baseline, Outcome withAction, double[] gains, int failed) {
        double gainQuantile(double q) {
            return quantile(gains.clone(), q);
        }
    }

    private PairedEnsemble() {
    }

    static Comparison compare(PlanningBasis basis, Plan baseline, Plan action, AdvisoryPolicy policy, Simulator sim,
            long seed, ExecutorService executor) {
        KineticModel model = basis.model();
        int members = policy.ensembleSize();
        double[][] draws = draw(basis, members, seed);
        boolean same = baseline.equals(action);
        List<Future<double[][]>> futures = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            double[] x0 = draws[i];
            futures.add(executor.submit(() -> {
                try {
                    double[] b = run(basis, x0, baseline, policy, sim);
                    return new double[][] {b, same ? b : run(basis, x0, action, policy, sim)};
                } catch (RuntimeException e) {
                    return null;
                }
            }));
        }
        List<double[]> base = new ArrayList<>();
        List<double[]> act = new ArrayList<>();
        int failed = 0;
        for (Future<double[][]> f : futures) {
            double[][] r;
            try {
                r = f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while comparing plans", e);
            } catch (ExecutionException e) {
                r = null;
            }
            if (r == null) {
                failed++;
            } else {
                base.add(r[0]);
                act.add(r[1]);
            }
        }
        if (base.isEmpty()) {
            throw new IllegalStateException("Every member of the ensemble failed to simulate with "
                    + model.descriptor().coordinates());
        }
        double[] gains = new double[base.size()];
        for (int i = 0; i < gains.length; i++) {
            gains[i] = act.get(i)[0] - base.get(i)[0];
        }
        return new Comparison(outcome(basis, baseline, base, policy), outcome(basis, action, act, policy), gains,
                failed);
    }

    /**
     * One member under one plan, flattened: [objective, substrate-low, substrate-high, volume-high, then per grid
     * point: product, substrate, volume, viable cells].
     */
    private static double[] run(PlanningBasis b, double[] x0, Plan plan, AdvisoryPolicy policy, Simulator sim) {
        double t0 = b.batchAge();
        double t1 = Math.max(plan.harvestAge(), t0 + 1e-3);
        double[] grid = grid(t0, t1);
        Trajectory tr = sim.simulate(new SimulationRequest(b.model(), x0, b.parameters(), t0, t1, grid,
                plan.schedule(), SolverSettings.DEFAULT));
        double[] product = series(tr, policy.productVariable());
        double[] volume = series(tr, policy.volumeVariable());
        double[] substrate = series(tr, policy.substrateVariable());
        double[] cells = tr.observableNames().contains("VCD") ? tr.observable("VCD") : new double[grid.length];
        double[] out = new double[4 + 4 * grid.length];
        int last = grid.length - 1;
        out[0] = product[last] * volume[last];
        double sMin = Double.POSITIVE_INFINITY;
        double sMax = Double.NEGATIVE_INFINITY;
        double vMax = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < grid.length; k++) {
            sMin = Math.min(sMin, substrate[k]);
            sMax = Math.max(sMax, substrate[k]);
            vMax = Math.max(vMax, volume[k]);
            out[4 + k] = product[k];
            out[4 + grid.length + k] = substrate[k];
            out[4 + 2 * grid.length + k] = volume[k];
            out[4 + 3 * grid.length + k] = cells[k];
        }
        out[1] = sMin < policy.substrateMin() ? 1 : 0;
        out[2] = sMax > policy.substrateMax() ? 1 : 0;
        out[3] = vMax > policy.volumeMax() ? 1 : 0;
        return out;
    }

    private static Outcome outcome(PlanningBasis b, Plan plan, List<double[]> runs, AdvisoryPolicy policy) {
        double t0 = b.batchAge();
        double[] grid = grid(t0, Math.max(plan.harvestAge(), t0 + 1e-3));
        int m = runs.size();
        double[] objective = new double[m];
        double[] risks = new double[3];
        for (int i = 0; i < m; i++) {
            objective[i] = runs.get(i)[0];
            for (int c = 0; c < 3; c++) {
                risks[c] += runs.get(i)[1 + c] / m;
            }
        }
        Map<String, Double> risk = new LinkedHashMap<>();
        risk.put(policy.substrateVariable() + " < " + policy.substrateMin(), risks[0]);
        risk.put(policy.substrateVariable() + " > " + policy.substrateMax(), risks[1]);
        risk.put(policy.volumeVariable() + " > " + policy.volumeMax(), risks[2]);
        KineticModel model = b.model();
        List<PredictionBand> bands = new ArrayList<>();
        String[] names = {policy.productVariable(), policy.substrateVariable(), policy.volumeVariable(), "VCD"};
        for (int v = 0; v < names.length; v++) {
            if (v == 3 && model.observables().stream().noneMatch(o -> o.name().equals("VCD"))) {
                continue;
            }
            double[] p05 = new double[grid.length];
            double[] p50 = new double[grid.length];
            double[] p95 = new double[grid.length];
            double[] column = new double[m];
            for (int k = 0; k < grid.length; k++) {
                for (int i = 0; i < m; i++) {
                    column[i] = runs.get(i)[4 + v * grid.length + k];
                }
                Arrays.sort(column);
                p05[k] = sortedQuantile(column, 0.05);
                p50[k] = sortedQuantile(column, 0.5);
                p95[k] = sortedQuantile(column, 0.95);
            }
            bands.add(new PredictionBand(names[v], unitOf(model, names[v]), grid, p05, p50, p95));
        }
        String unit = unitOf(model, policy.productVariable()) + "*" + unitOf(model, policy.volumeVariable());
        return new Outcome("product mass (" + policy.productVariable() + " x " + policy.volumeVariable() + ")",
                "g/L*L".equals(unit) ? "g" : unit, quantile(objective.clone(), 0.05), quantile(objective.clone(), 0.5),
                quantile(objective.clone(), 0.95), risk, bands, plan.harvestAge());
    }

    static double[][] draw(PlanningBasis b, int members, long seed) {
        double[] mean = b.mean();
        int n = mean.length;
        RealMatrix cov = MatrixUtils.createRealMatrix(b.covariance());
        cov = cov.add(cov.transpose()).scalarMultiply(0.5);
        EigenDecompositionSymmetric eig = new EigenDecompositionSymmetric(cov);
        double[][] factor = new double[n][n];
        double[] values = eig.getEigenvalues();
        for (int j = 0; j < n; j++) {
            double s = Math.sqrt(Math.max(0, values[j]));
            for (int i = 0; i < n; i++) {
                factor[i][j] = eig.getEigenvector(j).getEntry(i) * s;
            }
        }
        List<StateVariable> states = b.model().states();
        double[][] draws = new double[members][];
        for (int m = 0; m < members; m++) {
            SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + m);
            double[] z = new double[n];
            for (int j = 0; j < n; j++) {
                z[j] = rng.nextGaussian();
            }
            double[] x = mean.clone();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    x[i] += factor[i][j] * z[j];
                }
                if (states.get(i).nonNegative() && x[i] < 0) {
                    x[i] = 0;
                }
            }
            draws[m] = x;
        }
        return draws;
    }

    static double[] grid(double t0, double t1) {
        double[] g = new double[POINTS];
        for (int k = 0; k < POINTS; k++) {
            g[k] = t0 + (t1 - t0) * k / (POINTS - 1);
        }
        g[POINTS - 1] = t1;
        return g;
    }

    static double[] series(Trajectory tr, String variable) {
        if (tr.observableNames().contains(variable)) {
            return tr.observable(variable);
        }
        if (tr.stateNames().contains(variable)) {
            return tr.state(variable);
        }
        throw new IllegalArgumentException("The model has no observable or state '" + variable + "'");
    }

    static String unitOf(KineticModel model, String variable) {
        return model.observables().stream().filter(o -> o.name().equals(variable)).map(o -> o.unit()).findFirst()
                .orElseGet(() -> model.states().stream().filter(s -> s.name().equals(variable))
                        .map(StateVariable::unit).findFirst().orElse("1"));
    }

    static double quantile(double[] values, double q) {
        Arrays.sort(values);
        return sortedQuantile(values, q);
    }

    /** Linear interpolation between order statistics (Hyndman & Fan type 7, the R and NumPy default). */
    private static double sortedQuantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
