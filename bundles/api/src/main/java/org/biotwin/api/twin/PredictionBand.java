package org.biotwin.api.twin;

import java.util.Objects;

/**
 * Predicted course of one variable with its uncertainty: the 5 %, 50 % and 95 % quantiles of an ensemble at each
 * time. Immutable; arrays are copied.
 *
 * @param variable state or observable name
 * @param unit     UCUM unit
 * @param times    batch age, h
 * @param p05      5 % quantile
 * @param p50      median
 * @param p95      95 % quantile
 */
public record PredictionBand(String variable, String unit, double[] times, double[] p05, double[] p50, double[] p95) {

    public PredictionBand {
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(unit, "unit");
        int n = times.length;
        if (p05.length != n || p50.length != n || p95.length != n) {
            throw new IllegalArgumentException("Prediction band of " + variable + ": lengths differ");
        }
        times = times.clone();
        p05 = p05.clone();
        p50 = p50.clone();
        p95 = p95.clone();
    }

    @Override
    public double[] times() {
        return times.clone();
    }

    @Override
    public double[] p05() {
        return p05.clone();
    }

    @Override
    public double[] p50() {
        return p50.clone();
    }

    @Override
    public double[] p95() {
        return p95.clone();
    }

    /** The median at the end of the horizon. */
    public double finalMedian() {
        return p50[p50.length - 1];
    }
}
