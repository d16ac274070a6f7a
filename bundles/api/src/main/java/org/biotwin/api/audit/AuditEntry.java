package org.biotwin.api.audit;

import java.time.Instant;

/**
 * An entry as stored in the trail. Immutable.
 *
 * @param sequence     position in the trail, from 1, without gaps
 * @param timestamp    when it was recorded (UTC)
 * @param event        what was recorded
 * @param previousHash hex SHA-256 of the previous entry (64 zeros for the first)
 * @param hash         hex SHA-256 over this entry's canonical form and {@code previousHash}
 */
public record AuditEntry(long sequence, Instant timestamp, AuditEvent event, String previousHash, String hash) {
}
