package org.biotwin.api.kinetics;

import java.util.Objects;

/**
 * A bound on a state or observable during a feed optimisation. A {@link Kind#PATH} constraint is checked on the
 * problem's dense time grid (and at every grid point it is one constraint of the optimiser); an {@link Kind#END}
 * constraint only at the end of the horizon. Immutable.
 *
 * @param variable state or observable name
 * @param kind     path or end
 * @param lower    lowest allowed value in the variable's unit, or {@code -Infinity}
 * @param upper    highest allowed value, or {@code +Infinity}
 */
public record Constraint(String variable, Kind kind, double lower, double upper) {

    /** Where a constraint applies. */
    public enum Kind {
        /** At every point of the dense grid. */
        PATH,
        /** At the end of the horizon. */
        END
    }

    public Constraint {
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(kind, "kind");
        if (Double.isNaN(lower) || Double.isNaN(upper) || !(lower <= upper)
                || (lower == Double.NEGATIVE_INFINITY && upper == Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("Constraint on " + variable + ": bounds [" + lower + ", " + upper
                    + "] are empty or unbounded on both sides");
        }
    }

    public static Constraint pathMax(String variable, double max) {
        return new Constraint(variable, Kind.PATH, Double.NEGATIVE_INFINITY, max);
    }

    public static Constraint pathMin(String variable, double min) {
        return new Constraint(variable, Kind.PATH, min, Double.POSITIVE_INFINITY);
    }

    public static Constraint endMax(String variable, double max) {
        return new Constraint(variable, Kind.END, Double.NEGATIVE_INFINITY, max);
    }

    public static Constraint endMin(String variable, double min) {
        return new Constraint(variable, Kind.END, min, Double.POSITIVE_INFINITY);
    }

    /** A description such as {@code path: 0.5 <= glucose}. */
    public String describe() {
        String s = kind.name().toLowerCase(java.util.Locale.ROOT) + ": ";
        if (lower > Double.NEGATIVE_INFINITY) {
            s += lower + " <= ";
        }
        s += variable;
        if (upper < Double.POSITIVE_INFINITY) {
            s += " <= " + upper;
        }
        return s;
    }
}
