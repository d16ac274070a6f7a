package org.biotwin.api.kinetics;

import java.util.Objects;

/**
 * The estimate of one parameter. Immutable.
 *
 * @param name          parameter name
 * @param unit          UCUM unit of every number below
 * @param start         start value of the fit
 * @param estimate      least-squares estimate
 * @param standardError square root of the covariance diagonal; NaN when the information matrix is singular
 * @param ciLower       lower end of the 95 % confidence interval, {@code estimate - t(0.975, n-p) * standardError}
 * @param ciUpper       upper end of the 95 % confidence interval
 * @param lowerBound    search bound used
 * @param upperBound    search bound used
 */
public record ParameterEstimate(String name, String unit, double start, double estimate, double standardError,
        double ciLower, double ciUpper, double lowerBound, double upperBound) {

    public ParameterEstimate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
    }

    /** Relative standard error {@code standardError / |estimate|}, dimensionless. */
    public double relativeStandardError() {
        return standardError / Math.abs(estimate);
    }

    /** Whether the 95 % interval contains {@code value}. */
    public boolean ciContains(double value) {
        return value >= ciLower && value <= ciUpper;
    }
}
