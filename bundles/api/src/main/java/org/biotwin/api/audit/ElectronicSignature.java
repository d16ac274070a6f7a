package org.biotwin.api.audit;

import java.time.Instant;

/**
 * An electronic signature bound to one record by that record's hash (21 CFR 11.50, 11.70). Immutable.
 *
 * @param signatureId  unique id
 * @param userId       signer's user id
 * @param printedName  signer's full printed name
 * @param signedAt     when (UTC)
 * @param meaning      what the signature means
 * @param recordType   kind of record signed
 * @param recordId     the record signed
 * @param recordHash   hex SHA-256 of the signed record's content; a signature is valid only for this content
 * @param reason       the signer's stated reason
 * @param auditSequence sequence of the audit entry that recorded the signature
 */
public record ElectronicSignature(String signatureId, String userId, String printedName, Instant signedAt,
        SignatureMeaning meaning, String recordType, String recordId, String recordHash, String reason,
        long auditSequence) {
}
