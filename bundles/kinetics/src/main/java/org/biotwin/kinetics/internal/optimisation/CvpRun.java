package org.biotwin.kinetics.internal.optimisation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.biotwin.api.kinetics.Constraint;
import org.biotwin.api.kinetics.ConstraintReport;
import org.biotwin.api.kinetics.OptimizationProblem;
import org.biotwin.api.kinetics.OptimizationResult;
import org.biotwin.api.kinetics.Progress;
import org.biotwin.api.kinetics.ProgressListener;
import org.biotwin.api.kinetics.SimulationException;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.Simulator;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.model.InputProfile;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.ModelInput;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.kinetics.internal.estimation.ModelVariable;
import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.SimpleBounds;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;
import org.hipparchus.optim.univariate.BrentOptimizer;
import org.hipparchus.optim.univariate.SearchInterval;
import org.hipparchus.optim.univariate.UnivariateObjectiveFunction;

/**
 * One feed optimisation: augmented Lagrangian outer loop around BOBYQA on rates scaled to [0, 1]. Not thread-safe;
 * the optimizer makes one per call.
 */
final class CvpRun {

    private static final int MAX_OUTER = 12;
    /** Final trust-region radius of BOBYQA on rates scaled to [0, 1]: a rate resolution of 1e-5 of the range. */
    private static final double STOPPING_RADIUS = 1e-5;

    private final Simulator simulator;
    private final OptimizationProblem problem;
    private final ProgressListener listener;
    private final KineticModel model;
    private final String id;
    private final int n;
    private final double lo;
    private final double hi;
    private final double[] grid;
    private final ModelVariable objective;
    private final ModelVariable factor;
    private final double sense;
    private final ModelVariable[] cvars;
    /** Per normalised constraint g (feasible when g <= 0): constraint, grid index, bound, +1 upper / -1 lower, scale. */
    private final List<int[]> gDef = new ArrayList<>();
    private final List<double[]> gBound = new ArrayList<>();
    private final long startNanos = System.nanoTime();

    private double objectiveScale = 1;
    private int evaluations;
    private int failures;
    private String firstFailure = "";
    private Eval bestFeasible;
    private Eval leastViolating;

    /** One evaluated profile. */
    private record Eval(double[] rates, double objective, double[] g, double maxViolation, double[][] cvalues) {
    }

    private static final class BudgetExhausted extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String why;

