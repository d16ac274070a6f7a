package org.biotwin.api.model;

import java.util.Objects;

/**
 * A state of a kinetic model. Immutable.
 *
 * @param name           identifier, unique in the model, for example {@code X_v} or {@code glucose}; states are handed
 *                       over by name when a model is swapped
 * @param unit           UCUM unit, for example {@code g/L}
 * @param kind           behaviour under bolus and sampling
 * @param nominalInitial typical initial value, in {@code unit}
 * @param lowerBound     physical lower bound (0 for a concentration: the simulator keeps such states non-negative)
 * @param absTolerance   absolute integration tolerance for this state, in {@code unit}
 * @param description    what it is, for people
 */
public record StateVariable(String name, String unit, StateKind kind, double nominalInitial, double lowerBound,
        double absTolerance, String description) {

    public StateVariable {
        Names.requireIdentifier(name, "state");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        if (!(absTolerance > 0)) {
            throw new IllegalArgumentException("State " + name + ": absolute tolerance must be > 0, was " + absTolerance);
        }
    }

    /** Whether the simulator must keep the state at or above zero. */
    public boolean nonNegative() {
        return lowerBound >= 0;
    }
}
