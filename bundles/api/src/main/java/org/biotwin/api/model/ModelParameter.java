package org.biotwin.api.model;

import java.util.Objects;

/**
 * A kinetic parameter with its physically meaningful bounds. Immutable.
 *
 * @param name        identifier, unique in the model, for example {@code mu_max}
 * @param unit        UCUM unit, for example {@code /h}
 * @param nominal     validated value, in {@code unit}
 * @param lowerBound  lowest meaningful value
 * @param upperBound  highest meaningful value
 * @param description what it is and where the value comes from (table and page of the literature source)
 */
public record ModelParameter(String name, String unit, double nominal, double lowerBound, double upperBound,
        String description) {

    public ModelParameter {
        Names.requireIdentifier(name, "parameter");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(description, "description");
        if (!(lowerBound <= nominal && nominal <= upperBound)) {
            throw new IllegalArgumentException("Parameter " + name + ": nominal " + nominal + " outside ["
                    + lowerBound + ", " + upperBound + "]");
        }
    }
}
