package org.biotwin.kinetics.internal.estimation;

import org.biotwin.api.kinetics.EstimationProblem;
import org.biotwin.api.kinetics.EstimationResult;
import org.biotwin.api.kinetics.ParameterEstimator;
import org.biotwin.api.kinetics.ProgressListener;
import org.biotwin.api.kinetics.Simulator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Weighted least-squares parameter estimation over one or several batches.
 * <p>
 * <b>Method.</b> Minimises {@code chi2 = sum ((m_i(p) - y_i) / sd_i)^2} over all samples of all batches with
 * Hipparchus' {@link org.hipparchus.optim.nonlinear.vector.leastsquares.LevenbergMarquardtOptimizer} (Moré's MINPACK
 * variant). Each batch is simulated once per evaluation, from its own initial state under its own schedule, with output
 * at the union of its sampling times. Bounds are enforced by a transform to an unbounded search coordinate (scaled
 * logit for two finite bounds, log for one; see {@link BoundTransform}). The Jacobian is computed by forward finite
 * differences in the search coordinate, with relative step {@code sqrt(rtol)}; rejected trial steps cost no Jacobian
 * (lazy evaluation).
 * <p>
 * <b>Statistics.</b> At the optimum the Jacobian with respect to the parameters in their own units is recomputed by
 * central differences (step {@code cbrt(rtol)} relative). The covariance is {@code s2 (J^T W J)^-1}, computed through
 * the SVD of the relative sensitivity matrix; {@code s2} is the reduced chi-square {@code chi2/(n-p)} or 1 (see
 * {@link EstimationProblem#scaleByReducedChiSquare()}). Intervals are {@code estimate +- t(0.975, n-p) se}. These
 * linearised intervals are accurate when the model is close to linear in the parameters over the interval; they are
 * optimistic otherwise (Bates and Watts, Nonlinear Regression Analysis and Its Applications, Wiley 1988, ch. 2).
 * <p>
 * <b>Warnings.</b> |correlation| > 0.95; Fisher information condition number > 1e8 or singular; a 95 % interval wider
 * than the estimate; an estimate at a bound; reduced chi-square outside [0.25, 4]; a budget exhausted.
 * <p>
 * <b>Cost.</b> About {@code (p + 1)} simulations per batch per iteration, plus {@code 2p} at the end. Initial states
 * are not estimated.
 * <p>
 * <b>Thread-safety.</b> Thread-safe and stateless: each call runs independently on the calling thread.
 */
@Component(service = ParameterEstimator.class)
public final class LeastSquaresEstimator implements ParameterEstimator {

    private final Simulator simulator;

    @Activate
    public LeastSquaresEstimator(@Reference Simulator simulator) {
        this.simulator = simulator;
    }

    @Override
    public EstimationResult estimate(EstimationProblem problem, ProgressListener listener) {
        return new FitRun(simulator, problem, listener).run();
    }
}
