package org.biotwin.api.kinetics;

import java.util.Objects;

/**
 * A model parameter to be estimated, with its start value and search bounds. {@code NaN} for any number means "take
 * the model's": its nominal value as start, its declared lower or upper bound. Bounds must satisfy
 * {@code lower < start < upper} strictly (the estimator works on a transformed, unbounded scale). Immutable.
 *
 * @param name       parameter name as declared by the model
 * @param start      start value in the parameter's unit, or NaN
 * @param lowerBound lower search bound, or NaN; may be {@code -Infinity}
 * @param upperBound upper search bound, or NaN; may be {@code +Infinity}
 */
public record FreeParameter(String name, double start, double lowerBound, double upperBound) {

    public FreeParameter {
        Objects.requireNonNull(name, "name");
    }

    /** Estimate {@code name} from the model's nominal value within the model's bounds. */
    public static FreeParameter of(String name) {
        return new FreeParameter(name, Double.NaN, Double.NaN, Double.NaN);
    }

    /** Estimate {@code name} from {@code start} within the model's bounds. */
    public static FreeParameter of(String name, double start) {
        return new FreeParameter(name, start, Double.NaN, Double.NaN);
    }
}
