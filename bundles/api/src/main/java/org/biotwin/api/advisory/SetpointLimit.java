package org.biotwin.api.advisory;

import java.util.Objects;

/**
 * What closed loop may write to one input of a unit. Immutable.
 *
 * @param input   the model input, for example {@code F_feed}
 * @param min     smallest value that may be written, in the input's unit
 * @param max     largest value that may be written, in the input's unit
 * @param maxStep    largest change from the value last written in one write, in the input's unit
 * @param resolution the setpoint resolution of the plant (for example of the feed pump), in the input's unit: values
 *                   are rounded to a multiple of it before they are checked and written, so that an optimiser's
 *                   1.6e-7 L/h becomes 0; 0 = no rounding
 */
public record SetpointLimit(String input, double min, double max, double maxStep, double resolution) {

    public SetpointLimit {
        Objects.requireNonNull(input, "input");
        if (!Double.isFinite(min) || !Double.isFinite(max) || !(min <= max)) {
            throw new IllegalArgumentException("Setpoint limit of " + input + ": need finite min <= max, got ["
                    + min + ", " + max + "]");
        }
        if (!(maxStep > 0)) {
            throw new IllegalArgumentException("Setpoint limit of " + input + ": maxStep must be > 0, got " + maxStep);
        }
        if (!(resolution >= 0) || !Double.isFinite(resolution)) {
            throw new IllegalArgumentException("Setpoint limit of " + input + ": resolution must be >= 0, got "
                    + resolution);
        }
    }

    /** Limits without rounding. */
    public SetpointLimit(String input, double min, double max, double maxStep) {
        this(input, min, max, maxStep, 0);
    }

    /** {@code value} rounded to the resolution (unchanged without one). */
    public double round(double value) {
        return resolution > 0 && Double.isFinite(value) ? Math.round(value / resolution) * resolution : value;
    }

    /** Why {@code value} may not follow {@code previous} (NaN when nothing was written yet), or {@code null}. */
    public @org.jspecify.annotations.Nullable String violation(double value, double previous) {
        if (!Double.isFinite(value)) {
            return input + " = " + value + " is not a finite number";
        }
        if (value < min || value > max) {
            return input + " = " + value + " is outside the closed-loop limits [" + min + ", " + max + "]";
        }
        if (!Double.isNaN(previous) && Math.abs(value - previous) > maxStep) {
            return input + " step from " + previous + " to " + value + " exceeds the largest step " + maxStep;
        }
        return null;
    }
}
