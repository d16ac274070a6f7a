package org.biotwin.api.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * A piecewise-constant profile of one model input: {@code values[i]} holds on {@code [times[i], times[i+1])}, the
 * last value holds to the end of the batch, and before {@code times[0]} the input's default applies. Each breakpoint is
 * a discontinuity at which the simulator restarts its integration. Immutable.
 *
 * @param input  the input's name
 * @param times  breakpoints, h, strictly increasing
 * @param values input values from each breakpoint, in the input's unit, finite
 */
public record InputProfile(String input, double[] times, double[] values) {

    public InputProfile {
        Objects.requireNonNull(input, "input");
        times = times.clone();
        values = values.clone();
        if (times.length != values.length || times.length == 0) {
            throw new IllegalArgumentException("Profile of " + input + ": " + times.length + " times but "
                    + values.length + " values");
        }
        for (int i = 0; i < times.length; i++) {
            if (!Double.isFinite(times[i]) || !Double.isFinite(values[i])) {
                throw new IllegalArgumentException("Profile of " + input + ": non-finite entry at index " + i);
            }
            if (i > 0 && !(times[i] > times[i - 1])) {
                throw new IllegalArgumentException("Profile of " + input + ": times not strictly increasing at index "
                        + i + " (" + times[i - 1] + " h, " + times[i] + " h)");
            }
        }
    }

    /** A constant value from {@code t = 0}. */
    public static InputProfile constant(String input, double value) {
        return new InputProfile(input, new double[] {0}, new double[] {value});
    }

    /** The value at {@code t}, or {@code defaultValue} before the first breakpoint. */
    public double valueAt(double t, double defaultValue) {
        int i = Arrays.binarySearch(times, t);
        if (i < 0) {
            i = -i - 2;
        }
        return i < 0 ? defaultValue : values[i];
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
    public boolean equals(Object o) {
        return o instanceof InputProfile p && p.input.equals(input) && Arrays.equals(p.times, times)
                && Arrays.equals(p.values, values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(input, Arrays.hashCode(times), Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        return "InputProfile[" + input + ", times=" + Arrays.toString(times) + ", values=" + Arrays.toString(values) + "]";
    }
}
