package org.biotwin.api.batch;

import java.time.Instant;
import java.util.Objects;

/**
 * A key process value reported for a batch record, for example the harvest titre. Values are kept as text exactly as
 * reported, so that the record shows what was entered. Immutable.
 *
 * @param name       value name, for example {@code titer}
 * @param value      the value as reported, for example {@code 3.42}
 * @param uom        unit of measure (UCUM), for example {@code g/L}; empty if dimensionless
 * @param time       when the value applies (UTC)
 * @param recordedBy who reported it
 */
public record KeyValue(String name, String value, String uom, Instant time, String recordedBy) {

    public KeyValue {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Key value: name must not be blank");
        }
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Key value " + name + ": value must not be blank");
        }
        Objects.requireNonNull(uom, "uom");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(recordedBy, "recordedBy");
    }
}
