package org.biotwin.kinetics.internal.sim;

import java.util.Arrays;
import org.biotwin.api.kinetics.SimulationException;
import org.biotwin.api.model.KineticModel;
import org.hipparchus.ode.OrdinaryDifferentialEquation;

/**
 * The model's right-hand side as the integrators see it, for one simulation run: parameters and the current segment's
 * inputs are bound, non-negative states are clipped, every derivative is checked, and evaluations are counted.
 * <p>
 * <b>Non-negativity, part 1 (RHS).</b> The state handed to the model has every non-negative state
 * ({@code lowerBound >= 0}) clipped to {@code max(y, 0)}: an integrator's trial state may dip below zero by round-off
 * or within its error tolerance, and a model must never see a negative concentration (a Monod term would turn into a
 * source). A non-negative state at or below zero whose derivative is negative is held at zero (its derivative is set
 * to 0): a depleted substrate cannot be consumed further, even by a model whose maintenance term does not vanish at
 * zero. The stiff integrator also projects the accepted state (see {@link RosenbrockIntegrator}).
 * <p>
 * Allocation: {@link #evaluate} allocates nothing; {@link #computeDerivatives} (the Hipparchus entry point) allocates
 * the result array Hipparchus requires. Not thread-safe: one instance belongs to one run.
 */
final class ModelFunction implements OrdinaryDifferentialEquation {

    private final KineticModel model;
    private final String coordinates;
    private final String[] stateNames;
    private final boolean[] nonNegative;
    private final double[] parameters;
    private final double[] inputs;
    private final double[] clipped;
    private final Budget budget;
    private final int n;
    private long evaluations;

    ModelFunction(KineticModel model, String coordinates, String[] stateNames, boolean[] nonNegative,
            double[] parameters, int inputCount, Budget budget) {
        this.model = model;
        this.coordinates = coordinates;
        this.stateNames = stateNames;
        this.nonNegative = nonNegative;
        this.parameters = parameters;
        this.inputs = new double[inputCount];
        this.n = stateNames.length;
        this.clipped = new double[n];
        this.budget = budget;
    }

    /** The input vector of the current segment; the run writes into it at each segment start. */
    double[] inputs() {
        return inputs;
    }

    double[] parameters() {
        return parameters;
    }

    KineticModel model() {
        return model;
    }

    String coordinates() {
        return coordinates;
    }

    String stateName(int i) {
        return stateNames[i];
    }

    boolean nonNegative(int i) {
        return nonNegative[i];
    }

    long evaluations() {
        return evaluations;
    }

    @Override
    public int getDimension() {
        return n;
    }

    @Override
    public double[] computeDerivatives(double t, double[] y) {
        double[] yDot = new double[n];
        evaluate(t, y, yDot);
        return yDot;
    }

    /** {@code yDot = f(t, clip(y), p, u)}, checked for finiteness. */
    void evaluate(double t, double[] y, double[] yDot) {
        if ((++evaluations & (Budget.CLOCK_CHECK_INTERVAL - 1)) == 0) {
            budget.checkClock(t);
        }
        final double[] c = clipped;
        for (int i = 0; i < n; i++) {
            double v = y[i];
            c[i] = nonNegative[i] && v < 0 ? 0 : v;
        }
        try {
            model.derivatives(t, c, parameters, inputs, yDot);
        } catch (RuntimeException e) {
            throw modelFailure("right-hand side", t, e);
        }
        for (int i = 0; i < n; i++) {
            double d = yDot[i];
            if (!Double.isFinite(d)) {
                throw nonFinite(t, i, d, c);
            }
            if (d < 0 && nonNegative[i] && y[i] <= 0) {
                yDot[i] = 0; // a depleted state cannot be consumed further
            }
        }
    }

    /** Copies {@code y} with non-negative states clipped, for the Jacobian and observables. */
    void clip(double[] y, double[] out) {
        for (int i = 0; i < n; i++) {
            double v = y[i];
            out[i] = nonNegative[i] && v < 0 ? 0 : v;
        }
    }

    /** Wraps an exception thrown by the model itself (a broken model: wrong array length, division by zero...). */
    SimulationException modelFailure(String what, double t, RuntimeException e) {
        if (e instanceof SimulationException se) {
            return se;
        }
        return new SimulationException("Model " + coordinates + ": its " + what + " threw " + e + " at t = " + t
                + " h (state vector of length " + n + ", parameters " + parameters.length + ", inputs "
                + inputs.length + ")", e);
    }

    private SimulationException nonFinite(double t, int i, double value, double[] y) {
        return new SimulationException("Model " + coordinates + ": derivative of state '" + stateNames[i] + "' is "
                + value + " at t = " + t + " h (state " + Arrays.toString(y) + ", parameters "
                + Arrays.toString(parameters) + ", inputs " + Arrays.toString(inputs)
                + "); the model's right-hand side must be finite on its domain");
    }
}
