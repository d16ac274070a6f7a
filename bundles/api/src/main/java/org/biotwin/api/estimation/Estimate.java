package org.biotwin.api.estimation;

/**
 * A filter's state estimate at one batch age. Arrays are copied. Immutable.
 *
 * @param time       batch age, h
 * @param mean       state estimate, in the model's state order and units
 * @param covariance estimate covariance
 */
public record Estimate(double time, double[] mean, double[][] covariance) {

    public Estimate {
        mean = mean.clone();
        double[][] c = new double[covariance.length][];
        for (int i = 0; i < c.length; i++) {
            c[i] = covariance[i].clone();
        }
        covariance = c;
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

    /** Standard deviation of state {@code i}. */
    public double standardDeviation(int i) {
        return Math.sqrt(Math.max(0, covariance[i][i]));
    }
}
