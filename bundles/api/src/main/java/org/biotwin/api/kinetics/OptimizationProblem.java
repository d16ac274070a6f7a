package org.biotwin.api.kinetics;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A feed optimisation by control vector parameterisation: the rate of one feed input is piecewise constant on
 * {@code intervals} equal intervals from {@code feedStart} to the end of the horizon, each rate within
 * {@code [lowerRate, upperRate]}. The rest of the operation (other inputs, boluses, sampling) comes from
 * {@code base.schedule()}, whose own profile of the feed input, if any, is replaced. Immutable.
 *
 * @param base                 the batch to optimise: model, initial state, parameters, horizon {@code [startTime,
 *                             endTime]} (harvest at {@code endTime}), schedule and settings; its output times are not
 *                             used
 * @param feedInput            name of the model input to optimise, for example {@code F_feed}
 * @param feedStart            start of the first interval, h, in {@code [startTime, endTime)}
 * @param intervals            number of intervals N, in [1, 200]
 * @param lowerRate            lowest rate, in the input's unit (for example L/h), >= the input's declared lower bound
 * @param upperRate            highest rate, <= the input's declared upper bound
 * @param initialRates         starting profile, N rates within the bounds; the optimum's gain is reported against it
 * @param objective            what to optimise
 * @param constraints          path and end constraints
 * @param gridPoints           points of the dense grid on which path constraints are checked, >= 2 (including the
 *                             start and the end of the horizon)
 * @param feasibilityTolerance relative tolerance on constraint violation, as a fraction of {@code max(|bound|, 1)}
 * @param maxEvaluations       budget of simulations, > 0
 * @param timeBudget           wall-clock budget
 */
public record OptimizationProblem(SimulationRequest base, String feedInput, double feedStart, int intervals,
        double lowerRate, double upperRate, double[] initialRates, Objective objective, List<Constraint> constraints,
        int gridPoints, double feasibilityTolerance, int maxEvaluations, Duration timeBudget) {

    public OptimizationProblem {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(feedInput, "feedInput");
        Objects.requireNonNull(objective, "objective");
        Objects.requireNonNull(timeBudget, "timeBudget");
        constraints = List.copyOf(constraints);
        initialRates = initialRates.clone();
        String m = base.model().descriptor().coordinates();
        if (intervals < 1 || intervals > 200) {
            throw new IllegalArgumentException("Feed optimisation of " + m + ": intervals must be in [1, 200], was "
                    + intervals);
        }
        if (!(feedStart >= base.startTime() && feedStart < base.endTime())) {
            throw new IllegalArgumentException("Feed optimisation of " + m + ": feed start " + feedStart
                    + " h outside [" + base.startTime() + ", " + base.endTime() + ") h");
        }
        if (!(lowerRate <= upperRate) || !Double.isFinite(lowerRate) || !Double.isFinite(upperRate)) {
            throw new IllegalArgumentException("Feed optimisation of " + m + ": rate bounds [" + lowerRate + ", "
                    + upperRate + "] of " + feedInput + " are infeasible (lower > upper or not finite)");
        }
        if (initialRates.length != intervals) {
            throw new IllegalArgumentException("Feed optimisation of " + m + ": " + initialRates.length
                    + " initial rates for " + intervals + " intervals");
        }
        for (int k = 0; k < intervals; k++) {
            if (!(initialRates[k] >= lowerRate && initialRates[k] <= upperRate)) {
                throw new IllegalArgumentException("Feed optimisation of " + m + ": initial rate " + initialRates[k]
                        + " of interval " + k + " outside [" + lowerRate + ", " + upperRate + "]");
            }
        }
        if (gridPoints < 2) {
            throw new IllegalArgumentException("Feed optimisation of " + m + ": grid points must be >= 2, was "
                    + gridPoints);
        }
        if (!(feasibilityTolerance >= 0 && feasibilityTolerance < 1)) {
            throw new IllegalArgumentException("Feed optimisation of " + m + ": feasibility tolerance must be in [0, 1),"
                    + " was " + feasibilityTolerance);
        }
        if (maxEvaluations <= 0 || timeBudget.isNegative() || timeBudget.isZero()) {
            throw new IllegalArgumentException("Feed optimisation of " + m + ": budgets must be > 0");
        }
    }

    /** A problem with a constant initial rate, 200 grid points, tolerance 1e-4, 3,000 simulations and 60 s. */
    public static OptimizationProblem of(SimulationRequest base, String feedInput, double feedStart, int intervals,
            double lowerRate, double upperRate, double initialRate, Objective objective, List<Constraint> constraints) {
        double[] r = new double[intervals];
        java.util.Arrays.fill(r, initialRate);
        return new OptimizationProblem(base, feedInput, feedStart, intervals, lowerRate, upperRate, r, objective,
                constraints, 200, 1e-4, 3_000, Duration.ofSeconds(60));
    }

    /** Start of interval {@code k} (and, for {@code k == intervals}, the end of the horizon), h. */
    public double intervalStart(int k) {
        return feedStart + (base.endTime() - feedStart) * k / intervals;
    }

    @Override
    public double[] initialRates() {
        return initialRates.clone();
    }
}
