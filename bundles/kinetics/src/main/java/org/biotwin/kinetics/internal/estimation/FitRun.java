package org.biotwin.kinetics.internal.estimation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.biotwin.api.kinetics.BatchData;
import org.biotwin.api.kinetics.EstimationProblem;
import org.biotwin.api.kinetics.EstimationResult;
import org.biotwin.api.kinetics.FreeParameter;
import org.biotwin.api.kinetics.MeasurementSeries;
import org.biotwin.api.kinetics.ParameterEstimate;
import org.biotwin.api.kinetics.Progress;
import org.biotwin.api.kinetics.ProgressListener;
import org.biotwin.api.kinetics.SimulationException;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.Simulator;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.ModelParameter;
import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.SingularValueDecomposition;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresBuilder;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresOptimizer;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresProblem;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LevenbergMarquardtOptimizer;
import org.hipparchus.distribution.continuous.TDistribution;

/**
 * One weighted least-squares fit: validation of the problem against the model, the Levenberg-Marquardt search on
 * transformed parameters, and the statistics at the optimum. Not thread-safe; the estimator makes one per call.
 */
final class FitRun {

    /** |correlation| above which a pair of parameters is reported as not separable. */
    static final double CORRELATION_LIMIT = 0.95;
    /** Condition number of the Fisher information matrix (of relative sensitivities) above which it is near-singular. */
    static final double FIM_CONDITION_LIMIT = 1e8;
    /** Below this relative singular value the information matrix is treated as singular. */
    static final double SINGULAR_LIMIT = 1e-12;
    /** Levenberg-Marquardt convergence: relative reduction of chi-square, relative step in the search coordinates. */
    static final double COST_TOLERANCE = 1e-6;
    static final double PARAMETER_TOLERANCE = 1e-6;

    private final Simulator simulator;
    private final EstimationProblem problem;
    private final ProgressListener listener;
    private final KineticModel model;
    private final String id;
    private final String task;

    // Compiled problem
    private final int p;
    private final int[] freeIndex;
    private final String[] freeNames;
    private final String[] freeUnits;
    private final double[] start;
    private final BoundTransform[] transforms;
    private final double[] baseParameters;
    private final List<CompiledBatch> batches = new ArrayList<>();
    private final int n;

    // Run state
    private final long startNanos = System.nanoTime();
    private int evaluations;
    private int iterations;
    private int failedTrials;
    private String firstTrialFailure = "";
    private double bestCost = Double.POSITIVE_INFINITY;
    private double[] bestTheta;
    private double failurePenalty = 1e6;
    private double[] lastTheta;
    private double[] lastResiduals;

    /** A batch with its samples mapped to output indices of one simulation. */
    private record CompiledBatch(BatchData data, double[] outputTimes, double endTime, ModelVariable[] variables,
            int[][] outputIndex, double[][] values, double[][] sds) {
    }

    FitRun(Simulator simulator, EstimationProblem problem, ProgressListener listener) {
        this.simulator = simulator;
        this.problem = problem;
        this.listener = listener;
        this.model = problem.model();
        this.id = model.descriptor().coordinates();
        this.task = "fit " + id;
        String ctx = "Fit of " + id;

        // Parameters: free ones with bounds and start, the rest nominal or fixed.
        List<ModelParameter> params = model.parameters();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < params.size(); i++) {
            index.put(params.get(i).name(), i);
        }
        baseParameters = model.nominalParameters();
        for (Map.Entry<String, Double> e : problem.fixedValues().entrySet()) {
            Integer i = index.get(e.getKey());
            if (i == null) {
                throw new IllegalArgumentException(ctx + ": fixed parameter '" + e.getKey() + "' is not a parameter of "
                        + "the model (parameters: " + index.keySet() + ")");
            }
            double v = e.getValue();
            ModelParameter mp = params.get(i);
            if (!Double.isFinite(v) || v < mp.lowerBound() || v > mp.upperBound()) {
                throw new IllegalArgumentException(ctx + ": fixed value " + v + " " + mp.unit() + " of " + mp.name()
                        + " outside the model's bounds [" + mp.lowerBound() + ", " + mp.upperBound() + "]");
            }
            baseParameters[i] = v;
        }
        p = problem.free().size();
        freeIndex = new int[p];
        freeNames = new String[p];
        freeUnits = new String[p];
        start = new double[p];
        transforms = new BoundTransform[p];
        for (int j = 0; j < p; j++) {
            FreeParameter f = problem.free().get(j);
            Integer i = index.get(f.name());
            if (i == null) {
                throw new IllegalArgumentException(ctx + ": free parameter '" + f.name() + "' is not a parameter of "
                        + "the model (parameters: " + index.keySet() + ")");
            }
            ModelParameter mp = params.get(i);
            double lo = Double.isNaN(f.lowerBound()) ? mp.lowerBound() : f.lowerBound();
            double hi = Double.isNaN(f.upperBound()) ? mp.upperBound() : f.upperBound();
            double s = Double.isNaN(f.start()) ? baseParameters[i] : f.start();
            if (!(lo < hi)) {
                throw new IllegalArgumentException(ctx + ": bounds of " + f.name() + " are infeasible: lower " + lo
                        + " >= upper " + hi + " " + mp.unit());
            }
            if (!(s > lo && s < hi)) {
                throw new IllegalArgumentException(ctx + ": start " + s + " " + mp.unit() + " of " + f.name()
                        + " is not strictly inside its bounds (" + lo + ", " + hi + ")");
            }
            freeIndex[j] = i;
            freeNames[j] = f.name();
            freeUnits[j] = mp.unit();
            start[j] = s;
            transforms[j] = new BoundTransform(lo, hi);
        }

