package org.biotwin.api.model;

import java.util.Objects;

/**
 * A range of a state, input or observable within which the model was validated. A twin outside it flags that its
 * predictions are extrapolations. Immutable.
 *
 * @param variable name of a state, input or observable
 * @param unit     UCUM unit of the bounds
 * @param min      lowest validated value
 * @param max      highest validated value
 */
public record ValidityRange(String variable, String unit, double min, double max) {
    public ValidityRange {
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(unit, "unit");
        if (!(min <= max)) {
            throw new IllegalArgumentException("Validity range of " + variable + ": min " + min + " > max " + max);
        }
    }

    /** Whether {@code value} lies inside the range (bounds included). */
    public boolean contains(double value) {
        return value >= min && value <= max;
    }
}
