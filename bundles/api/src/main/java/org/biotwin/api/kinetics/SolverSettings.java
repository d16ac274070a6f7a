package org.biotwin.api.kinetics;

import java.time.Duration;
import java.util.Objects;

/**
 * Integration settings. Absolute tolerances come from each state's {@code absTolerance} scaled by
 * {@code absToleranceScale}. Immutable.
 *
 * @param choice            integrator choice
 * @param relTolerance      relative tolerance, dimensionless, in (0, 0.1]
 * @param absToleranceScale factor on each state's declared absolute tolerance, > 0
 * @param maxSteps          step budget over the whole simulation
 * @param wallClockBudget   time budget over the whole simulation; exceeding it fails the simulation
 */
public record SolverSettings(SolverChoice choice, double relTolerance, double absToleranceScale, int maxSteps,
        Duration wallClockBudget) {

    /** Defaults: automatic choice, rtol 1e-6, declared absolute tolerances, 1e6 steps, 30 s. */
    public static final SolverSettings DEFAULT =
            new SolverSettings(SolverChoice.AUTO, 1e-6, 1.0, 1_000_000, Duration.ofSeconds(30));

    public SolverSettings {
        Objects.requireNonNull(choice, "choice");
        Objects.requireNonNull(wallClockBudget, "wallClockBudget");
        if (!(relTolerance > 0 && relTolerance <= 0.1)) {
            throw new IllegalArgumentException("Relative tolerance must be in (0, 0.1], was " + relTolerance);
        }
        if (!(absToleranceScale > 0)) {
            throw new IllegalArgumentException("Absolute tolerance scale must be > 0, was " + absToleranceScale);
        }
        if (maxSteps <= 0) {
            throw new IllegalArgumentException("Step budget must be > 0, was " + maxSteps);
        }
    }

    /** A copy with another relative tolerance. */
    public SolverSettings withRelTolerance(double rtol) {
        return new SolverSettings(choice, rtol, absToleranceScale, maxSteps, wallClockBudget);
    }

    /** A copy with another integrator choice. */
    public SolverSettings withChoice(SolverChoice c) {
        return new SolverSettings(c, relTolerance, absToleranceScale, maxSteps, wallClockBudget);
    }
}
