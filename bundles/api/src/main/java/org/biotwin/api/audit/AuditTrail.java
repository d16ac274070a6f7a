package org.biotwin.api.audit;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Append-only, hash-chained audit trail (21 CFR 11.10(e), EU GMP Annex 11 §9).
 * <p>
 * An entry is durable (synced to stable storage) when {@link #append} returns: the returned entry is the
 * acknowledgement. Each entry's hash covers its content and the previous entry's hash, so a deleted, edited or
 * reordered entry is found by {@link #verify()}. Entries are never changed or removed; a correction is a new entry
 * whose old value is the earlier value.
 * <p>
 * {@link #append} throws {@link IllegalStateException} when the trail cannot record (storage failed, or the trail was
 * found corrupt at start and is read-only until investigated): callers must then refuse the audited action. Other
 * bundles record model activations, buffer-full alarms and data-quality rejections here. Implementations are
 * thread-safe.
 * <p>
 * Conventions (record type / actions), so that entries of one kind can be found with {@link #entriesFor}:
 * <ul>
 * <li>{@code batch} / {@code batch.create, batch.start, batch.phase, batch.hold, batch.restart, batch.complete,
 * batch.abort, batch.material, batch.value} (written by the batch record; the new value is the event as JSON)</li>
 * <li>{@code model} / {@code model.activate, model.swap, model.rollback, model.quarantine} (id {@code id:version})</li>
 * <li>{@code advice} / {@code advice.accept, advice.reject}; {@code setpoint} / {@code setpoint.write}</li>
 * <li>{@code buffer} / {@code buffer.full, buffer.recovered}; {@code sample} / {@code sample.reject} (id
 * {@code unitId/tag})</li>
 * <li>{@code configuration} / {@code configuration.update, configuration.delete} (id = PID)</li>
 * <li>{@code user} / {@code signature.refused, user.locked, user.unlocked}; any record /
 * {@code signature.applied}</li>
 * </ul>
 * Actors are user ids, or {@code system:<component>} for automatic actions.
 */
@ProviderType
public interface AuditTrail {

    /** Records an event and returns the stored entry once it is durable. */
    AuditEntry append(AuditEvent event);

    /** Entries concerning one record, oldest first. */
    List<AuditEntry> entriesFor(String recordType, String recordId);

    /** Entries in the sequence range {@code [fromSequence, fromSequence + max)}. */
    List<AuditEntry> entries(long fromSequence, int max);

    /** Ids of the records of one type that have entries, for example every batch id. */
    Set<String> recordIds(String recordType);

    /** The newest entry (the head of the chain), empty for an empty trail. */
    Optional<AuditEntry> last();

    /** Re-reads the stored trail and re-computes the whole chain: detects deleted, edited and reordered entries. */
    VerificationResult verify();
}
