package org.biotwin.api.audit;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What is to be recorded in the audit trail: who did what to which record, why, and the value before and after.
 * The trail adds the time and the chain hash. Immutable.
 *
 * @param actor      user id of the person, or {@code system:<component>} for an automatic action
 * @param action     what happened, for example {@code batch.start}, {@code model.activate}, {@code sample.reject}
 * @param recordType kind of record concerned, for example {@code batch}, {@code model}, {@code configuration}
 * @param recordId   the record concerned
 * @param reason     why; required for changes made by a person
 * @param oldValue   value before the change, {@code null} if none
 * @param newValue   value after the change, {@code null} if none
 */
public record AuditEvent(String actor, String action, String recordType, String recordId, String reason,
        @Nullable String oldValue, @Nullable String newValue) {

    public AuditEvent {
        requireText(actor, "actor");
        requireText(action, "action");
        requireText(recordType, "recordType");
        requireText(recordId, "recordId");
        Objects.requireNonNull(reason, "reason");
    }

    private static void requireText(String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("Audit event " + what + " must not be blank");
        }
    }
}
