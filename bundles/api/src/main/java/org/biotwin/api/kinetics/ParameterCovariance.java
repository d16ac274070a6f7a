package org.biotwin.api.kinetics;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A multivariate normal distribution of some parameters, typically the outcome of a fit. Arrays are copied.
 * Immutable.
 *
 * @param names      parameter names
 * @param mean       mean of each, in its unit
 * @param covariance symmetric positive semi-definite covariance, unit(i)*unit(j)
 */
public record ParameterCovariance(List<String> names, double[] mean, double[][] covariance) {

    public ParameterCovariance {
        names = List.copyOf(names);
        int n = names.size();
        Set<String> seen = new HashSet<>(names);
        if (n == 0 || seen.size() != n) {
            throw new IllegalArgumentException("Parameter covariance needs distinct names, got " + names);
        }
        if (mean.length != n || covariance.length != n) {
            throw new IllegalArgumentException("Parameter covariance of " + names + ": mean has " + mean.length
                    + " entries and covariance " + covariance.length + " rows, expected " + n);
        }
        mean = mean.clone();
        double[][] c = new double[n][];
        for (int i = 0; i < n; i++) {
            if (covariance[i].length != n) {
                throw new IllegalArgumentException("Parameter covariance of " + names + ": row " + i + " has "
                        + covariance[i].length + " entries, expected " + n);
            }
            c[i] = covariance[i].clone();
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(mean[i])) {
                throw new IllegalArgumentException("Parameter covariance: mean of " + names.get(i) + " is not finite");
            }
            for (int j = 0; j < n; j++) {
                if (!Double.isFinite(c[i][j])) {
                    throw new IllegalArgumentException("Parameter covariance: entry (" + names.get(i) + ", "
                            + names.get(j) + ") is not finite");
                }
                if (Math.abs(c[i][j] - c[j][i]) > 1e-9 * Math.max(1e-300, Math.abs(c[i][j]) + Math.abs(c[j][i]))) {
                    throw new IllegalArgumentException("Parameter covariance is not symmetric at (" + names.get(i)
                            + ", " + names.get(j) + ")");
                }
            }
            if (c[i][i] < 0) {
                throw new IllegalArgumentException("Parameter covariance: variance of " + names.get(i) + " is negative");
            }
        }
        covariance = c;
    }

    /** The distribution of the estimates of a fit; fails if its covariance could not be computed. */
    public static ParameterCovariance of(EstimationResult fit) {
        List<String> n = fit.estimates().stream().map(ParameterEstimate::name).toList();
        double[] m = fit.estimates().stream().mapToDouble(ParameterEstimate::estimate).toArray();
        return new ParameterCovariance(n, m, fit.covariance());
    }

    /** A copy with every covariance entry multiplied by {@code factor} (>= 0): standard deviations scale by its root. */
    public ParameterCovariance scaled(double factor) {
        if (!(factor >= 0)) {
            throw new IllegalArgumentException("Covariance scale factor must be >= 0, was " + factor);
        }
        double[][] c = covariance();
        for (double[] row : c) {
            for (int j = 0; j < row.length; j++) {
                row[j] *= factor;
            }
        }
        return new ParameterCovariance(names, mean, c);
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[][] covariance() {
        double[][] c = new double[covariance.length][];
        for (int i = 0; i < c.length; i++) {
            c[i] = covariance[i].clone();
        }
        return c;
    }
}
