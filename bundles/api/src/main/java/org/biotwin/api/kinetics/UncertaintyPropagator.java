package org.biotwin.api.kinetics;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Propagates parameter and initial-state uncertainty through simulations by Monte Carlo, in parallel and
 * reproducibly. Implementations are thread-safe.
 */
@ProviderType
public interface UncertaintyPropagator {

    /**
     * Runs an ensemble.
     *
     * @param listener receives reports as members complete, on the calling thread
     * @throws IllegalArgumentException if a distribution names an unknown parameter or state, or the covariance is not
     *                                  positive semi-definite
     * @throws SimulationException      if every member fails, or the caller is interrupted
     */
    EnsembleResult propagate(UncertaintyProblem problem, ProgressListener listener);

    /** Runs an ensemble without progress reports. */
    default EnsembleResult propagate(UncertaintyProblem problem) {
        return propagate(problem, ProgressListener.NONE);
    }
}
