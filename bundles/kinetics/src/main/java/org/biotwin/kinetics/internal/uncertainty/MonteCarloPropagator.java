package org.biotwin.kinetics.internal.uncertainty;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.biotwin.api.kinetics.Distribution;
import org.biotwin.api.kinetics.EnsembleResult;
import org.biotwin.api.kinetics.MemberFailure;
import org.biotwin.api.kinetics.ParameterCovariance;
import org.biotwin.api.kinetics.Progress;
import org.biotwin.api.kinetics.ProgressListener;
import org.biotwin.api.kinetics.SimulationException;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.Simulator;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.kinetics.UncertaintyPropagator;
import org.biotwin.api.kinetics.UncertaintyProblem;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.ModelParameter;
import org.biotwin.api.model.Observable;
import org.biotwin.api.model.StateVariable;
import org.biotwin.api.twin.PredictionBand;
import org.hipparchus.exception.MathIllegalArgumentException;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.RectangularCholeskyDecomposition;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Monte Carlo propagation of parameter and initial-state uncertainty to 5/50/95 % quantile bands.
 * <p>
 * <b>Sampling.</b> Member {@code i} draws from its own {@link SplittableRandom} seeded with a 64-bit mix of
 * {@code (seed, i)}, so an ensemble is reproducible whatever the thread count and scheduling. Jointly normal
 * parameters are {@code mean + B z}, with {@code B B^T = C} from a rank-revealing Cholesky decomposition (so a
 * positive semi-definite covariance of a fit with a flat direction is accepted). A draw outside the model's declared
 * parameter bounds, or below a state's lower bound, is redrawn (up to 100 times; then the member fails): the sampled
 * distribution is the truncated one, which keeps rate constants and concentrations physical.
 * <p>
 * <b>Quantiles.</b> Linear interpolation between order statistics (Hyndman and Fan 1996, definition 7, as R's and
 * NumPy's default), over the members that succeeded. Failed members are counted and the first 20 reported.
 * <p>
 * <b>Cost.</b> One simulation per member, spread over a {@link ForkJoinPool} created on activation (threads
 * configurable, default one per core) and shut down on deactivation; quantiles cost {@code O(vars * times * M log M)}.
 * <p>
 * <b>Thread-safety.</b> Thread-safe: concurrent calls share the pool.
 */
@Component(service = UncertaintyPropagator.class, configurationPid = MonteCarloPropagator.PID)
@Designate(ocd = MonteCarloConfig.class)
public final class MonteCarloPropagator implements UncertaintyPropagator {

    static final String PID = "org.biotwin.kinetics.montecarlo";
    private static final int MAX_REDRAWS = 100;
    private static final int MAX_LISTED_FAILURES = 20;

    private final Simulator simulator;
    private final ForkJoinPool pool;

    @Activate
    public MonteCarloPropagator(@Reference Simulator simulator, MonteCarloConfig config) {
        this(simulator, config.threads());
    }

    /** Outside OSGi (tools, tests): {@code threads == 0} means one per available processor. */
    public MonteCarloPropagator(Simulator simulator, int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("Monte Carlo: threads must be >= 0, was " + threads);
        }
        this.simulator = simulator;
        this.pool = new ForkJoinPool(threads == 0 ? Runtime.getRuntime().availableProcessors() : threads);
    }

    /** Stops the pool; running ensembles fail with an interruption. */
    @Deactivate
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Worker threads. */
    public int parallelism() {
        return pool.getParallelism();
    }

    @Override
    public EnsembleResult propagate(UncertaintyProblem problem, ProgressListener listener) {
        long t0 = System.nanoTime();
        Plan plan = new Plan(problem);
        int m = problem.members();
        SimulationRequest nominal = problem.nominal();
        double[] times = nominal.outputTimes().length > 0 ? nominal.outputTimes() : new double[] {nominal.endTime()};
        int nt = times.length;
        int ns = plan.model.states().size();
        int no = plan.model.observables().size();
        // values[v][k * m + member]: v < ns states, then observables; each member writes only its own slots.
        double[][] values = new double[ns + no][nt * m];
        String[] failure = new String[m];

        int chunk = Math.max(1, Math.min(64, m / (pool.getParallelism() * 8)));
        List<Future<?>> futures = new ArrayList<>();
        for (int from = 0; from < m; from += chunk) {
            int a = from;
            int b = Math.min(m, from + chunk);
            futures.add(pool.submit(() -> {
                for (int i = a; i < b; i++) {
                    failure[i] = runMember(plan, i, times, values, m);
                }
            }));
        }
        int done = 0;
        try {
            for (Future<?> f : futures) {
                f.get();
                done += chunk;
                listener.progress(new Progress(plan.task, Math.min(done, m), Math.min(done, m), Double.NaN,
                        (System.nanoTime() - t0) / 1_000_000));
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new SimulationException("Ensemble of " + plan.id + " interrupted", e);
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            throw new SimulationException("Ensemble of " + plan.id + " failed: " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.CancellationException e) {
            throw new SimulationException("Ensemble of " + plan.id + " cancelled (propagator deactivated)", e);
        }

        // Count failures, then quantiles over the members that succeeded.
        List<MemberFailure> failures = new ArrayList<>();
        boolean[] ok = new boolean[m];
        int succeeded = 0;
        for (int i = 0; i < m; i++) {
            if (failure[i] == null) {
                ok[i] = true;
                succeeded++;
            } else if (failures.size() < MAX_LISTED_FAILURES) {
                failures.add(new MemberFailure(i, failure[i]));
            }
        }
        if (succeeded == 0) {
            throw new SimulationException("Ensemble of " + plan.id + ": all " + m + " members failed; member 0: "
                    + failure[0]);
        }
        List<PredictionBand> stateBands = new ArrayList<>();
        List<PredictionBand> obsBands = new ArrayList<>();
        double[] buf = new double[succeeded];
        for (int v = 0; v < ns + no; v++) {
            double[] p05 = new double[nt];
            double[] p50 = new double[nt];
            double[] p95 = new double[nt];
            for (int k = 0; k < nt; k++) {
                int c = 0;
                int base = k * m;
                for (int i = 0; i < m; i++) {
                    if (ok[i]) {
                        buf[c++] = values[v][base + i];
                    }
                }
                Arrays.sort(buf);
                p05[k] = quantile(buf, 0.05);
                p50[k] = quantile(buf, 0.50);
                p95[k] = quantile(buf, 0.95);
            }
            if (v < ns) {
                StateVariable s = plan.model.states().get(v);
                stateBands.add(new PredictionBand(s.name(), s.unit(), times, p05, p50, p95));
            } else {
                Observable o = plan.model.observables().get(v - ns);
                obsBands.add(new PredictionBand(o.name(), o.unit(), times, p05, p50, p95));
            }
        }
        return new EnsembleResult(plan.id, m, succeeded, m - succeeded, failures, stateBands, obsBands,
                problem.seed(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** Runs member {@code i}; returns null on success or the reason of failure. */
    private String runMember(Plan plan, int i, double[] times, double[][] values, int m) {
        try {
            SplittableRandom rng = new SplittableRandom(mix(plan.seed, i));
            double[] par = plan.sampleParameters(rng);
            double[] x0 = plan.sampleInitialState(rng);
            SimulationRequest nominal = plan.problem.nominal();
            Trajectory tr = simulator.simulate(new SimulationRequest(plan.model, x0, par, nominal.startTime(),
                    nominal.endTime(), times, nominal.schedule(), nominal.settings()));
            double[][] st = tr.states();
            double[][] ob = tr.observables();
            int ns = st[0].length;
            for (int k = 0; k < times.length; k++) {
                for (int v = 0; v < ns; v++) {
                    values[v][k * m + i] = st[k][v];
                }
                for (int v = 0; v < ob[k].length; v++) {
                    values[ns + v][k * m + i] = ob[k][v];
                }
            }
            return null;
        } catch (SimulationException | IllegalArgumentException | ArithmeticException e) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        } catch (RuntimeException e) {
            // A model bug must not vanish in a count: keep its type in the reason.
            return e.toString();
        }
    }

    /** Quantile of sorted data, Hyndman-Fan definition 7. */
    static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /** SplitMix64 finaliser of (seed, member): independent, well-spread seeds per member. */
    static long mix(long seed, long member) {
        long z = seed + (member + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The problem compiled against its model: indices, bounds and the covariance root. Immutable. */
    private static final class Plan {
        final UncertaintyProblem problem;
        final KineticModel model;
        final String id;
        final String task;
        final long seed;
        final double[] nominalParameters;
        final double[] nominalState;
        final double[] pLower;
        final double[] pUpper;
        final double[] sLower;
        final int[] mvnIndex;
        final double[] mvnMean;
        final double[][] root;
        final int[] distIndex;
        final Distribution[] dists;
        final int[] stateIndex;
        final Distribution[] stateDists;

        Plan(UncertaintyProblem problem) {
            this.problem = problem;
            this.model = problem.nominal().model();
            this.id = model.descriptor().coordinates();
            this.task = "ensemble " + id;
            this.seed = problem.seed();
            String ctx = "Ensemble of " + id;
            List<ModelParameter> params = model.parameters();
            List<StateVariable> states = model.states();
            nominalParameters = problem.nominal().parameters();
            nominalState = problem.nominal().initialState();
            if (nominalParameters.length != params.size()) {
                throw new IllegalArgumentException(ctx + ": " + nominalParameters.length + " parameters given, model has "
                        + params.size());
            }
            if (nominalState.length != states.size()) {
                throw new IllegalArgumentException(ctx + ": initial state has " + nominalState.length
                        + " entries, model has " + states.size() + " states");
            }
            Map<String, Integer> pIdx = new HashMap<>();
            pLower = new double[params.size()];
            pUpper = new double[params.size()];
            for (int j = 0; j < params.size(); j++) {
                pIdx.put(params.get(j).name(), j);
                pLower[j] = params.get(j).lowerBound();
                pUpper[j] = params.get(j).upperBound();
            }
            Map<String, Integer> sIdx = new HashMap<>();
            sLower = new double[states.size()];
            for (int j = 0; j < states.size(); j++) {
                sIdx.put(states.get(j).name(), j);
                sLower[j] = states.get(j).lowerBound();
            }
            ParameterCovariance cov = problem.covariance();
            if (cov != null) {
                int n = cov.names().size();
                mvnIndex = new int[n];
                for (int a = 0; a < n; a++) {
                    mvnIndex[a] = index(pIdx, cov.names().get(a), ctx + ": covariance names parameter");
                }
                mvnMean = cov.mean();
                RealMatrix c = MatrixUtils.createRealMatrix(cov.covariance());
                double maxVar = 0;
                for (int a = 0; a < n; a++) {
                    maxVar = Math.max(maxVar, c.getEntry(a, a));
                }
                if (maxVar == 0) {
                    root = new double[n][0];
                } else {
                    try {
                        root = new RectangularCholeskyDecomposition(c, 1e-10 * maxVar).getRootMatrix().getData();
                    } catch (MathIllegalArgumentException e) {
                        throw new IllegalArgumentException(ctx + ": covariance of " + cov.names()
                                + " is not positive semi-definite (" + e.getMessage() + ")", e);
                    }
                }
            } else {
                mvnIndex = new int[0];
                mvnMean = new double[0];
                root = new double[0][0];
            }
            distIndex = new int[problem.parameterDistributions().size()];
            dists = new Distribution[distIndex.length];
            int k = 0;
            for (Map.Entry<String, Distribution> e : sorted(problem.parameterDistributions())) {
                distIndex[k] = index(pIdx, e.getKey(), ctx + ": distribution names parameter");
                dists[k++] = e.getValue();
            }
            stateIndex = new int[problem.initialStateDistributions().size()];
            stateDists = new Distribution[stateIndex.length];
            k = 0;
            for (Map.Entry<String, Distribution> e : sorted(problem.initialStateDistributions())) {
                stateIndex[k] = index(sIdx, e.getKey(), ctx + ": initial-state distribution names state");
                stateDists[k++] = e.getValue();
            }
        }

        /** Map iteration order is unspecified; sort by name so a seed always means the same draws. */
        private static List<Map.Entry<String, Distribution>> sorted(Map<String, Distribution> m) {
            List<Map.Entry<String, Distribution>> l = new ArrayList<>(m.entrySet());
            l.sort(Map.Entry.comparingByKey());
            return l;
        }

        private int index(Map<String, Integer> idx, String name, String what) {
            Integer i = idx.get(name);
            if (i == null) {
                throw new IllegalArgumentException(what + " '" + name + "' unknown to the model (known: "
                        + idx.keySet() + ")");
            }
            return i;
        }

        double[] sampleParameters(SplittableRandom rng) {
            double[] par = nominalParameters.clone();
            if (mvnIndex.length > 0) {
                int r = root.length == 0 ? 0 : root[0].length;
                double[] z = new double[r];
                int attempt = 0;
                while (true) {
                    for (int a = 0; a < r; a++) {
                        z[a] = rng.nextGaussian();
                    }
                    boolean inside = true;
                    for (int a = 0; a < mvnIndex.length; a++) {
                        double v = mvnMean[a];
                        for (int b = 0; b < r; b++) {
                            v += root[a][b] * z[b];
                        }
                        int j = mvnIndex[a];
                        par[j] = v;
                        inside &= v >= pLower[j] && v <= pUpper[j];
                    }
                    if (inside) {
                        break;
                    }
                    if (++attempt >= MAX_REDRAWS) {
                        throw new IllegalArgumentException("jointly normal parameters fell outside the model's bounds in "
                                + MAX_REDRAWS + " draws");
                    }
                }
            }
            for (int a = 0; a < distIndex.length; a++) {
                int j = distIndex[a];
                par[j] = draw(rng, dists[a], pLower[j], pUpper[j], model.parameters().get(j).name());
            }
            return par;
        }

        double[] sampleInitialState(SplittableRandom rng) {
            double[] x = nominalState.clone();
            for (int a = 0; a < stateIndex.length; a++) {
                int j = stateIndex[a];
                x[j] = draw(rng, stateDists[a], sLower[j], Double.POSITIVE_INFINITY, model.states().get(j).name());
            }
            return x;
        }

        private static double draw(SplittableRandom rng, Distribution d, double lo, double hi, String name) {
            for (int attempt = 0; attempt < MAX_REDRAWS; attempt++) {
                double v = d.sample(rng);
                if (v >= lo && v <= hi) {
                    return v;
                }
            }
            throw new IllegalArgumentException("draws of " + name + " fell outside [" + lo + ", " + hi + "] "
                    + MAX_REDRAWS + " times");
        }
    }
}
