package org.biotwin.api.audit;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Electronic signatures with re-authentication and an authority check by role (21 CFR 11.50, 11.70, 11.200).
 * <p>
 * {@link #sign} throws {@link SecurityException} with a clear message for an unknown user, a wrong password, a
 * locked account or a missing role; every refusal is audited. Repeated wrong passwords lock the account (audited).
 * A signature is recorded in the audit trail; the entry that recorded it is the binding that {@link #isValidFor}
 * re-checks, so a signature copied to another record or another content hash is refused. Implementations are
 * thread-safe.
 */
@ProviderType
public interface SignatureService {

    /**
     * Re-authenticates the user and signs a record.
     *
     * @param password   the user's password; the array is wiped before this method returns
     * @param recordHash hex SHA-256 of the record content being signed
     * @throws SecurityException     unknown user, wrong password, locked account or missing role
     * @throws IllegalStateException the same user already signed this content with this meaning (a second signature
     *                               must come from another person)
     */
    ElectronicSignature sign(String userId, char[] password, SignatureMeaning meaning, String recordType,
            String recordId, String recordHash, String reason);

    /** Signatures on a record, oldest first. */
    List<ElectronicSignature> signaturesFor(String recordType, String recordId);

    /** Whether a signature is intact and bound to a record whose content still hashes to {@code recordHash}. */
    boolean isValidFor(ElectronicSignature signature, String recordHash);

    /**
     * How many different people must sign a record of this type with this meaning (the two-person rule, for example
     * 2 for {@code model}/{@link SignatureMeaning#APPROVED}); 1 unless configured otherwise.
     */
    int requiredSignatures(String recordType, SignatureMeaning meaning);

    /**
     * Whether the record content {@code recordHash} carries valid signatures with this meaning from at least
     * {@link #requiredSignatures} different people.
     */
    boolean isFullySigned(String recordType, String recordId, String recordHash, SignatureMeaning meaning);

    /**
     * Unlocks a locked account. The administrator re-authenticates and must hold an unlock role; audited.
     *
     * @param adminPassword wiped before this method returns
     * @throws SecurityException if the administrator is not authenticated or not authorised
     */
    void unlock(String adminId, char[] adminPassword, String userId, String reason);
}
