package org.biotwin.api.twin;

import java.util.Objects;

/**
 * The golden-batch envelope of one measured tag over batch maturity: at each batch age, the mean of a set of good
 * historical batches and the band {@code mean ± k·sd} within which a normal batch stays. Ages without enough
 * historical batches are NaN. Immutable; arrays are copied.
 *
 * @param tag     plant tag
 * @param unit    UCUM unit
 * @param times   batch age at the centre of each maturity bin, h
 * @param lower   lower limit
 * @param mean    mean of the good batches
 * @param upper   upper limit
 * @param batches number of good batches behind each bin
 */
public record GoldenBatchBand(String tag, String unit, double[] times, double[] lower, double[] mean, double[] upper,
        int[] batches) {

    public GoldenBatchBand {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(unit, "unit");
        int n = times.length;
        if (lower.length != n || mean.length != n || upper.length != n || batches.length != n) {
            throw new IllegalArgumentException("Golden-batch band of " + tag + ": lengths differ");
        }
        times = times.clone();
        lower = lower.clone();
        mean = mean.clone();
        upper = upper.clone();
        batches = batches.clone();
    }

    @Override
    public double[] times() {
        return times.clone();
    }

    @Override
    public double[] lower() {
        return lower.clone();
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] upper() {
        return upper.clone();
    }

    @Override
    public int[] batches() {
        return batches.clone();
    }
}
