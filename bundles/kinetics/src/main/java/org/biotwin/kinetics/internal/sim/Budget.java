package org.biotwin.kinetics.internal.sim;

import java.time.Duration;
import org.biotwin.api.kinetics.SimulationException;

/**
 * The step and wall-clock budget of one simulation. Every integrator step (accepted or rejected) is charged with
 * {@link #chargeStep(double)}; right-hand-side evaluations check the clock every {@value #CLOCK_CHECK_INTERVAL}
 * evaluations so that a run that stalls inside a step (repeated rejections, a slow model) still stops.
 * <p>
 * Not thread-safe: one instance belongs to one simulation run.
 */
final class Budget {

    /** RHS evaluations between two clock checks: {@code System.nanoTime()} costs about 20 ns. */
    static final int CLOCK_CHECK_INTERVAL = 256;

    private final String model;
    private final int maxSteps;
    private final long budgetNanos;
    private final long deadline;
    private long steps;

    Budget(String model, int maxSteps, Duration wallClock) {
        this.model = model;
        this.maxSteps = maxSteps;
        this.budgetNanos = saturatedNanos(wallClock);
        this.deadline = System.nanoTime() + budgetNanos;
    }

    /** Charges one integrator step taken at batch age {@code t} (h). */
    void chargeStep(double t) {
        if (++steps > maxSteps) {
            throw new SimulationException("Model " + model + ": step budget of " + maxSteps
                    + " steps exhausted at t = " + t + " h. The problem may be stiff (use SolverChoice.STIFF or AUTO)"
                    + " or the tolerance too tight for the model; raise SolverSettings.maxSteps only if the run is"
                    + " expected to be this long");
        }
        checkClock(t);
    }

    /** Fails the simulation when the wall-clock budget is spent. */
    void checkClock(double t) {
        if (System.nanoTime() - deadline > 0) {
            throw new SimulationException("Model " + model + ": wall-clock budget of " + budgetNanos / 1_000_000
                    + " ms exhausted at t = " + t + " h after " + steps + " steps");
        }
    }

    long steps() {
        return steps;
    }

    private static long saturatedNanos(Duration d) {
        if (d.isNegative() || d.isZero()) {
            return 0;
        }
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 4;
        }
    }
}
