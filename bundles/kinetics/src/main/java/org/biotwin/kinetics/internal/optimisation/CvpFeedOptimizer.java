package org.biotwin.kinetics.internal.optimisation;

import org.biotwin.api.kinetics.FeedOptimizer;
import org.biotwin.api.kinetics.OptimizationProblem;
import org.biotwin.api.kinetics.OptimizationResult;
import org.biotwin.api.kinetics.ProgressListener;
import org.biotwin.api.kinetics.Simulator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Feed-profile optimisation by control vector parameterisation.
 * <p>
 * <b>Method.</b> The feed rate is piecewise constant on N equal intervals; the N rates, scaled to [0, 1], are the
 * decision variables. Each evaluation is one simulation with output on a dense grid of the problem's
 * {@code gridPoints}; path constraints become one inequality per grid point, end constraints one each, normalised by
 * {@code max(|bound|, 1)}. Constraints are handled by a Powell-Hestenes-Rockafellar augmented Lagrangian (Nocedal and
 * Wright, Numerical Optimization, 2006, 17.4); each subproblem is solved by Hipparchus' BOBYQA (Powell 2009), a
 * derivative-free trust-region method with native bounds and 2N+1 interpolation points (Brent's method for N = 1).
 * <p>
 * <b>Why BOBYQA.</b> The objective comes from an adaptive ODE solve, so finite-difference gradients for an SQP
 * (Hipparchus' {@code SQPOptimizerS}) would be noisy at the level of the integration tolerance and cost N+1
 * simulations each; CMA-ES is robust but needs 10-100 times more evaluations for N = 10. BOBYQA builds quadratic models
 * from the simulations it already has, respects the box exactly and is deterministic, so results are reproducible.
 * The method finds a local optimum; the best feasible profile seen across all evaluations is returned.
 * <p>
 * <b>Cost.</b> Typically 100-400 simulations per outer iteration for N = 10 and 1-5 outer iterations.
 * <p>
 * <b>Thread-safety.</b> Thread-safe and stateless: each call runs on the calling thread.
 */
@Component(service = FeedOptimizer.class)
public final class CvpFeedOptimizer implements FeedOptimizer {

    private final Simulator simulator;

    @Activate
    public CvpFeedOptimizer(@Reference Simulator simulator) {
        this.simulator = simulator;
    }

    @Override
    public OptimizationResult optimize(OptimizationProblem problem, ProgressListener listener) {
        return new CvpRun(simulator, problem, listener).run();
    }
}
