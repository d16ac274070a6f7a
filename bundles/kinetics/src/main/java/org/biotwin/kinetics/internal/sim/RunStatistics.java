package org.biotwin.kinetics.internal.sim;

import org.biotwin.api.kinetics.SolverStatistics;

/** Mutable cost counters of one run, frozen into {@link SolverStatistics} at the end. Not thread-safe. */
final class RunStatistics {
    long jacobianEvaluations;
    long acceptedSteps;
    long rejectedSteps;
    int segments;
    int stiffSegments;

    SolverStatistics freeze(long rhsEvaluations) {
        return new SolverStatistics(rhsEvaluations, jacobianEvaluations, acceptedSteps, rejectedSteps, segments,
                stiffSegments);
    }
}
