package org.biotwin.api.kinetics;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.biotwin.api.model.KineticModel;

/**
 * A weighted least-squares estimation of some parameters of a model from the data of one or several batches.
 * Parameters that are neither free nor in {@code fixedValues} stay at the model's nominal value. Immutable.
 *
 * @param model                  the model
 * @param batches                batch records, at least one
 * @param free                   parameters to estimate, at least one, distinct
 * @param fixedValues            parameters held at a given value other than nominal, in the parameter's unit
 * @param settings               integrator settings of every simulation in the fit; a fit needs tight tolerances
 *                               (rtol 1e-8 or below) because finite-difference Jacobians amplify integration error
 * @param maxIterations          Levenberg-Marquardt iteration budget, > 0
 * @param maxEvaluations         budget of model evaluations (one evaluation = simulation of all batches), > 0
 * @param timeBudget             wall-clock budget of the whole fit
 * @param scaleByReducedChiSquare whether the covariance is scaled by the reduced chi-square {@code chi2/(n-p)}:
 *                               {@code true} when the standard deviations are only relative weights, {@code false}
 *                               when they are trusted absolute measurement errors
 */
public record EstimationProblem(KineticModel model, List<BatchData> batches, List<FreeParameter> free,
        Map<String, Double> fixedValues, SolverSettings settings, int maxIterations, int maxEvaluations,
        Duration timeBudget, boolean scaleByReducedChiSquare) {

    /** Default budgets: 200 iterations, 2,000 evaluations, 5 min. */
    public static final int DEFAULT_MAX_ITERATIONS = 200;
    public static final int DEFAULT_MAX_EVALUATIONS = 2_000;
    public static final Duration DEFAULT_TIME_BUDGET = Duration.ofMinutes(5);

    public EstimationProblem {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(timeBudget, "timeBudget");
        batches = List.copyOf(batches);
        free = List.copyOf(free);
        fixedValues = Map.copyOf(fixedValues);
        String m = model.descriptor().coordinates();
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("Fit of " + m + ": no batch data");
        }
        if (free.isEmpty()) {
            throw new IllegalArgumentException("Fit of " + m + ": no parameter to estimate");
        }
        Set<String> ids = new HashSet<>();
        for (BatchData b : batches) {
            if (!ids.add(b.batchId())) {
                throw new IllegalArgumentException("Fit of " + m + ": batch " + b.batchId() + " given twice");
            }
        }
        Set<String> names = new HashSet<>();
        for (FreeParameter f : free) {
            if (!names.add(f.name())) {
                throw new IllegalArgumentException("Fit of " + m + ": parameter " + f.name() + " listed twice as free");
            }
            if (fixedValues.containsKey(f.name())) {
                throw new IllegalArgumentException("Fit of " + m + ": parameter " + f.name() + " is both free and fixed");
            }
        }
        if (maxIterations <= 0 || maxEvaluations <= 0) {
            throw new IllegalArgumentException("Fit of " + m + ": iteration and evaluation budgets must be > 0, were "
                    + maxIterations + " and " + maxEvaluations);
        }
        if (timeBudget.isNegative() || timeBudget.isZero()) {
            throw new IllegalArgumentException("Fit of " + m + ": time budget must be > 0, was " + timeBudget);
        }
    }

    /** A problem with default budgets, rtol 1e-8 non-stiff-or-auto settings and covariance scaled by chi-square. */
    public static EstimationProblem of(KineticModel model, List<BatchData> batches, List<FreeParameter> free) {
        return new EstimationProblem(model, batches, free, Map.of(), SolverSettings.DEFAULT.withRelTolerance(1e-8),
                DEFAULT_MAX_ITERATIONS, DEFAULT_MAX_EVALUATIONS, DEFAULT_TIME_BUDGET, true);
    }

    /** A copy with other fixed values. */
    public EstimationProblem withFixedValues(Map<String, Double> fixed) {
        return new EstimationProblem(model, batches, free, fixed, settings, maxIterations, maxEvaluations, timeBudget,
                scaleByReducedChiSquare);
    }

    /** A copy with other budgets. */
    public EstimationProblem withBudgets(int iterations, int evaluations, Duration time) {
        return new EstimationProblem(model, batches, free, fixedValues, settings, iterations, evaluations, time,
                scaleByReducedChiSquare);
    }

    /** A copy with other integrator settings. */
    public EstimationProblem withSettings(SolverSettings s) {
        return new EstimationProblem(model, batches, free, fixedValues, s, maxIterations, maxEvaluations, timeBudget,
                scaleByReducedChiSquare);
    }

    /** A copy with another covariance scaling choice. */
    public EstimationProblem withScaleByReducedChiSquare(boolean scale) {
        return new EstimationProblem(model, batches, free, fixedValues, settings, maxIterations, maxEvaluations,
                timeBudget, scale);
    }
}
