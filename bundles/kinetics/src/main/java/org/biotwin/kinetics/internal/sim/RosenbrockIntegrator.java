package org.biotwin.kinetics.internal.sim;

import org.biotwin.api.kinetics.SimulationException;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.DecompositionSolver;
import org.hipparchus.linear.LUDecomposition;
import org.hipparchus.linear.RealVector;

/**
 * RODAS4: the stiffly accurate, L-stable Rosenbrock method of order 4 with 6 stages and an embedded method of order 3,
 * with step-size control and dense output, for one segment of a simulation.
 * <p>
 * <b>Method.</b> Hairer and Wanner, <i>Solving Ordinary Differential Equations II: Stiff and Differential-Algebraic
 * Problems</i>, 2nd ed., Springer 1996, §IV.7, in the transformed form (7.4'): with {@code W = I/(h*gamma) - J},
 * <pre>
 *   W U_i = f(t + alpha_i h, y + sum_{j&lt;i} a_ij U_j) + sum_{j&lt;i} (c_ij / h) U_j + gamma_i h df/dt,   i = 1..6
 *   y1 = y + sum_i m_i U_i,    error estimate = U_6
 * </pre>
 * The coefficients are those of RODAS4 in E. Hairer's {@code rodas.f} (subroutine {@code ROCOE}, {@code METH = 1},
 * the "Hairer-Wanner" set of the book's Table 7.1 row RODAS); {@code gamma = 0.25}. Because the method is stiffly
 * accurate ({@code m_i = a_6i}, {@code m_6 = 1}) its stability function vanishes at infinity (L-stable) and the
 * solution is the last stage argument plus {@code U_6}.
 * <p>
 * <b>Jacobian.</b> {@code J = df/dy} at the start of every step (Rosenbrock methods need the exact Jacobian for their
 * order): the model's analytic Jacobian when {@code hasJacobian()}, otherwise forward differences column by column with
 * the increment {@code delta_j = sqrt(eps * max(1e-5, y_j^2))} of Hairer's {@code rodas.f}/{@code radau5.f}, taken
 * upward so that a non-negative state stays in its domain ({@code n} extra RHS evaluations). {@code df/dt} by a forward
 * difference with {@code delta_t = sqrt(eps) * max(1e-5, |t|)} (one evaluation).
 * <p>
 * <b>Linear algebra.</b> Hipparchus {@link LUDecomposition} with partial pivoting of {@code W} once per attempted step,
 * 6 back-substitutions per step. A singular {@code W} halves the step (at most 5 times in a row).
 * <p>
 * <b>Error control.</b> {@code err = sqrt(mean_i (U6_i / (atol_i + rtol * max(|y0_i|, |y1_i|)))^2)}; a step is
 * accepted when {@code err <= 1}; the next step is {@code h * min(6, max(0.2, 0.9 * err^(-1/4)))}, not increased right
 * after a rejection. A step below {@code 64 ulp(t)} (the time resolution at {@code t}) fails with a {@link SimulationException} naming the state with the
 * largest weighted error.
 * <p>
 * <b>Output.</b> Steps end exactly on every requested output time, so outputs are step values with the full accuracy
 * of the error control. Interpolating instead is not safe for this method on very stiff problems: on the
 * Prothero-Robinson test {@code y' = -1e6 (y - g) + g'} RODAS4's error estimate lets steps grow to hours while the
 * error at the step ends stays below 1e-6, and then neither a cubic Hermite interpolant (through {@code f(y0)},
 * {@code f(y1)}, which amplify the tolerance-sized error by |lambda|) nor the method's own third-order continuous
 * extension (rodas.f {@code CONTRO}, implemented in {@link #emitOutputs}) is within 1e-3 between them; their error is
 * not controlled. The extension is still what {@link #emitOutputs} evaluates, and it reproduces the step value exactly
 * at {@code s = 1}. Cost: at least one step per output time, without any restart penalty since RODAS4 evaluates its
 * Jacobian at every step anyway.
 * <p>
 * <b>Non-negativity, part 2 (projection).</b> After an accepted step every non-negative state slightly below zero is
 * set to zero; a value below {@code -10 (atol_i + rtol |y0_i|)} is an overshoot beyond the tolerance and the step is
 * rejected with half the step size.
 * <p>
 * <b>Cost per step</b>: 6 RHS evaluations (the first, {@code f(t, y)}, is shared with the Jacobian's finite differences), 1 for {@code df/dt}, {@code n}
 * for a finite-difference Jacobian (or one analytic Jacobian), one LU of an {@code n x n} matrix, 6 solves. Suited to
 * the small dense systems of bioprocess models (n up to a few dozen).
 * <p>
 * Not thread-safe: one instance belongs to one simulation run; all work arrays are allocated once per run.
 */
