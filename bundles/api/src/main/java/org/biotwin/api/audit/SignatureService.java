package org.biotwin.api.audit;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Electronic signatures with re-authentication and an authority check by role.
 * <p>
 * {@link #sign} throws {@link SecurityException} with a clear message for an unknown user, a wrong password, a
 * locked account or a missing role; every refusal is audited. Implementations are thread-safe.
 */
@ProviderType
public interface SignatureService {

    /**
     * Re-authenticates the user and signs a record.
     *
     * @param password   the user's password; the array is wiped before this method returns
     * @param recordHash hex SHA-256 of the record content being signed
     */
    ElectronicSignature sign(String userId, char[] password, SignatureMeaning meaning, String recordType,
            String recordId, String recordHash, String reason);

    /** Signatures on a record, oldest first. */
    List<ElectronicSignature> signaturesFor(String recordType, String recordId);

    /** Whether a signature is intact and bound to a record whose content still hashes to {@code recordHash}. */
    boolean isValidFor(ElectronicSignature signature, String recordHash);
}
