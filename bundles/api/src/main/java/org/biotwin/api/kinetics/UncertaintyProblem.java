package org.biotwin.api.kinetics;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A Monte Carlo propagation of parameter and initial-state uncertainty through a simulation. Each member draws its
 * parameters (jointly normal from {@code covariance} and independently from {@code parameterDistributions}) and its
 * initial state (independently from {@code initialStateDistributions}); everything else is taken from
 * {@code nominal}. Immutable.
 *
 * @param nominal                    the nominal simulation: model, schedule, horizon, output times and settings
 * @param covariance                 joint normal distribution of some parameters, or {@code null}
 * @param parameterDistributions     independent distributions of other parameters, by name
 * @param initialStateDistributions  independent distributions of initial states, by name
 * @param members                    ensemble size, in [2, 1,000,000]
 * @param seed                       seed; member {@code i} uses its own generator seeded from {@code (seed, i)}, so
 *                                   results do not depend on threads or scheduling
 */
public record UncertaintyProblem(SimulationRequest nominal, @Nullable ParameterCovariance covariance,
        Map<String, Distribution> parameterDistributions, Map<String, Distribution> initialStateDistributions,
        int members, long seed) {

    public UncertaintyProblem {
        Objects.requireNonNull(nominal, "nominal");
        parameterDistributions = Map.copyOf(parameterDistributions);
        initialStateDistributions = Map.copyOf(initialStateDistributions);
        String m = nominal.model().descriptor().coordinates();
        if (members < 2 || members > 1_000_000) {
            throw new IllegalArgumentException("Ensemble of " + m + ": member count must be in [2, 1000000], was "
                    + members);
        }
        if (covariance != null) {
            for (String n : covariance.names()) {
                if (parameterDistributions.containsKey(n)) {
                    throw new IllegalArgumentException("Ensemble of " + m + ": parameter " + n
                            + " has both a covariance and its own distribution");
                }
            }
        }
        if (covariance == null && parameterDistributions.isEmpty() && initialStateDistributions.isEmpty()) {
            throw new IllegalArgumentException("Ensemble of " + m + ": no uncertain parameter or initial state");
        }
    }

    /** The joint normal distribution, if any. */
    public Optional<ParameterCovariance> jointNormal() {
        return Optional.ofNullable(covariance);
    }
}