final class RosenbrockIntegrator {

    // RODAS4 coefficients, E. Hairer, rodas.f (ROCOE, METH=1); Hairer & Wanner (1996) §IV.7.
    static final double GAMMA = 0.25;
    static final double[] ALPHA = {0.0, 0.386, 0.21, 0.63, 1.0, 1.0};
    static final double[] GAMMA_SUM = {0.25, -0.1043, 0.1035, -0.3620000000000023e-01, 0.0, 0.0};
    static final double[][] A = {
        {},
        {0.1544000000000000e+01},
        {0.9466785280815826e+00, 0.2557011698983284e+00},
        {0.3314825187068521e+01, 0.2896124015972201e+01, 0.9986419139977817e+00},
        {0.1221224509226641e+01, 0.6019134481288629e+01, 0.1253708332932087e+02, -0.6878860361058950e+00},
        {0.1221224509226641e+01, 0.6019134481288629e+01, 0.1253708332932087e+02, -0.6878860361058950e+00, 1.0},
    };
    static final double[][] C = {
        {},
        {-0.5668800000000000e+01},
        {-0.2430093356833875e+01, -0.2063599157091915e+00},
        {-0.1073529058151375e+00, -0.9594562251023355e+01, -0.2047028614809616e+02},
        {0.7496443313967647e+01, -0.1024680431464352e+02, -0.3399990352819905e+02, 0.1170890893206160e+02},
        {0.8083246795921522e+01, -0.7981132988064893e+01, -0.3152159432874371e+02, 0.1631930543123136e+02,
            -0.6058818238834054e+01},
    };
    static final double[] M = {0.1221224509226641e+01, 0.6019134481288629e+01, 0.1253708332932087e+02,
        -0.6878860361058950e+00, 1.0, 1.0};
    /** Dense-output coefficients of RODAS4 (rodas.f, D21..D35): a third-order continuous extension. */
    static final double[] D2 = {0.1012623508344586e+02, -0.7487995877610167e+01, -0.3480091861555747e+02,
        -0.7992771707568823e+01, 0.1025137723295662e+01};
    static final double[] D3 = {-0.6762803392801253e+00, 0.6087714651680015e+01, 0.1643084320892478e+02,
        0.2476722511418386e+02, -0.6594389125716872e+01};
    private static final int STAGES = 6;

    private static final double SAFETY = 0.9;
    private static final double FAC_MIN = 0.2;
    private static final double FAC_MAX = 6.0;
    private static final double SQRT_EPS = Math.sqrt(Math.ulp(1.0));
    private static final int MAX_SINGULAR = 5;
    private static final int MAX_STAGE_FAILURES = 10;

    private final ModelFunction f;
    private final double[] atol;
    private final double rtol;
    private final Budget budget;
    private final RunStatistics stats;
    private final OutputRecorder out;
    private final int n;
    private final boolean analytic;

    private final double[] f0;
    private final double[] d2;
    private final double[] d3;
    private final double[] ft;
    private final double[] yStage;
    private final double[] fStage;
    private final double[] y1;
    private final double[] yPert;
    private final double[] fPert;
    private final double[] yClip;
    private final double[][] u;
    private final double[][] jac;
    private final Array2DRowRealMatrix w;
    private final double[][] wData;
    private final ArrayRealVector rhs;

