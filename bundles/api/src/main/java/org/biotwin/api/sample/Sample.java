package org.biotwin.api.sample;

import java.time.Instant;
import java.util.Objects;

/**
 * One measured value of one tag of one ISA-88 unit (a bioreactor), time-stamped at its source.
 * <p>
 * The triple ({@link #unitId()}, {@link #tag()}, {@link #timestamp()}) is the sample's identity: a QoS 1 redelivery of
 * the same measurement carries the same identity, so that consumers can be idempotent.
 * <p>
 * Immutable and thread-safe.
 *
 * @param unitId    ISA-88 unit, for example {@code BR-101}
 * @param tag       measured variable of the unit, for example {@code DO} or {@code offgas.O2}
 * @param timestamp source time of the measurement (not its arrival time)
 * @param value     the value, finite, in {@code uom}
 * @param uom       unit of measure as a UCUM code, for example {@code %}, {@code g/L}, {@code Cel}, {@code L/min}
 * @param quality   quality of the value
 */
public record Sample(String unitId, String tag, Instant timestamp, double value, String uom, Quality quality) {

    public Sample {
        requireText(unitId, "unitId");
        requireText(tag, "tag");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(uom, "uom");
        Objects.requireNonNull(quality, "quality");
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(
                    "Sample " + unitId + "/" + tag + " at " + timestamp + " has a non-finite value: " + value);
        }
    }

    /** A good-quality sample. */
    public static Sample of(String unitId, String tag, Instant timestamp, double value, String uom) {
        return new Sample(unitId, tag, timestamp, value, uom, Quality.GOOD);
    }

    /** The identity used for de-duplication: unit, tag and source time. */
    public String key() {
        return unitId + '\u0000' + tag + '\u0000' + timestamp;
    }

    private static void requireText(String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("Sample " + what + " must not be blank");
        }
    }
}
