package org.biotwin.ebr.internal.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.biotwin.api.audit.AuditEntry;
import org.biotwin.api.audit.AuditEvent;
import org.biotwin.api.audit.AuditTrail;
import org.biotwin.api.audit.AuthenticatedUser;
import org.biotwin.api.audit.Authenticator;
import org.biotwin.api.audit.ElectronicSignature;
import org.biotwin.api.audit.SignatureMeaning;
import org.biotwin.api.audit.SignatureService;
import org.biotwin.ebr.internal.audit.AuditCodec;
import org.jspecify.annotations.Nullable;

/**
 * Electronic signatures recorded in the audit trail.
 * <p>
 * <b>Binding (21 CFR 11.70).</b> A signature is an audit entry {@code signature.applied} on the signed record whose
 * new value is the signature manifest: signature id, user id, printed name, UTC time, meaning, record type, record id,
 * record hash and reason (JSON, fixed key order). The entry's chain hash covers the manifest, and the
 * {@link ElectronicSignature} carries the entry's sequence. {@link #isValidFor} re-reads that entry, re-computes its
 * hash, and requires every field of the signature to equal the manifest and the manifest's record hash to equal the
 * current content hash. A signature copied to another record, or to other content, or altered in any field, therefore
 * fails; forging one needs a new trail entry, which only {@link #sign} writes after re-authentication.
 * <p>
 * <b>Authentication (11.200, 11.300).</b> Every signature needs the user id and password (no signing session), checked
 * against a PBKDF2 hash. An unknown user costs the same KDF time as a known one (no user enumeration by timing).
 * {@code maxFailures} consecutive wrong passwords lock the account (audited {@code user.locked}); it unlocks after
 * {@code lockoutMinutes}, or, when that is 0, only by an administrator ({@link #unlock}). Failure counts and locks are
 * rebuilt from the trail on start, so a restart does not reset them.
 * <p>
 * <b>Audit of refusals.</b> Every refusal is an entry {@code signature.refused} on record {@code user/<id>} with the
 * code ({@code UNKNOWN_USER, WRONG_PASSWORD, LOCKED, MISSING_ROLE, DUPLICATE_SIGNER}) and the record it was for.
 * <p>
 * <b>Login ({@link Authenticator}).</b> The same check of id, password and lock, without a signature: a wrong password
 * counts towards the lockout and is audited like a failed signature (purpose {@code login ...}).
 * <p>
 * Thread-safe: authentication and signing are serialised (signing is rare and the KDF is deliberately slow).
 */
public class AuditedSignatureService implements SignatureService, Authenticator {

    static final String APPLIED = "signature.applied";
    static final String REFUSED = "signature.refused";
    static final String LOCKED = "user.locked";
    static final String UNLOCKED = "user.unlocked";
    static final String RESET = "user.failures-reset";
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AuditTrail trail;
    private final SignatureConfig config;
    private final Clock clock;
    private final PasswordHasher.Stored dummy;
    private final Map<String, UserState> states = new HashMap<>(); // guarded by this

    private static final class UserState {
        int failures;
        @Nullable Instant lockedAt;
    }

    public AuditedSignatureService(AuditTrail trail, SignatureConfig config, Clock clock) {
        this.trail = trail;
        this.config = config;
        this.clock = clock;
        // An unknown user is checked against some configured user's hash: same cost, and it cannot match (the caller
        // has no claim to that account; the result is ignored).
        this.dummy = config.userIds().isEmpty()
                ? PasswordHasher.parse(PasswordHasher.hash(UUID.randomUUID().toString().toCharArray(),
                        PasswordHasher.MIN_ITERATIONS))
                : config.user(config.userIds().get(0)).password();
        for (String id : trail.recordIds("user")) {
            states.put(id, replay(trail.entriesFor("user", id)));
        }
    }

    private static UserState replay(List<AuditEntry> entries) {
        UserState s = new UserState();
        for (AuditEntry e : entries) {
            switch (e.event().action()) {
                case REFUSED -> {
                    JsonNode n = json(e.event().newValue());
                    if ("WRONG_PASSWORD".equals(n.path("code").asText())) {
                        s.failures = n.path("consecutiveFailures").asInt(s.failures + 1);
                    }
                }
                case LOCKED -> s.lockedAt = e.timestamp();
                case UNLOCKED, RESET -> {
                    s.lockedAt = null;
                    s.failures = 0;
                }
                default -> {
                }
            }
        }
        return s;
    }

    // ------------------------------------------------------------------------------------------------ sign

