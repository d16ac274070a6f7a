package org.biotwin.api.model;

import java.util.Objects;

/**
 * A manipulated input of the process: a feed rate, a setpoint. Inputs are piecewise constant in time
 * ({@link InputProfile}). Immutable.
 *
 * @param name         identifier, for example {@code F_feed} or {@code T_set}
 * @param unit         UCUM unit, for example {@code L/h} or {@code Cel}
 * @param defaultValue value when no profile is given
 * @param lowerBound   lowest allowed value (0 for a feed rate)
 * @param upperBound   highest allowed value (pump or recipe limit)
 * @param description  what it is
 */
public record ModelInput(String name, String unit, double defaultValue, double lowerBound, double upperBound,
        String description) {

    public ModelInput {
        Names.requireIdentifier(name, "input");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(description, "description");
        if (!(lowerBound <= defaultValue && defaultValue <= upperBound)) {
            throw new IllegalArgumentException("Input " + name + ": default " + defaultValue + " outside ["
                    + lowerBound + ", " + upperBound + "]");
        }
    }
}