        // Batches: dimensions, variables, units, one simulation per batch over the union of sampling times.
        int count = 0;
        int nStates = model.states().size();
        for (BatchData b : problem.batches()) {
            String bctx = ctx + ", batch " + b.batchId();
            if (b.initialState().length != nStates) {
                throw new IllegalArgumentException(bctx + ": initial state has " + b.initialState().length
                        + " entries but the model has " + nStates + " states");
            }
            TreeSet<Double> times = new TreeSet<>();
            for (MeasurementSeries m : b.measurements()) {
                for (double t : m.times()) {
                    times.add(t);
                }
            }
            double[] out = times.stream().mapToDouble(Double::doubleValue).toArray();
            double end = out[out.length - 1];
            if (!(end > b.startTime())) {
                throw new IllegalArgumentException(bctx + ": every sample is at the batch start " + b.startTime()
                        + " h; nothing to fit");
            }
            int ns = b.measurements().size();
            ModelVariable[] vars = new ModelVariable[ns];
            int[][] idx = new int[ns][];
            double[][] vals = new double[ns][];
            double[][] sds = new double[ns][];
            for (int s = 0; s < ns; s++) {
                MeasurementSeries m = b.measurements().get(s);
                vars[s] = ModelVariable.resolve(model, m.variable(), bctx);
                if (!vars[s].unit().equals(m.unit().trim())) {
                    throw new IllegalArgumentException(bctx + ": measurements of " + m.variable() + " are in '"
                            + m.unit() + "' but the model declares '" + vars[s].unit() + "'; convert the data");
                }
                double[] t = m.times();
                idx[s] = new int[t.length];
                for (int k = 0; k < t.length; k++) {
                    idx[s][k] = Arrays.binarySearch(out, t[k]);
                }
                vals[s] = m.values();
                sds[s] = m.standardDeviations();
                count += t.length;
            }
            batches.add(new CompiledBatch(b, out, end, vars, idx, vals, sds));
        }
        n = count;
        if (n <= p) {
            throw new IllegalArgumentException(ctx + ": " + n + " samples for " + p
                    + " free parameters; need more samples than parameters");
        }
    }

    EstimationResult run() {
        double[] theta0 = new double[p];
        for (int j = 0; j < p; j++) {
            theta0[j] = transforms[j].toSearch(start[j]);
        }
        // Phase 1: the start point must simulate; its cost scales the penalty given to failing trial points.
        double[] r0;
        try {
            r0 = residuals(parametersOf(theta0));
        } catch (SimulationException e) {
            throw new SimulationException("Fit of " + id + ": simulation at the start point failed: " + e.getMessage(),
                    e);
        }
        failurePenalty = 1e3 * Math.sqrt(Math.max(sumSq(r0), 1.0) / n);
        record(theta0, r0);

        // Phase 2: Levenberg-Marquardt on transformed parameters; forward-difference Jacobian, lazily evaluated so
        // that rejected trial steps cost one simulation per batch only.
        LeastSquaresProblem lsp = new LeastSquaresBuilder()
                .model(this::value, this::jacobian)
                .target(new double[n])
                .start(theta0)
                .maxIterations(problem.maxIterations())
                .maxEvaluations(problem.maxEvaluations())
                .lazyEvaluation(true)
                .build();
        // Tolerances far below statistical relevance (a relative chi-square change of 1e-6 is << 1 for any data set
        // a fit is run on) but above the noise that integration error puts on chi-square and its Jacobian.
        LevenbergMarquardtOptimizer lm = new LevenbergMarquardtOptimizer()
                .withCostRelativeTolerance(COST_TOLERANCE)
                .withParameterRelativeTolerance(PARAMETER_TOLERANCE);
        List<String> warnings = new ArrayList<>();
        boolean converged;
        double[] thetaOpt;
        try {
            LeastSquaresOptimizer.Optimum opt = lm.optimize(lsp);
            thetaOpt = opt.getPoint().toArray();
            converged = true;
            // The optimum is the best point by construction, but keep the best seen if rounding says otherwise.
            if (bestTheta != null && bestCost < sumSqAt(thetaOpt) * (1 - 1e-12)) {
                thetaOpt = bestTheta.clone();
            }
        } catch (MathIllegalStateException e) {
            converged = false;
            thetaOpt = bestTheta.clone();
            warnings.add("Not converged: " + e.getMessage() + " after " + iterations + " iterations and " + evaluations
                    + " evaluations; the best point seen is reported");
        } catch (SimulationException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw e;
            }
            throw new SimulationException("Fit of " + id + ": simulation failed during the search (Jacobian at "
                    + describe(lastTheta) + "): " + e.getMessage(), e);
        } catch (BudgetExhausted e) {
            converged = false;
            thetaOpt = bestTheta.clone();
            warnings.add("Not converged: time budget of " + problem.timeBudget().toMillis() + " ms exhausted after "
                    + iterations + " iterations; the best point seen is reported");
        }
        if (failedTrials > 0) {
            warnings.add(failedTrials + " trial parameter vectors could not be simulated and were rejected, first: "
                    + firstTrialFailure);
        }
        return statistics(thetaOpt, converged, warnings);
    }

    // ---- objective -------------------------------------------------------------------------------------------

    private double[] value(double[] theta) {
        checkBudget();
        double[] r;
        try {
            r = residuals(parametersOf(theta));
        } catch (SimulationException e) {
            // A trial step into a region where the model cannot be integrated: a large finite cost makes
            // Levenberg-Marquardt reject the step and shorten its trust region.
            failedTrials++;
            if (firstTrialFailure.isEmpty()) {
                firstTrialFailure = e.getMessage();
            }
            r = new double[n];
            Arrays.fill(r, failurePenalty);
            return r;
        }
        record(theta, r);
        return r;
    }

    private double[][] jacobian(double[] theta) {
        iterations++;
        double[] r0 = Arrays.equals(theta, lastTheta) ? lastResiduals : value(theta);
        listener.progress(new Progress(task, iterations, evaluations, bestCost, elapsedMillis()));
        double[][] jac = new double[n][p];
        double rel = Math.sqrt(Math.max(problem.settings().relTolerance(), 1e-14));
        for (int j = 0; j < p; j++) {
            double[] th = theta.clone();
            double h = rel * Math.max(1.0, Math.abs(theta[j]));
            th[j] += h;
            checkBudget();
            double[] r1;
            try {
                r1 = residuals(parametersOf(th));
            } catch (SimulationException e) {
                th[j] = theta[j] - h;
                h = -h;
                r1 = residuals(parametersOf(th));
            }
            for (int i = 0; i < n; i++) {
                jac[i][j] = (r1[i] - r0[i]) / h;
            }
        }
        return jac;
    }

    private void record(double[] theta, double[] r) {
        lastTheta = theta.clone();
        lastResiduals = r;
        double c = sumSq(r);
        if (c < bestCost) {
            bestCost = c;
            bestTheta = theta.clone();
        }
    }

    private double sumSqAt(double[] theta) {
        return sumSq(residuals(parametersOf(theta)));
    }

    /** Weighted residuals {@code (model - data) / sd}, batch by batch, series by series. */
    double[] residuals(double[] parameters) {
        evaluations++;
        double[] r = new double[n];
        int k = 0;
        for (CompiledBatch b : batches) {
            Trajectory tr = simulator.simulate(new SimulationRequest(model, b.data().initialState(), parameters,
                    b.data().startTime(), b.endTime(), b.outputTimes(), b.data().schedule(), problem.settings()));
            double[][] st = tr.states();
            double[][] ob = tr.observables();
            for (int s = 0; s < b.variables().length; s++) {
                ModelVariable v = b.variables()[s];
                int[] idx = b.outputIndex()[s];
                for (int i = 0; i < idx.length; i++) {
                    double m = v.value(st, ob, idx[i]);
                    if (!Double.isFinite(m)) {
                        throw new SimulationException("Fit of " + id + ", batch " + b.data().batchId() + ": model output "
                                + v.name() + " is " + m + " at " + b.outputTimes()[idx[i]] + " h");
                    }
                    r[k++] = (m - b.values()[s][i]) / b.sds()[s][i];
                }
            }
        }
        return r;
    }

    private double[] parametersOf(double[] theta) {
        double[] par = baseParameters.clone();
        for (int j = 0; j < p; j++) {
            par[freeIndex[j]] = transforms[j].toParameter(theta[j]);
        }
        return par;
    }

    private void checkBudget() {
        if (Thread.currentThread().isInterrupted()) {
            throw new SimulationException("Fit of " + id + " interrupted after " + evaluations + " evaluations");
        }
        if (System.nanoTime() - startNanos > problem.timeBudget().toNanos()) {
            throw new BudgetExhausted();
        }
    }

    /** Thrown out of Levenberg-Marquardt when the wall-clock budget is spent. */
    private static final class BudgetExhausted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BudgetExhausted() {
            super(null, null, false, false);
        }
    }

    // ---- statistics at the optimum ---------------------------------------------------------------------------

    private EstimationResult statistics(double[] thetaOpt, boolean converged, List<String> warnings) {
        double[] parOpt = parametersOf(thetaOpt);
        double[] est = new double[p];
        for (int j = 0; j < p; j++) {
            est[j] = parOpt[freeIndex[j]];
        }
        double[] r;
        try {
            r = residuals(parOpt);
        } catch (SimulationException e) {
            throw new SimulationException("Fit of " + id + ": simulation at the optimum failed: " + e.getMessage(), e);
        }
        double chi2 = sumSq(r);
        int dof = n - p;

        // Jacobian of the weighted residuals with respect to the parameters in their own units, by central
        // differences (forward/backward next to a bound); step cbrt(rtol) relative balances truncation against
        // integration noise.
        double rel = Math.cbrt(Math.max(problem.settings().relTolerance(), 1e-15));
        double[][] jp = new double[n][p];
        double[] scale = new double[p];
        for (int j = 0; j < p; j++) {
            // Relative to the estimate; an estimate near 0 (at a bound) is measured against its start instead, so that
            // a parameter that the fit switched off does not look like a singular direction.
            double typical = Math.abs(start[j]) > 0 ? Math.abs(start[j]) : 1.0;
            scale[j] = Math.max(Math.abs(est[j]), 1e-3 * typical);
            double h = rel * scale[j];
            double lo = transforms[j].lower();
            double hi = transforms[j].upper();
            double up = Math.min(est[j] + h, hi);
            double dn = Math.max(est[j] - h, lo);
            double[] pu = parOpt.clone();
            double[] pd = parOpt.clone();
            pu[freeIndex[j]] = up;
            pd[freeIndex[j]] = dn;
            double[] ru = up == est[j] ? r : residuals(pu);
            double[] rd = dn == est[j] ? r : residuals(pd);
            for (int i = 0; i < n; i++) {
                jp[i][j] = (ru[i] - rd[i]) / (up - dn);
            }
        }

        // Relative sensitivities J*diag(scale): their singular values give a unit-free condition number.
        RealMatrix js = new Array2DRowRealMatrix(n, p);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                js.setEntry(i, j, jp[i][j] * scale[j]);
            }
        }
        SingularValueDecomposition svd = new SingularValueDecomposition(js);
        double[] sv = svd.getSingularValues();
        double cond = sv[sv.length - 1] > 0 ? sv[0] / sv[sv.length - 1] : Double.POSITIVE_INFINITY;
        double s2 = problem.scaleByReducedChiSquare() ? chi2 / dof : 1.0;
        double[][] cov = new double[p][p];
        boolean singular = !(sv[sv.length - 1] > SINGULAR_LIMIT * sv[0]);
        if (singular) {
            for (double[] row : cov) {
                Arrays.fill(row, Double.NaN);
            }
            warnings.add(String.format(Locale.ROOT, "Fisher information matrix is singular (condition number %.3g): "
                    + "the parameters are not identifiable from these data; covariance and intervals are undefined", cond
                    * cond));
        } else {
            // cov = s2 * D (Js^T Js)^-1 D = s2 * D V S^-2 V^T D
            RealMatrix v = svd.getV();
            for (int a = 0; a < p; a++) {
                for (int b = 0; b < p; b++) {
                    double sum = 0;
                    for (int k = 0; k < p; k++) {
                        sum += v.getEntry(a, k) * v.getEntry(b, k) / (sv[k] * sv[k]);
                    }
                    cov[a][b] = s2 * scale[a] * scale[b] * sum;
                }
            }
            if (cond * cond > FIM_CONDITION_LIMIT) {
                warnings.add(String.format(Locale.ROOT, "Fisher information matrix is near-singular (condition number "
                        + "%.3g > %.0e): some parameter combinations are poorly determined", cond * cond,
                        FIM_CONDITION_LIMIT));
            }
        }
        double[][] corr = new double[p][p];
        for (int a = 0; a < p; a++) {
            for (int b = 0; b < p; b++) {
                corr[a][b] = a == b && !singular ? 1.0 : cov[a][b] / Math.sqrt(cov[a][a] * cov[b][b]);
            }
        }
        for (int a = 0; a < p; a++) {
            for (int b = a + 1; b < p; b++) {
                if (Math.abs(corr[a][b]) > CORRELATION_LIMIT) {
                    warnings.add(String.format(Locale.ROOT, "Parameters %s and %s are strongly correlated (r = %.4f, "
                            + "|r| > %.2f): the data hardly separate them; fix one or add informative data",
                            freeNames[a], freeNames[b], corr[a][b], CORRELATION_LIMIT));
                }
            }
        }

        // Student-t 95 % intervals with n - p degrees of freedom.
        double t = new TDistribution(dof).inverseCumulativeProbability(0.975);
        List<ParameterEstimate> estimates = new ArrayList<>();
        for (int j = 0; j < p; j++) {
            double se = Math.sqrt(cov[j][j]);
            double lo = est[j] - t * se;
            double hi = est[j] + t * se;
            estimates.add(new ParameterEstimate(freeNames[j], freeUnits[j], start[j], est[j], se, lo, hi,
                    transforms[j].lower(), transforms[j].upper()));
            if (t * se > Math.abs(est[j])) {
                warnings.add(String.format(Locale.ROOT, "95 %% confidence interval of %s [%.4g, %.4g] %s is wider than "
                        + "the estimate %.4g: practically unidentifiable", freeNames[j], lo, hi, freeUnits[j], est[j]));
            }
            double range = transforms[j].upper() - transforms[j].lower();
            double gap = Math.min(est[j] - transforms[j].lower(), transforms[j].upper() - est[j]);
            if (Double.isFinite(range) ? gap < 1e-6 * range : gap < 1e-9 * Math.max(1, Math.abs(est[j]))) {
                warnings.add("Estimate of " + freeNames[j] + " = " + est[j] + " " + freeUnits[j] + " is at a bound ["
                        + transforms[j].lower() + ", " + transforms[j].upper() + "]; its interval ignores the bound");
            }
        }
        double red = chi2 / dof;
        if (red > 4 || red < 0.25) {
            warnings.add(String.format(Locale.ROOT, "Reduced chi-square %.3g is far from 1: the standard deviations or "
                    + "the model do not match the scatter of the data", red));
        }
        listener.progress(new Progress(task, iterations, evaluations, chi2, elapsedMillis()));
        return new EstimationResult(id, estimates, parOpt, cov, corr, chi2, n, dof, cond, converged, iterations,
                evaluations, elapsedMillis(), warnings);
    }

    private String describe(double[] theta) {
        if (theta == null) {
            return "start";
        }
        double[] par = parametersOf(theta);
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < p; j++) {
            sb.append(j == 0 ? "" : ", ").append(freeNames[j]).append(" = ").append(par[freeIndex[j]]);
        }
        return sb.toString();
    }

    private long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static double sumSq(double[] r) {
        double s = 0;
        for (double x : r) {
            s += x * x;
        }
        return s;
    }
}
