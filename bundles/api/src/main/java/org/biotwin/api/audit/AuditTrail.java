package org.biotwin.api.audit;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Append-only, hash-chained audit trail. An entry is durable (synced to stable storage) when {@link #append} returns.
 * Implementations are thread-safe.
 */
@ProviderType
public interface AuditTrail {

    /** Records an event and returns the stored entry once it is durable. */
    AuditEntry append(AuditEvent event);

    /** Entries concerning one record, oldest first. */
    List<AuditEntry> entriesFor(String recordType, String recordId);

    /** Entries in the sequence range {@code [fromSequence, fromSequence + max)}. */
    List<AuditEntry> entries(long fromSequence, int max);

    /** Re-computes the whole chain: detects deleted, edited and reordered entries. */
    VerificationResult verify();
}