        BudgetExhausted(String why) {
            super(why, null, false, false);
            this.why = why;
        }
    }

    CvpRun(Simulator simulator, OptimizationProblem problem, ProgressListener listener) {
        this.simulator = simulator;
        this.problem = problem;
        this.listener = listener;
        SimulationRequest base = problem.base();
        this.model = base.model();
        this.id = model.descriptor().coordinates();
        String ctx = "Feed optimisation of " + id;
        ModelInput input = model.inputs().stream().filter(i -> i.name().equals(problem.feedInput())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(ctx + ": model has no input '" + problem.feedInput()
                        + "' (inputs: " + model.inputs().stream().map(ModelInput::name).toList() + ")"));
        if (problem.lowerRate() < input.lowerBound() || problem.upperRate() > input.upperBound()) {
            throw new IllegalArgumentException(ctx + ": rate bounds [" + problem.lowerRate() + ", " + problem.upperRate()
                    + "] " + input.unit() + " exceed the declared range of " + input.name() + " [" + input.lowerBound()
                    + ", " + input.upperBound() + "]");
        }
        this.n = problem.intervals();
        this.lo = problem.lowerRate();
        this.hi = problem.upperRate();
        this.objective = ModelVariable.resolve(model, problem.objective().variable(), ctx + ", objective");
        this.factor = problem.objective().factor() == null ? null
                : ModelVariable.resolve(model, problem.objective().factor(), ctx + ", objective");
        this.sense = problem.objective().maximise() ? 1 : -1;
        int m = problem.gridPoints();
        grid = new double[m];
        for (int k = 0; k < m; k++) {
            grid[k] = base.startTime() + (base.endTime() - base.startTime()) * k / (m - 1);
        }
        grid[m - 1] = base.endTime();
        cvars = new ModelVariable[problem.constraints().size()];
        for (int c = 0; c < cvars.length; c++) {
            Constraint con = problem.constraints().get(c);
            cvars[c] = ModelVariable.resolve(model, con.variable(), ctx + ", constraint " + con.describe());
            int from = con.kind() == Constraint.Kind.PATH ? 0 : m - 1;
            for (int k = from; k < m; k++) {
                if (con.upper() < Double.POSITIVE_INFINITY) {
                    gDef.add(new int[] {c, k, 1});
                    gBound.add(new double[] {con.upper(), Math.max(Math.abs(con.upper()), 1)});
                }
                if (con.lower() > Double.NEGATIVE_INFINITY) {
                    gDef.add(new int[] {c, k, -1});
                    gBound.add(new double[] {con.lower(), Math.max(Math.abs(con.lower()), 1)});
                }
            }
        }
    }

    OptimizationResult run() {
        double[] r0 = problem.initialRates();
        Eval init;
        try {
            init = evaluate(r0);
        } catch (SimulationException e) {
            throw new SimulationException("Feed optimisation of " + id + ": simulation of the initial profile failed: "
                    + e.getMessage(), e);
        }
        if (init.objective() == Double.NEGATIVE_INFINITY) {
            throw new SimulationException("Feed optimisation of " + id + ": simulation of the initial profile failed: "
                    + firstFailure);
        }
        objectiveScale = Math.max(Math.abs(init.objective()), 1e-12);
        String stop = "converged";
        if (hi > lo) {
            stop = augmentedLagrangian(toUnit(r0));
        }
        Eval best = bestFeasible != null ? bestFeasible : leastViolating;
        List<ConstraintReport> reports = reports(best);
        boolean feasible = best.maxViolation() <= problem.feasibilityTolerance();
        double[] times = new double[n];
        for (int k = 0; k < n; k++) {
            times[k] = problem.intervalStart(k);
        }
        InputProfile profile = new InputProfile(problem.feedInput(), times, best.rates());
        StringBuilder msg = new StringBuilder();
        if (feasible) {
            msg.append(String.format(Locale.ROOT, "%s: %.6g (initial profile %.6g, gain %+.3g %%) after %d simulations, %s",
                    problem.objective().describe(), best.objective(), init.objective(),
                    100 * (best.objective() - init.objective()) / Math.abs(init.objective()), evaluations, stop));
        } else {
            msg.append("Infeasible: no feed profile of ").append(problem.feedInput()).append(" within [").append(lo)
                    .append(", ").append(hi).append("] met every constraint; least violating profile violates");
            for (ConstraintReport r : reports) {
                if (!r.satisfied()) {
                    msg.append(String.format(Locale.ROOT, " {%s: worst %.6g at %.4g h, violation %.3g}",
                            r.constraint().describe(), r.worstValue(), r.worstTime(), r.violation()));
                }
            }
        }
        if (failures > 0) {
            msg.append("; ").append(failures).append(" trial profiles could not be simulated, first: ")
                    .append(firstFailure);
        }
        return new OptimizationResult(id, profile, best.rates(), best.objective(), init.objective(),
                init.maxViolation() <= problem.feasibilityTolerance(), reports, feasible, evaluations,
                elapsedMillis(), msg.toString());
    }

    /**
     * Powell-Hestenes-Rockafellar augmented Lagrangian for inequalities g(x) <= 0 (Nocedal and Wright, Numerical
     * Optimization, 2nd ed., 17.4): minimise {@code phi(x) + 1/(2 rho) sum(max(0, lambda + rho g)^2 - lambda^2)}
     * over the box, update {@code lambda = max(0, lambda + rho g)}, and raise {@code rho} tenfold when the violation
     * does not fall by 4x.
     */
    private String augmentedLagrangian(double[] x0) {
        double[] lambda = new double[gDef.size()];
        double rho = 10;
        double[] x = x0.clone();
        double lastViolation = Double.POSITIVE_INFINITY;
        double lastPhi = Double.NaN;
        for (int outer = 0; outer < MAX_OUTER; outer++) {
            double[] lam = lambda.clone();
            double r = rho;
            Eval before = bestFeasible;
            Eval e;
            try {
                x = minimise(z -> merit(z, lam, r), x, outer == 0 ? 0.2 : 0.05);
                e = evaluate(fromUnit(x));
            } catch (BudgetExhausted ex) {
                return ex.why;
            }
            double viol = e.maxViolation();
            double phi = -sense * e.objective() / objectiveScale;
            for (int j = 0; j < lambda.length; j++) {
                lambda[j] = Math.max(0, lambda[j] + rho * e.g()[j]);
            }
            listener.progress(new Progress("optimise " + id, outer + 1, evaluations,
                    bestFeasible != null ? bestFeasible.objective() : e.objective(), elapsedMillis()));
            // Converged when feasible and the outer iteration improved the best feasible objective by at most 1e-5
            // relative (an outer iteration costs hundreds of simulations; a feed pump does not resolve less).
            boolean stalled = before != null && bestFeasible != null
                    && Math.abs(bestFeasible.objective() - before.objective()) <= 1e-5 * objectiveScale;
            if (viol <= problem.feasibilityTolerance() && (Math.abs(phi - lastPhi) < 1e-5 || stalled)) {
                return "converged after " + (outer + 1) + " outer iterations";
            }
            if (viol > 0.25 * lastViolation) {
                rho *= 10;
            }
            lastViolation = viol;
            lastPhi = phi;
        }
        return "stopped after " + MAX_OUTER + " outer iterations";
    }

    private double[] minimise(java.util.function.ToDoubleFunction<double[]> f, double[] x0, double radius) {
        if (n == 1) {
            BrentOptimizer brent = new BrentOptimizer(1e-8, 1e-10);
            try {
                return new double[] {brent.optimize(new MaxEval(200), GoalType.MINIMIZE,
                        new UnivariateObjectiveFunction(t -> f.applyAsDouble(new double[] {t})),
                        new SearchInterval(0, 1, x0[0])).getPoint()};
            } catch (MathIllegalStateException e) {
                return x0;
            }
        }
        double[] lower = new double[n];
        double[] upper = new double[n];
        Arrays.fill(upper, 1);
        double[] best = x0.clone();
        double[] bestVal = {f.applyAsDouble(x0)};
        // Track the best point ourselves so an evaluation budget cut still returns it.
        ObjectiveFunction obj = new ObjectiveFunction(z -> {
            double v = f.applyAsDouble(z);
            if (v < bestVal[0]) {
                bestVal[0] = v;
                System.arraycopy(z, 0, best, 0, n);
            }
            return v;
        });
        BOBYQAOptimizer bobyqa = new BOBYQAOptimizer(2 * n + 1, radius, STOPPING_RADIUS);
        try {
            bobyqa.optimize(new MaxEval(Math.max(10 * n, problem.maxEvaluations() - evaluations)), obj,
                    GoalType.MINIMIZE, new InitialGuess(x0), new SimpleBounds(lower, upper));
        } catch (MathIllegalStateException e) {
            // evaluation budget of this outer iteration: keep the best point seen
        }
        return best;
    }

    private double merit(double[] x, double[] lambda, double rho) {
        Eval e = evaluate(fromUnit(x));
        if (e.objective() == Double.NEGATIVE_INFINITY) {
            return 1e6;
        }
        double phi = -sense * e.objective() / objectiveScale;
        double pen = 0;
        for (int j = 0; j < lambda.length; j++) {
            double t = Math.max(0, lambda[j] + rho * e.g()[j]);
            pen += t * t - lambda[j] * lambda[j];
        }
        return phi + pen / (2 * rho);
    }

    /** Simulates one profile; a failed simulation gives objective -inf (worst) and is counted. */
    private Eval evaluate(double[] rates) {
        if (Thread.currentThread().isInterrupted()) {
            throw new SimulationException("Feed optimisation of " + id + " interrupted");
        }
        if (evaluations >= problem.maxEvaluations()) {
            throw new BudgetExhausted("evaluation budget of " + problem.maxEvaluations() + " simulations exhausted");
        }
        if (System.nanoTime() - startNanos > problem.timeBudget().toNanos()) {
            throw new BudgetExhausted("time budget of " + problem.timeBudget().toMillis() + " ms exhausted");
        }
        evaluations++;
        double[] times = new double[n];
        for (int k = 0; k < n; k++) {
            times[k] = problem.intervalStart(k);
        }
        SimulationRequest base = problem.base();
        OperatingSchedule schedule = base.schedule().with(new InputProfile(problem.feedInput(), times, rates));
        Trajectory tr;
        try {
            tr = simulator.simulate(new SimulationRequest(model, base.initialState(), base.parameters(),
                    base.startTime(), base.endTime(), grid, schedule, base.settings()));
        } catch (SimulationException e) {
            failures++;
            if (firstFailure.isEmpty()) {
                firstFailure = e.getMessage();
            }
            if (evaluations == 1) {
                throw e;
            }
            return new Eval(rates.clone(), Double.NEGATIVE_INFINITY, new double[gDef.size()], Double.POSITIVE_INFINITY,
                    new double[0][]);
        }
        double[][] st = tr.states();
        double[][] ob = tr.observables();
        int last = grid.length - 1;
        double j = objective.value(st, ob, last) * (factor == null ? 1 : factor.value(st, ob, last));
        double[][] cvalues = new double[cvars.length][grid.length];
        for (int c = 0; c < cvars.length; c++) {
            for (int k = 0; k < grid.length; k++) {
                cvalues[c][k] = cvars[c].value(st, ob, k);
            }
        }
        double[] g = new double[gDef.size()];
        double maxViol = 0;
        for (int i = 0; i < g.length; i++) {
            int[] d = gDef.get(i);
            double[] b = gBound.get(i);
            double v = cvalues[d[0]][d[1]];
            g[i] = d[2] * (v - b[0]) / b[1];
            maxViol = Math.max(maxViol, g[i]);
        }
        if (!Double.isFinite(j)) {
            failures++;
            if (firstFailure.isEmpty()) {
                firstFailure = "objective is " + j;
            }
            j = Double.NEGATIVE_INFINITY;
        }
        Eval e = new Eval(rates.clone(), j, g,
                maxViol, cvalues);
        if (Double.isFinite(j)) {
            if (maxViol <= problem.feasibilityTolerance()) {
                if (bestFeasible == null || sense * j > sense * bestFeasible.objective()) {
                    bestFeasible = e;
                }
            } else if (leastViolating == null || maxViol < leastViolating.maxViolation()) {
                leastViolating = e;
            }
        }
        return e;
    }

    private List<ConstraintReport> reports(Eval e) {
        List<ConstraintReport> out = new ArrayList<>();
        for (int c = 0; c < cvars.length; c++) {
            Constraint con = problem.constraints().get(c);
            int from = con.kind() == Constraint.Kind.PATH ? 0 : grid.length - 1;
            double worstSlack = Double.POSITIVE_INFINITY;
            double worstValue = Double.NaN;
            double worstTime = Double.NaN;
            double violation = 0;
            double relViolation = 0;
            for (int k = from; k < grid.length; k++) {
                double v = e.cvalues().length == 0 ? Double.NaN : e.cvalues()[c][k];
                double slack = Math.min(con.upper() - v, v - con.lower());
                if (!(slack >= worstSlack)) {
                    worstSlack = slack;
                    worstValue = v;
                    worstTime = grid[k];
                }
            }
            if (worstSlack < 0 || Double.isNaN(worstSlack)) {
                violation = Double.isNaN(worstSlack) ? Double.POSITIVE_INFINITY : -worstSlack;
                double bound = worstValue > con.upper() ? con.upper() : con.lower();
                relViolation = violation / Math.max(Math.abs(bound), 1);
            }
            out.add(new ConstraintReport(con, worstValue, worstTime, violation,
                    relViolation <= problem.feasibilityTolerance()));
        }
        return out;
    }

    private double[] toUnit(double[] rates) {
        double[] x = new double[n];
        for (int k = 0; k < n; k++) {
            x[k] = (rates[k] - lo) / (hi - lo);
        }
        return x;
    }

    private double[] fromUnit(double[] x) {
        double[] r = new double[n];
        for (int k = 0; k < n; k++) {
            r[k] = Math.min(hi, Math.max(lo, lo + x[k] * (hi - lo)));
        }
        return r;
    }

    private long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
