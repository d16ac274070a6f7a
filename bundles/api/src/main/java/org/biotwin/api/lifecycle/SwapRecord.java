package org.biotwin.api.lifecycle;

import java.time.Instant;
import java.util.Objects;

/**
 * One change of the active model of a unit's twin, as recorded in the audit trail. Immutable.
 *
 * @param unitId        ISA-88 unit
 * @param kind          {@code activate}, {@code rollback}, {@code auto-activate} or {@code restore}
 * @param from          coordinates {@code id:version} active before, or {@code none}
 * @param to            coordinates {@code id:version} active after
 * @param digest        content digest of the bundle of {@code to}
 * @param actor         user id, or {@code system:lifecycle} for a configured policy
 * @param reason        the stated reason
 * @param time          when it was recorded (UTC)
 * @param auditSequence sequence of the audit entry
 */
public record SwapRecord(String unitId, String kind, String from, String to, String digest, String actor,
        String reason, Instant time, long auditSequence) {

    public SwapRecord {
        Objects.requireNonNull(unitId, "unitId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(time, "time");
    }
}