    RosenbrockIntegrator(ModelFunction f, double[] atol, double rtol, Budget budget, RunStatistics stats,
            OutputRecorder out) {
        this.f = f;
        this.atol = atol;
        this.rtol = rtol;
        this.budget = budget;
        this.stats = stats;
        this.out = out;
        this.n = atol.length;
        this.analytic = f.model().hasJacobian();
        f0 = new double[n];
        d2 = new double[n];
        d3 = new double[n];
        ft = new double[n];
        yStage = new double[n];
        fStage = new double[n];
        y1 = new double[n];
        yPert = new double[n];
        fPert = new double[n];
        yClip = new double[n];
        u = new double[STAGES][n];
        jac = new double[n][n];
        w = new Array2DRowRealMatrix(n, n);
        wData = w.getDataRef();
        rhs = new ArrayRealVector(n);
    }

    /**
     * Integrates {@code y} from {@code a} to {@code b} in place, recording pending outputs in {@code (a, b)}.
     *
     * @param h0 initial step, h; {@code <= 0} for an automatic estimate
     * @return the step size proposed for a following segment, h
     */
    double integrate(double a, double[] y, double b, double h0) {
        double t = a;
        f.evaluate(t, y, f0);
        boolean f0Current = true;
        double h = h0 > 0 ? Math.min(h0, b - a) : initialStep(a, y, b);
        boolean rejectedLast = false;
        int singularInRow = 0;
        int stageFailures = 0;
        boolean derivativesCurrent = false;
        while (t < b) {
            // Steps end exactly on the segment end and on every output time (see the class comment).
            double target = Math.min(b, out.pendingBefore(b) ? out.nextTime() : b);
            boolean clamped = t + 1.01 * h >= target;
            double hNatural = h;
            if (clamped) {
                h = target - t;
            }
            // Time resolution at t; a step clamped to a shorter remainder of the segment is taken as it is.
            double hMin = 64 * Math.ulp(t);
            if (h < hMin && !(clamped && h > 0)) {
                throw underflow(t, h, y);
            }
            budget.chargeStep(t);
            if (!f0Current) {
                f.evaluate(t, y, f0);
                f0Current = true;
            }
            if (!derivativesCurrent) {
                jacobian(t, y);
                timeDerivative(t, y);
                derivativesCurrent = true;
            }
            // Phase 1: factorise W = I/(h gamma) - J.
            DecompositionSolver lu = factorise(h);
            if (lu == null) {
                stats.rejectedSteps++;
                if (++singularInRow > MAX_SINGULAR) {
                    throw new SimulationException("Model " + f.coordinates() + ": stiff integration (RODAS4) failed at t = "
                            + t + " h: the iteration matrix I/(h*gamma) - J is singular for " + MAX_SINGULAR
                            + " successive step sizes down to " + h + " h");
                }
                h *= 0.5;
                rejectedLast = true;
                continue;
            }
            singularInRow = 0;
            // Phase 2: the six stages.
            try {
                stages(t, y, h, lu);
            } catch (SimulationException nonFiniteAtTrialPoint) {
                // A trial stage outside the model's domain is an accuracy problem of a too large step, not a
                // contract breach, until the step has shrunk several times.
                if (++stageFailures > MAX_STAGE_FAILURES) {
                    throw nonFiniteAtTrialPoint;
                }
                stats.rejectedSteps++;
                h *= 0.25;
                rejectedLast = true;
                continue;
            }
            // Phase 3: error estimate and step-size control.
            double err = errorNorm(y);
            boolean overshoot = err <= 1 && negativeOvershoot(y);
            if (err <= 1 && !overshoot) {
                stageFailures = 0;
                double tNew = clamped && h == target - t ? target : t + h;
                project(y1);
                emitOutputs(t, y, tNew, b);
                System.arraycopy(y1, 0, y, 0, n);
                f0Current = false; // f(tNew, y1) is the first stage of the next step, evaluated only if there is one
                t = tNew;
                stats.acceptedSteps++;
                derivativesCurrent = false;
                double fac = Math.min(FAC_MAX, Math.max(FAC_MIN, SAFETY * Math.pow(err, -0.25)));
                if (rejectedLast) {
                    fac = Math.min(fac, 1.0);
                }
                // A step shortened to hit an output says nothing against the controller's longer proposal.
                h = clamped ? Math.max(h * fac, Math.min(hNatural, h * FAC_MAX)) : h * fac;
                rejectedLast = false;
            } else {
                stats.rejectedSteps++;
                h *= overshoot ? 0.5 : Math.max(FAC_MIN, SAFETY * Math.pow(err, -0.25));
                rejectedLast = true;
            }
        }
        return h;
    }