    @Override
    public ElectronicSignature sign(String userId, char[] password, SignatureMeaning meaning, String recordType,
            String recordId, String recordHash, String reason) {
        try {
            if (meaning == null || recordType == null || recordType.isBlank() || recordId == null
                    || recordId.isBlank()) {
                throw new IllegalArgumentException("A signature needs a meaning, a record type and a record id");
            }
            if (recordHash == null || !HASH.matcher(recordHash).matches()) {
                throw new IllegalArgumentException("Record hash must be 64 lowercase hex digits (SHA-256), not '"
                        + recordHash + "'");
            }
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("A signature needs a reason");
            }
            String target = recordType + "/" + recordId;
            synchronized (this) {
                SignatureConfig.User user = checkCredentials(userId, password, meaning + " of " + target);
                if (!hasAnyRole(user, config.rolesFor(meaning))) {
                    refuse(user.id(), "MISSING_ROLE", meaning + " of " + target, "User " + user.id() + " (roles "
                            + user.roles() + ") is not authorised to sign with meaning " + meaning
                            + "; authorised roles: " + config.rolesFor(meaning));
                }
                for (ElectronicSignature s : signaturesFor(recordType, recordId)) {
                    if (s.userId().equals(user.id()) && s.meaning() == meaning && s.recordHash().equals(recordHash)) {
                        refuseDuplicate(user.id(), meaning, target);
                    }
                }
                Instant at = clock.instant();
                String id = UUID.randomUUID().toString();
                ElectronicSignature unbound = new ElectronicSignature(id, user.id(), user.printedName(), at, meaning,
                        recordType, recordId, recordHash, reason, 0);
                AuditEntry e = trail.append(new AuditEvent(user.id(), APPLIED, recordType, recordId, reason, null,
                        manifest(unbound)));
                return new ElectronicSignature(id, user.id(), user.printedName(), at, meaning, recordType, recordId,
                        recordHash, reason, e.sequence());
            }
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ login

    @Override
    public AuthenticatedUser authenticate(String userId, char[] password, String purpose) {
        try {
            String p = purpose == null || purpose.isBlank() ? "login" : purpose;
            synchronized (this) {
                SignatureConfig.User user = checkCredentials(userId, password, p);
                return new AuthenticatedUser(user.id(), user.printedName(), user.roles());
            }
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    /** Checks user id and password and the lock; audits and throws on refusal. Caller holds the monitor. */
    private SignatureConfig.User checkCredentials(String userId, char[] password, String purpose) {
        String id = userId == null || userId.isBlank() ? "<blank>" : userId;
        SignatureConfig.User user = config.user(id);
        if (user == null) {
            PasswordHasher.verify(password, dummy); // same cost as a real check
            refuse(id, "UNKNOWN_USER", purpose, "Signature refused: unknown user '" + id + "'");
        }
        UserState st = states.computeIfAbsent(user.id(), k -> new UserState());
        if (st.lockedAt != null) {
            long minutes = config.lockoutMinutes();
            if (minutes > 0 && !clock.instant().isBefore(st.lockedAt.plus(Duration.ofMinutes(minutes)))) {
                trail.append(new AuditEvent("system:signatures", UNLOCKED, "user", user.id(),
                        "Lockout period of " + minutes + " min elapsed", "locked", "unlocked"));
                st.lockedAt = null;
                st.failures = 0;
            } else {
                refuse(user.id(), "LOCKED", purpose, "Signature refused: account " + user.id() + " is locked since "
                        + st.lockedAt + (minutes > 0 ? " for " + minutes + " min" : "; an administrator must unlock"
                                + " it"));
            }
        }
        if (!PasswordHasher.verify(password, user.password())) {
            st.failures++;
            boolean lock = st.failures >= config.maxFailures();
            ObjectNode n = JSON.createObjectNode().put("code", "WRONG_PASSWORD").put("purpose", purpose)
                    .put("consecutiveFailures", st.failures);
            trail.append(new AuditEvent(user.id(), REFUSED, "user", user.id(), "Wrong password", null,
                    n.toString()));
            if (lock) {
                st.lockedAt = trail.append(new AuditEvent("system:signatures", LOCKED, "user", user.id(),
                        st.failures + " consecutive wrong passwords", "unlocked", "locked")).timestamp();
            }
            throw new SecurityException("Signature refused: wrong password for user " + user.id()
                    + (lock ? "; the account is now locked after " + st.failures + " consecutive failures"
                            : " (" + st.failures + " of " + config.maxFailures() + " attempts before lockout)"));
        }
        if (st.failures > 0) {
            trail.append(new AuditEvent(user.id(), RESET, "user", user.id(), "Successful authentication",
                    Integer.toString(st.failures), "0"));
            st.failures = 0;
        }
        return user;
    }

    private void refuse(String userId, String code, String purpose, String message) {
        ObjectNode n = JSON.createObjectNode().put("code", code).put("purpose", purpose);
        trail.append(new AuditEvent(userId, REFUSED, "user", userId, message, null, n.toString()));
        throw new SecurityException(message);
    }

    private void refuseDuplicate(String userId, SignatureMeaning meaning, String target) {
        String message = "User " + userId + " already signed " + target + " with meaning " + meaning
                + " for this content; another signature must come from a different person";
        ObjectNode n = JSON.createObjectNode().put("code", "DUPLICATE_SIGNER").put("purpose", meaning + " of "
                + target);
        trail.append(new AuditEvent(userId, REFUSED, "user", userId, message, null, n.toString()));
        throw new IllegalStateException(message);
    }

    private static boolean hasAnyRole(SignatureConfig.User u, Set<String> roles) {
        for (String r : roles) {
            if (u.roles().contains(r)) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------------ binding

    /** The manifest stored as the new value of the {@code signature.applied} entry (fixed key order). */
    static String manifest(ElectronicSignature s) {
        return JSON.createObjectNode().put("signatureId", s.signatureId()).put("userId", s.userId())
                .put("printedName", s.printedName()).put("signedAt", s.signedAt().toString())
                .put("meaning", s.meaning().name()).put("recordType", s.recordType()).put("recordId", s.recordId())
                .put("recordHash", s.recordHash()).put("reason", s.reason()).toString();
    }

    /** The signature an audit entry records, or {@code null} if the entry is not a readable signature. */
    public static @Nullable ElectronicSignature fromEntry(AuditEntry e) {
        if (!APPLIED.equals(e.event().action()) || e.event().newValue() == null) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(e.event().newValue());
            return new ElectronicSignature(n.get("signatureId").asText(), n.get("userId").asText(),
                    n.get("printedName").asText(), Instant.parse(n.get("signedAt").asText()),
                    SignatureMeaning.valueOf(n.get("meaning").asText()), n.get("recordType").asText(),
                    n.get("recordId").asText(), n.get("recordHash").asText(), n.get("reason").asText(),
                    e.sequence());
        } catch (Exception ex) {
            return null;
        }
    }

    /**
     * Whether {@code entry} is the intact trail entry that recorded exactly {@code s}: its own hash re-computes, it
     * concerns the same record, and its manifest equals every field of {@code s}.
     */
    public static boolean binds(AuditEntry entry, ElectronicSignature s) {
        if (entry.sequence() != s.auditSequence() || !AuditCodec.hash(entry).equals(entry.hash())) {
            return false;
        }
        if (!entry.event().recordType().equals(s.recordType()) || !entry.event().recordId().equals(s.recordId())
                || !entry.event().actor().equals(s.userId())) {
            return false;
        }
        ElectronicSignature recorded = fromEntry(entry);
        return s.equals(recorded);
    }

    @Override
    public List<ElectronicSignature> signaturesFor(String recordType, String recordId) {
        List<ElectronicSignature> out = new ArrayList<>();
        for (AuditEntry e : trail.entriesFor(recordType, recordId)) {
            ElectronicSignature s = fromEntry(e);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    @Override
    public boolean isValidFor(ElectronicSignature signature, String recordHash) {
        if (!signature.recordHash().equals(recordHash) || signature.auditSequence() < 1) {
            return false;
        }
        List<AuditEntry> e = trail.entries(signature.auditSequence(), 1);
        return e.size() == 1 && binds(e.get(0), signature);
    }

    @Override
    public int requiredSignatures(String recordType, SignatureMeaning meaning) {
        return config.requiredSignatures(recordType, meaning);
    }

    @Override
    public boolean isFullySigned(String recordType, String recordId, String recordHash, SignatureMeaning meaning) {
        Set<String> signers = new HashSet<>();
        for (ElectronicSignature s : signaturesFor(recordType, recordId)) {
            if (s.meaning() == meaning && isValidFor(s, recordHash)) {
                signers.add(s.userId());
            }
        }
        return signers.size() >= config.requiredSignatures(recordType, meaning);
    }

    // ------------------------------------------------------------------------------------------------ unlock

    @Override
    public void unlock(String adminId, char[] adminPassword, String userId, String reason) {
        try {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("Unlocking an account needs a reason");
            }
            synchronized (this) {
                SignatureConfig.User admin = checkCredentials(adminId, adminPassword, "unlock of " + userId);
                if (!hasAnyRole(admin, config.unlockRoles())) {
                    refuse(admin.id(), "MISSING_ROLE", "unlock of " + userId, "User " + admin.id()
                            + " is not authorised to unlock accounts; authorised roles: " + config.unlockRoles());
                }
                if (config.user(userId) == null) {
                    throw new IllegalArgumentException("Unknown user '" + userId + "'");
                }
                UserState st = states.computeIfAbsent(userId, k -> new UserState());
                trail.append(new AuditEvent(admin.id(), UNLOCKED, "user", userId, reason,
                        st.lockedAt != null ? "locked" : "unlocked", "unlocked"));
                st.lockedAt = null;
                st.failures = 0;
            }
        } finally {
            if (adminPassword != null) {
                Arrays.fill(adminPassword, '\0');
            }
        }
    }

    /** Whether an account is locked now (for the shell and UIs). */
    public synchronized boolean isLocked(String userId) {
        UserState st = states.get(userId);
        return st != null && st.lockedAt != null;
    }

    private static JsonNode json(@Nullable String s) {
        try {
            return s == null ? JSON.createObjectNode() : JSON.readTree(s);
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }
}
