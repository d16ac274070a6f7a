package org.biotwin.api.kinetics;

import java.util.Arrays;
import java.util.Objects;

/**
 * Measurements of one model variable (an observable or a state) in one batch, each with its own sampling time and
 * standard deviation. Replicates (equal times) are allowed. Arrays are copied. Immutable.
 *
 * @param variable           name of a model observable or, if no observable has that name, of a state
 * @param unit               UCUM unit of {@code values} and {@code standardDeviations}; must equal the unit the
 *                           model declares for the variable (no conversion is done)
 * @param times              batch age of each sample, h, finite, non-decreasing
 * @param values             measured values, finite
 * @param standardDeviations measurement standard deviation of each value, same unit, finite and > 0; the weight of a
 *                           residual in a fit is {@code 1 / sd^2}
 */
public record MeasurementSeries(String variable, String unit, double[] times, double[] values,
        double[] standardDeviations) {

    public MeasurementSeries {
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(unit, "unit");
        times = times.clone();
        values = values.clone();
        standardDeviations = standardDeviations.clone();
        if (times.length == 0) {
            throw new IllegalArgumentException("Measurements of " + variable + ": no samples");
        }
        if (values.length != times.length || standardDeviations.length != times.length) {
            throw new IllegalArgumentException("Measurements of " + variable + ": " + times.length + " times, "
                    + values.length + " values and " + standardDeviations.length + " standard deviations");
        }
        for (int i = 0; i < times.length; i++) {
            if (!Double.isFinite(times[i]) || !Double.isFinite(values[i])) {
                throw new IllegalArgumentException("Measurements of " + variable + ": non-finite time or value at sample "
                        + i + " (t = " + times[i] + " h, value = " + values[i] + ")");
            }
            if (!(standardDeviations[i] > 0) || !Double.isFinite(standardDeviations[i])) {
                throw new IllegalArgumentException("Measurements of " + variable + ": standard deviation at sample " + i
                        + " (t = " + times[i] + " h) must be finite and > 0, was " + standardDeviations[i]);
            }
            if (i > 0 && times[i] < times[i - 1]) {
                throw new IllegalArgumentException("Measurements of " + variable + ": times decrease at sample " + i
                        + " (" + times[i - 1] + " h, then " + times[i] + " h)");
            }
        }
    }

    /** Series with one constant standard deviation. */
    public static MeasurementSeries withConstantSd(String variable, String unit, double[] times, double[] values,
            double sd) {
        double[] s = new double[times.length];
        Arrays.fill(s, sd);
        return new MeasurementSeries(variable, unit, times, values, s);
    }

    /** Number of samples. */
    public int size() {
        return times.length;
    }

    @Override
    public double[] times() {
        return times.clone();
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    @Override
    public double[] standardDeviations() {
        return standardDeviations.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MeasurementSeries m && m.variable.equals(variable) && m.unit.equals(unit)
                && Arrays.equals(m.times, times) && Arrays.equals(m.values, values)
                && Arrays.equals(m.standardDeviations, standardDeviations);
    }

    @Override
    public int hashCode() {
        return Objects.hash(variable, unit, Arrays.hashCode(times), Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        return "MeasurementSeries[" + variable + " [" + unit + "], " + times.length + " samples]";
    }
}
