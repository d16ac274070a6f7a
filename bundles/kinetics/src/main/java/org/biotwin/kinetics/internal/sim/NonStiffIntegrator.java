package org.biotwin.kinetics.internal.sim;

import org.biotwin.api.kinetics.SimulationException;
import org.hipparchus.exception.MathIllegalArgumentException;
import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.ode.LocalizedODEFormats;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.ODEStateAndDerivative;
import org.hipparchus.ode.nonstiff.DormandPrince853Integrator;
import org.hipparchus.ode.sampling.ODEStateInterpolator;
import org.hipparchus.ode.sampling.ODEStepHandler;

/**
 * One segment of a simulation on Hipparchus' {@link DormandPrince853Integrator}: the explicit embedded Runge-Kutta
 * method of order 8 with error estimators of orders 5 and 3 (Hairer, Norsett, Wanner, <i>Solving Ordinary
 * Differential Equations I</i>, 2nd ed., Springer 1993, §II.10), with per-state absolute and relative tolerances and
 * its 7th-order dense output at the requested output times.
 * <p>
 * Cost: 15 right-hand-side evaluations per attempted step in Hipparchus 4 (12 stages plus 3 for the dense output),
 * plus 2 per segment (initial derivative and initial step estimate).
 * <p>
 * <b>Stiffness indicator</b> (used when {@link #detectStiffness} is on, i.e. for {@code SolverChoice.AUTO}). An explicit
 * method whose step is limited by stability, not accuracy, runs with {@code h * rho(J)} near its stability boundary
 * (about 6 for DOP853 on the negative real axis; Hairer's DOP853 code tests {@code h * rho > 6.1}). Once a segment has
 * taken {@value #ESTIMATE_AFTER_STEPS} accepted steps (easy segments never pay for the test), every accepted step
 * estimates the spectral radius {@code rho} of {@code J = df/dy} at its end by one step of a nonlinear power iteration
 * (as in Sommeijer, Shampine and Verwer's RKC, J. Comput. Appl. Math. 88:315, 1998): with {@code v} the current
 * direction scaled to a weighted norm of 1 (weights {@code w_i = atol_i + rtol |y_i|}, i.e. a perturbation of the
 * size of the tolerance), {@code rho ~ ||f(t, y + v) - f(t, y)||_w}, and the difference becomes the next direction. Cost:
 * one RHS evaluation per estimated step. The segment is declared stiff when {@code h * rho > }{@value #STIFF_H_RHO} on
 * {@value #STIFF_CONSECUTIVE} consecutive steps, or when it needs more than {@value #MAX_STEPS_BEFORE_SWITCH} accepted
 * steps, or when Hipparchus stops at its minimum step (a step-size collapse the estimate missed). The run then
 * continues with the stiff integrator from the end of the last accepted step. A cheaper secant estimate {@code ||f1 - f0|| / ||y1 - y0||} was tried first and misses
 * Robertson's stiffness entirely (it reads about 1e-3 while {@code h |lambda|} is about 6): DOP853's error control keeps
 * the fast mode at rest, so the secant sees only the slow dynamics.
 * <p>
 * Non-negativity: Hipparchus cannot project its internal state between steps, so non-negative states are protected by
 * {@link ModelFunction} (clipping and holding at zero) and projected on output and at the end of the segment.
 * <p>
 * Not thread-safe: one instance belongs to one simulation run.
 */
final class NonStiffIntegrator implements ODEStepHandler {

    static final double STIFF_H_RHO = 4.0;
    static final int STIFF_CONSECUTIVE = 15;
    static final int ESTIMATE_AFTER_STEPS = 50;
    static final int MAX_STEPS_BEFORE_SWITCH = 5000;

    /** Thrown out of the step handler to stop Hipparchus when the segment turns stiff; carries no stack trace. */
    static final class StiffnessDetected extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final double time;
        final double[] state;
        final double lastStep;

