package org.biotwin.api.model;

import java.util.Objects;

/**
 * A measurement function of the model: what a sensor or lab assay would read, for example OUR, CER, viable cell
 * density or titre. Immutable.
 *
 * @param name        identifier, matched against plant tags by the twin's configuration
 * @param unit        UCUM unit
 * @param description what it is
 */
public record Observable(String name, String unit, String description) {
    public Observable {
        Names.requireIdentifier(name, "observable");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(description, "description");
    }
}
