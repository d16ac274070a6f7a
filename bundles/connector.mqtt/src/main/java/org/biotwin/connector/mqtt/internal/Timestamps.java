package org.biotwin.connector.mqtt.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.biotwin.api.sample.RejectReason;

/** Timestamp parsing shared by the decoders. Stateless. */
final class Timestamps {

    private Timestamps() {
    }

    /**
     * Parses ISO-8601 with an offset ({@code 2026-03-01T10:15:30.250Z}, {@code ...+01:00}) or epoch milliseconds as
     * decimal digits. A local time without offset is refused: its instant is ambiguous.
     */
    static Instant parseText(String s) throws RejectException {
        String t = s.trim();
        if (t.isEmpty()) {
            throw new RejectException(RejectReason.INVALID_TIMESTAMP, "timestamp is an empty string");
        }
        if (t.chars().allMatch(Character::isDigit)) {
            try {
                return Instant.ofEpochMilli(Long.parseLong(t));
            } catch (NumberFormatException | java.time.DateTimeException e) {
                throw new RejectException(RejectReason.INVALID_TIMESTAMP, "epoch milliseconds out of range: " + t);
            }
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            throw new RejectException(RejectReason.INVALID_TIMESTAMP,
                    "'" + abbreviate(t) + "' is neither ISO-8601 with offset nor epoch milliseconds");
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }
}
