package org.biotwin.api.kinetics;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of a parameter estimation. Matrices are in the order of {@link #estimates()} and are copied on the way
 * in and out. Immutable.
 * <p>
 * The covariance is {@code s2 * (J^T W J)^-1} at the optimum, where {@code J} is the Jacobian of the model outputs with
 * respect to the free parameters (in their own units), {@code W = diag(1/sd^2)}, and {@code s2} is the reduced
 * chi-square {@code chi2/(n-p)} when {@link EstimationProblem#scaleByReducedChiSquare()} is set, else 1.
 *
 * @param model             model coordinates {@code id:version}
 * @param estimates         one entry per free parameter, in the problem's order
 * @param parameters        the full parameter vector at the optimum (free, fixed and nominal), in model order
 * @param covariance        parameter covariance, in unit(i)*unit(j); NaN entries when it could not be computed
 * @param correlation       correlation matrix, dimensionless
 * @param chiSquare         weighted sum of squared residuals at the optimum, {@code sum ((y - m)/sd)^2}
 * @param observations      number of samples n
 * @param degreesOfFreedom  n - p
 * @param conditionNumber   condition number of the Jacobian scaled to relative parameter changes; the Fisher information
 *                          matrix has its square
 * @param converged         whether the optimiser met its convergence test within the budgets; otherwise the best point
 *                          seen is reported with a warning
 * @param iterations        Levenberg-Marquardt iterations
 * @param evaluations       model evaluations (each a simulation of every batch), Jacobians included
 * @param elapsedMillis     wall-clock time, ms
 * @param warnings          identifiability and convergence warnings, human-readable, each naming the parameters
 */
public record EstimationResult(String model, List<ParameterEstimate> estimates, double[] parameters,
        double[][] covariance, double[][] correlation, double chiSquare, int observations, int degreesOfFreedom,
        double conditionNumber, boolean converged, int iterations, int evaluations, long elapsedMillis,
        List<String> warnings) {

    public EstimationResult {
        Objects.requireNonNull(model, "model");
        estimates = List.copyOf(estimates);
        warnings = List.copyOf(warnings);
        parameters = parameters.clone();
        covariance = copy(covariance);
        correlation = copy(correlation);
    }

    /** {@code chiSquare / degreesOfFreedom}; near 1 when the model and the standard deviations fit the data. */
    public double reducedChiSquare() {
        return chiSquare / degreesOfFreedom;
    }

    /** The estimate of one parameter. */
    public ParameterEstimate estimate(String name) {
        return estimates.stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Parameter " + name + " was not estimated in " + model));
    }

    @Override
    public double[] parameters() {
        return parameters.clone();
    }

    @Override
    public double[][] covariance() {
        return copy(covariance);
    }

    @Override
    public double[][] correlation() {
        return copy(correlation);
    }

    private static double[][] copy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }
}
