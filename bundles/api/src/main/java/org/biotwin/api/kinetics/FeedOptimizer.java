package org.biotwin.api.kinetics;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Optimises a piecewise-constant feed profile (control vector parameterisation) under bounds and path and end
 * constraints. Implementations are thread-safe.
 */
@ProviderType
public interface FeedOptimizer {

    /**
     * Runs an optimisation.
     *
     * @param listener receives reports after each outer iteration, on the calling thread
     * @return the optimum; check {@link OptimizationResult#feasible()}
     * @throws IllegalArgumentException if the feed input, an objective or constraint variable is unknown to the model,
     *                                  or the rate bounds exceed the input's declared bounds
     * @throws SimulationException      if the model cannot be simulated with the initial profile, or the time budget
     *                                  is exhausted before a first result
     */
    OptimizationResult optimize(OptimizationProblem problem, ProgressListener listener);

    /** Runs an optimisation without progress reports. */
    default OptimizationResult optimize(OptimizationProblem problem) {
        return optimize(problem, ProgressListener.NONE);
    }
}