        StiffnessDetected(double time, double[] state, double lastStep) {
            super("stiff", null, false, false);
            this.time = time;
            this.state = state;
            this.lastStep = lastStep;
        }
    }

    private final ModelFunction f;
    private final double[] atol;
    private final double rtol;
    private final Budget budget;
    private final RunStatistics stats;
    private final OutputRecorder out;
    private final int n;

    private final DormandPrince853Integrator dp;
    private final double minStep;

    private final double[] v;
    private final double[] w;
    private final double[] yPert;
    private final double[] fPert;
    private boolean directionSet;

    private boolean detectStiffness;
    private double segmentEnd;
    private int segmentSteps;
    private int stiffCount;
    private long estimateEvaluations;

    NonStiffIntegrator(ModelFunction f, double[] atol, double rtol, Budget budget, RunStatistics stats,
            OutputRecorder out, double start, double end) {
        this.f = f;
        this.atol = atol;
        this.rtol = rtol;
        this.budget = budget;
        this.stats = stats;
        this.out = out;
        this.n = atol.length;
        this.v = new double[n];
        this.w = new double[n];
        this.yPert = new double[n];
        this.fPert = new double[n];
        this.minStep = minStep(start, end);
        double[] rtolVec = new double[n];
        java.util.Arrays.fill(rtolVec, rtol);
        this.dp = new DormandPrince853Integrator(minStep, end - start, atol, rtolVec);
        dp.addStepHandler(this);
    }

    /**
     * Integrates {@code y} from {@code a} to {@code b} in place, recording pending outputs in {@code (a, b)}.
     *
     * @throws StiffnessDetected when stiffness detection is on and trips; {@code y} is then unchanged
     */
    void integrate(double a, double[] y, double b, boolean detect) {
        this.detectStiffness = detect;
        this.segmentEnd = b;
        this.segmentSteps = 0;
        this.stiffCount = 0;
        this.estimateEvaluations = 0;
        long evalsBefore = f.evaluations();
        ODEStateAndDerivative end;
        try {
            end = dp.integrate(f, new ODEState(a, y), b);
        } catch (StiffnessDetected e) {
            countRejections(dp, evalsBefore);
            throw e;
        } catch (MathIllegalArgumentException | MathIllegalStateException e) {
            String where = "Model " + f.coordinates() + ": non-stiff integration (Dormand-Prince 8(5,3)) failed in"
                    + " segment [" + a + ", " + b + "] h near t = " + lastTime(dp, a) + " h: ";
            boolean underflow = e.getSpecifier() == LocalizedODEFormats.MINIMAL_STEPSIZE_REACHED_DURING_INTEGRATION;
            ODEStateAndDerivative last = dp.getStepStart();
            if (underflow && detect && last != null && last.getTime() < b) {
                // AUTO: a step-size collapse is the strongest stiffness signal there is; hand over to RODAS4 at the
                // last accepted state (its outputs are already recorded).
                countRejections(dp, evalsBefore);
                throw new StiffnessDetected(last.getTime(), last.getPrimaryState(), -1);
            }
            if (underflow) {
                throw new SimulationException(where + "the tolerance cannot be met (step size below " + minStep
                        + " h). " + e.getMessage() + ". Try SolverChoice.STIFF or a looser tolerance", e);
            }
            throw new SimulationException(where + e.getMessage(), e);
        }
        countRejections(dp, evalsBefore);
        double[] yEnd = end.getPrimaryState();
        System.arraycopy(yEnd, 0, y, 0, n);
    }

    private void countRejections(DormandPrince853Integrator dp, long evalsBefore) {
        // Hipparchus reports no rejections; every attempt costs c.length evaluations, a segment 2 more, and each
        // stiffness estimate 1.
        long attempts = (f.evaluations() - evalsBefore - 2 - estimateEvaluations) / dp.getC().length;
        stats.rejectedSteps += Math.max(0, attempts - segmentSteps);
    }

    private static double lastTime(DormandPrince853Integrator dp, double a) {
        ODEStateAndDerivative s = dp.getStepStart();
        return s == null ? a : s.getTime();
    }

    /**
     * Hipparchus' minimum step for the whole run: one ulp of the latest time, below which no step can advance the
     * clock at the end of the window. (Hipparchus has one minimum for the run, not one relative to t; a stalled run
     * near t = 0 is still stopped by the step and wall-clock budgets.)
     */
    static double minStep(double a, double b) {
        return Math.ulp(Math.max(Math.abs(a), Math.abs(b)));
    }

    @Override
    public void handleStep(ODEStateInterpolator interpolator) {
        ODEStateAndDerivative cur = interpolator.getCurrentState();
        double t1 = cur.getTime();
        budget.chargeStep(t1);
        stats.acceptedSteps++;
        segmentSteps++;
        while (out.pendingAtOrBefore(t1) && out.pendingBefore(segmentEnd)) {
            out.record(interpolator.getInterpolatedState(out.nextTime()).getPrimaryState());
        }
        if (detectStiffness && t1 < segmentEnd && looksStiff(interpolator.getPreviousState(), cur)) {
            throw new StiffnessDetected(t1, cur.getPrimaryState(), t1 - interpolator.getPreviousState().getTime());
        }
    }

    private boolean looksStiff(ODEStateAndDerivative prev, ODEStateAndDerivative cur) {
        if (segmentSteps > MAX_STEPS_BEFORE_SWITCH) {
            return true;
        }
        if (segmentSteps < ESTIMATE_AFTER_STEPS) {
            return false;
        }
        double h = cur.getTime() - prev.getTime();
        boolean stiffStep = h * spectralRadius(cur.getTime(), cur.getPrimaryState(), cur.getPrimaryDerivative())
                > STIFF_H_RHO;
        stiffCount = stiffStep ? stiffCount + 1 : 0;
        return stiffCount >= STIFF_CONSECUTIVE;
    }

    /** One nonlinear power-iteration step for the spectral radius of df/dy at (t, y), 1/h. */
    private double spectralRadius(double t, double[] y, double[] fy) {
        for (int i = 0; i < n; i++) {
            w[i] = atol[i] + rtol * Math.abs(y[i]);
        }
        if (!directionSet) {
            // Alternating signs and unequal sizes: not orthogonal to the dominant mode of a kinetic Jacobian.
            for (int i = 0; i < n; i++) {
                v[i] = w[i] * ((i & 1) == 0 ? 1 : -1) * (1.0 + (double) i / n);
            }
            directionSet = true;
        }
        double norm = weightedNorm(v);
        if (!(norm > 0) || !Double.isFinite(norm)) {
            directionSet = false;
            return 0;
        }
        for (int i = 0; i < n; i++) {
            v[i] /= norm;
            yPert[i] = y[i] + v[i];
        }
        f.evaluate(t, yPert, fPert);
        estimateEvaluations++;
        for (int i = 0; i < n; i++) {
            v[i] = fPert[i] - fy[i];
        }
        return weightedNorm(v);
    }

    private double weightedNorm(double[] x) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double r = x[i] / w[i];
            s += r * r;
        }
        return Math.sqrt(s / n);
    }
}
