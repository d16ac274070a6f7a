package org.biotwin.api.kinetics;

import java.util.List;
import java.util.Objects;
import org.biotwin.api.model.InputProfile;

/**
 * The outcome of a feed optimisation. An infeasible problem still returns its least-violating profile, with
 * {@code feasible == false} and the violated constraints in {@link #constraints()} and {@link #message()}: never
 * apply a profile without checking {@link #feasible()}. Immutable.
 *
 * @param model            model coordinates {@code id:version}
 * @param optimalProfile   the optimised feed profile (N breakpoints; before the first the input's default holds)
 * @param rates            the N rates, in the input's unit
 * @param objective        objective value of the optimum, in the objective's unit (for example g)
 * @param initialObjective objective value of the initial profile
 * @param initialFeasible  whether the initial profile met every constraint
 * @param constraints      one report per constraint, at the optimum
 * @param feasible         whether every constraint is met within tolerance
 * @param evaluations      simulations run
 * @param elapsedMillis    wall-clock time, ms
 * @param message          a human-readable summary: gain, constraints violated
 */
public record OptimizationResult(String model, InputProfile optimalProfile, double[] rates, double objective,
        double initialObjective, boolean initialFeasible, List<ConstraintReport> constraints, boolean feasible,
        int evaluations, long elapsedMillis, String message) {

    public OptimizationResult {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(optimalProfile, "optimalProfile");
        Objects.requireNonNull(message, "message");
        rates = rates.clone();
        constraints = List.copyOf(constraints);
    }

    /** {@code objective - initialObjective}, in the objective's unit. */
    public double gain() {
        return objective - initialObjective;
    }

    /** {@code gain / |initialObjective|}, dimensionless. */
    public double relativeGain() {
        return gain() / Math.abs(initialObjective);
    }

    @Override
    public double[] rates() {
        return rates.clone();
    }
}
