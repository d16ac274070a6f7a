package org.biotwin.api.kinetics;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Estimates model parameters from batch data by weighted least squares (Levenberg-Marquardt), with covariance,
 * 95 % confidence intervals, correlation and identifiability warnings. Implementations are thread-safe.
 */
@ProviderType
public interface ParameterEstimator {

    /**
     * Runs a fit.
     *
     * @param listener receives a report after each iteration, on the calling thread
     * @return the estimates; a fit that ran out of its iteration, evaluation or time budget returns its best point
     *         with {@code converged == false} and a warning
     * @throws IllegalArgumentException if the problem is inconsistent with the model: unknown parameter, observable or
     *                                  state; unit mismatch; initial state of the wrong length; bounds infeasible or
     *                                  start outside them; fewer samples than free parameters
     * @throws SimulationException      if the model cannot be simulated at the start point or at the optimum, or the
     *                                  calling thread is interrupted
     */
    EstimationResult estimate(EstimationProblem problem, ProgressListener listener);

    /** Runs a fit without progress reports. */
    default EstimationResult estimate(EstimationProblem problem) {
        return estimate(problem, ProgressListener.NONE);
    }
}