    private void stages(double t, double[] y, double h, DecompositionSolver lu) {
        final double[][] uu = u;
        for (int s = 0; s < STAGES; s++) {
            double[] fs;
            if (s == 0) {
                fs = f0;
            } else {
                double[] as = A[s];
                for (int i = 0; i < n; i++) {
                    double v = y[i];
                    for (int j = 0; j < s; j++) {
                        v += as[j] * uu[j][i];
                    }
                    yStage[i] = v;
                }
                f.evaluate(t + ALPHA[s] * h, yStage, fStage);
                fs = fStage;
            }
            double[] cs = C[s];
            double gh = GAMMA_SUM[s] * h;
            double[] r = rhs.getDataRef();
            for (int i = 0; i < n; i++) {
                double v = fs[i] + gh * ft[i];
                for (int j = 0; j < s; j++) {
                    v += cs[j] / h * uu[j][i];
                }
                r[i] = v;
            }
            RealVector sol = lu.solve(rhs);
            double[] us = uu[s];
            for (int i = 0; i < n; i++) {
                double v = sol.getEntry(i);
                if (!Double.isFinite(v)) {
                    throw new SimulationException("Model " + f.coordinates() + ": non-finite stage value for state '"
                            + f.stateName(i) + "' at t = " + t + " h");
                }
                us[i] = v;
            }
        }
        for (int i = 0; i < n; i++) {
            double v = y[i];
            for (int s = 0; s < STAGES; s++) {
                v += M[s] * uu[s][i];
            }
            y1[i] = v;
        }
    }

