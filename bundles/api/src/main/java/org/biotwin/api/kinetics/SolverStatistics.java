package org.biotwin.api.kinetics;

/**
 * Cost of a simulation. Immutable.
 *
 * @param rhsEvaluations     right-hand-side evaluations, including those for finite-difference Jacobians
 * @param jacobianEvaluations Jacobian evaluations (analytic or finite-difference)
 * @param acceptedSteps      accepted steps
 * @param rejectedSteps      rejected steps
 * @param segments           integration segments (restarts at discontinuities and events)
 * @param stiffSegments      segments integrated by the stiff integrator
 */
public record SolverStatistics(long rhsEvaluations, long jacobianEvaluations, long acceptedSteps, long rejectedSteps,
        int segments, int stiffSegments) {
}
