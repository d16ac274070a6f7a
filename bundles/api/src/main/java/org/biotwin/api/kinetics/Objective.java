package org.biotwin.api.kinetics;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a feed optimisation maximises or minimises: the value of a state or observable at the end of the horizon,
 * optionally multiplied by a second one, for example titre (g/L) x volume (L) = product mass (g) at harvest.
 * Immutable.
 *
 * @param variable a state or observable name (observables are looked up first)
 * @param factor   a second state or observable to multiply by, or {@code null}
 * @param maximise {@code true} to maximise, {@code false} to minimise
 */
public record Objective(String variable, @Nullable String factor, boolean maximise) {

    public Objective {
        Objects.requireNonNull(variable, "variable");
    }

    /** Maximise {@code concentration x volume} at harvest (for example product mass in g). */
    public static Objective maximiseMass(String concentration, String volume) {
        return new Objective(concentration, volume, true);
    }

    /** Maximise a variable at harvest. */
    public static Objective maximise(String variable) {
        return new Objective(variable, null, true);
    }

    /** A description such as {@code max P*V at end}. */
    public String describe() {
        return (maximise ? "max " : "min ") + variable + (factor == null ? "" : "*" + factor) + " at end";
    }
}