    private double errorNorm(double[] y) {
        double[] e = u[STAGES - 1];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double sc = atol[i] + rtol * Math.max(Math.abs(y[i]), Math.abs(y1[i]));
            double r = e[i] / sc;
            sum += r * r;
        }
        return Math.sqrt(sum / n);
    }

    private boolean negativeOvershoot(double[] y) {
        for (int i = 0; i < n; i++) {
            if (f.nonNegative(i) && y1[i] < -10 * (atol[i] + rtol * Math.abs(y[i]))) {
                return true;
            }
        }
        return false;
    }

    private void project(double[] v) {
        for (int i = 0; i < n; i++) {
            if (f.nonNegative(i) && v[i] < 0) {
                v[i] = 0;
            }
        }
    }

    private DecompositionSolver factorise(double h) {
        double d = 1.0 / (h * GAMMA);
        for (int i = 0; i < n; i++) {
            double[] wi = wData[i];
            double[] ji = jac[i];
            for (int j = 0; j < n; j++) {
                wi[j] = -ji[j];
            }
            wi[i] += d;
        }
        DecompositionSolver solver = new LUDecomposition(w, Double.MIN_NORMAL).getSolver();
        return solver.isNonSingular() ? solver : null;
    }

    private void jacobian(double t, double[] y) {
        stats.jacobianEvaluations++;
        if (analytic) {
            f.clip(y, yClip);
            try {
                f.model().jacobian(t, yClip, f.parameters(), f.inputs(), jac);
            } catch (RuntimeException e) {
                throw f.modelFailure("Jacobian", t, e);
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (!Double.isFinite(jac[i][j])) {
                        throw new SimulationException("Model " + f.coordinates() + ": Jacobian entry d(" + f.stateName(i)
                                + ")'/d(" + f.stateName(j) + ") is " + jac[i][j] + " at t = " + t + " h");
                    }
                }
            }
            return;
        }
        System.arraycopy(y, 0, yPert, 0, n);
        for (int j = 0; j < n; j++) {
            double yj = y[j];
            double delta = Math.sqrt(Math.ulp(1.0) * Math.max(1e-5, yj * yj));
            double up = yj + delta;
            delta = up - yj; // exactly representable increment
            yPert[j] = up;
            f.evaluate(t, yPert, fPert);
            yPert[j] = yj;
            for (int i = 0; i < n; i++) {
                jac[i][j] = (fPert[i] - f0[i]) / delta;
            }
        }
    }

    private void timeDerivative(double t, double[] y) {
        double dt = SQRT_EPS * Math.max(1e-5, Math.abs(t));
        double tp = t + dt;
        dt = tp - t;
        f.evaluate(tp, y, fPert);
        for (int i = 0; i < n; i++) {
            ft[i] = (fPert[i] - f0[i]) / dt;
        }
    }

    private double initialStep(double a, double[] y, double b) {
        double d0 = 0;
        double d1 = 0;
        for (int i = 0; i < n; i++) {
            double sc = atol[i] + rtol * Math.abs(y[i]);
            d0 += (y[i] / sc) * (y[i] / sc);
            d1 += (f0[i] / sc) * (f0[i] / sc);
        }
        d0 = Math.sqrt(d0 / n);
        d1 = Math.sqrt(d1 / n);
        double h = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 * (b - a) : 0.01 * d0 / d1;
        return Math.min(h, b - a);
    }

    /**
     * Outputs in {@code (t0, t1]} from RODAS4's own continuous extension (rodas.f {@code CONTRO}):
     * {@code y(s) = (1 - s) y0 + s (y1 + (1 - s) (d2 + s d3))}, {@code s = (t - t0) / h},
     * {@code d2 = sum_j D2_j U_j}, {@code d3 = sum_j D3_j U_j}. It is built from the stages, not from {@code f(y0)}
     * and {@code f(y1)}: on a stiff problem a derivative amplifies the solution's tolerance-sized error by |lambda|,
     * and a Hermite interpolant through it is off by {@code h |lambda| tol} between the steps.
     */
    private void emitOutputs(double t0, double[] y0, double t1, double segmentEnd) {
        if (!(out.pendingAtOrBefore(t1) && out.pendingBefore(segmentEnd))) {
            return;
        }
        final double[][] uu = u;
        for (int i = 0; i < n; i++) {
            double a2 = 0;
            double a3 = 0;
            for (int j = 0; j < 5; j++) {
                a2 += D2[j] * uu[j][i];
                a3 += D3[j] * uu[j][i];
            }
            d2[i] = a2;
            d3[i] = a3;
        }
        double h = t1 - t0;
        while (out.pendingAtOrBefore(t1) && out.pendingBefore(segmentEnd)) {
            double s = (out.nextTime() - t0) / h;
            double[] slot = out.nextSlot();
            for (int i = 0; i < n; i++) {
                slot[i] = (1 - s) * y0[i] + s * (y1[i] + (1 - s) * (d2[i] + s * d3[i]));
            }
            out.commitSlot();
        }
    }

    private SimulationException underflow(double t, double h, double[] y) {
        double[] e = u[STAGES - 1];
        int worst = 0;
        double worstRatio = -1;
        for (int i = 0; i < n; i++) {
            double r = Math.abs(e[i]) / (atol[i] + rtol * Math.abs(y[i]));
            if (r > worstRatio) {
                worstRatio = r;
                worst = i;
            }
        }
        return new SimulationException("Model " + f.coordinates() + ": stiff integration (RODAS4) cannot meet the"
                + " tolerance at t = " + t + " h: step size " + h + " h underflows; largest error in state '"
                + f.stateName(worst) + "' (value " + y[worst] + ")");
    }
}
