package org.biotwin.ebr.internal.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.biotwin.api.audit.AuditEntry;
import org.biotwin.api.audit.ElectronicSignature;
import org.biotwin.api.audit.SignatureMeaning;
import org.biotwin.ebr.internal.audit.AuditCodec;
import org.biotwin.ebr.internal.audit.FileAuditTrail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditedSignatureServiceTest {

    static String[] users;
    static final String MODEL_HASH = AuditCodec.sha256Hex("cho.mab.fedbatch:2.1.0 validation record");

    @TempDir
    Path dir;
    FileAuditTrail trail;
    AuditedSignatureService sigs;

    @BeforeAll
    static void hashes() {
        // The minimum iteration count keeps the test quick; the default for real users is 600,000.
        users = new String[] {
            "op1|Olga Operator|operator|" + PasswordHasher.hash("op1-secret".toCharArray(), 210_000),
            "qa1|Quentin QA|qa|" + PasswordHasher.hash("qa1-secret".toCharArray(), 210_000),
            "qa2|Qiana QA|qa|" + PasswordHasher.hash("qa2-secret".toCharArray(), 210_000),
            "adm|Ada Admin|admin|" + PasswordHasher.hash("adm-secret".toCharArray(), 210_000)};
    }

    static SignatureConfig config() {
        return new SignatureConfig(users, new String[] {"APPROVED=qa", "AUTHORED=operator,qa",
            "ACCEPTED_ADVICE=operator"}, new String[] {"model:APPROVED=2"}, 3, 0, new String[] {"admin"});
    }

    @BeforeEach
    void open() {
        trail = new FileAuditTrail(dir, Clock.systemUTC());
        sigs = new AuditedSignatureService(trail, config(), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        trail.close();
    }

    private ElectronicSignature approve(String user, String pw) {
        return sigs.sign(user, pw.toCharArray(), SignatureMeaning.APPROVED, "model", "cho.mab.fedbatch:2.1.0",
                MODEL_HASH, "Validated against reference batches");
    }

    private AuditEntry lastEntry() {
        return trail.last().orElseThrow();
    }

    @Test
    void validSignatureBindsSignerTimeMeaningAndRecordHash() {
        char[] pw = "qa1-secret".toCharArray();
        ElectronicSignature s = sigs.sign("qa1", pw, SignatureMeaning.APPROVED, "batch", "B-1",
                AuditCodec.sha256Hex("batch B-1 content"), "Batch record reviewed, no deviations");
        assertThat(pw).containsOnly('\0');
        assertThat(s.printedName()).isEqualTo("Quentin QA");
        assertThat(s.meaning()).isEqualTo(SignatureMeaning.APPROVED);
        assertThat(sigs.isValidFor(s, AuditCodec.sha256Hex("batch B-1 content"))).isTrue();
        assertThat(sigs.isValidFor(s, AuditCodec.sha256Hex("batch B-1 content, edited"))).isFalse();
        assertThat(sigs.signaturesFor("batch", "B-1")).containsExactly(s);
        AuditEntry e = trail.entries(s.auditSequence(), 1).get(0);
        assertThat(e.event().action()).isEqualTo("signature.applied");
        assertThat(e.event().recordId()).isEqualTo("B-1");
    }

    @Test
    void aSignatureCannotBeCopiedToAnotherRecordOrAltered() {
        String h = AuditCodec.sha256Hex("batch B-1 content");
        ElectronicSignature s = sigs.sign("qa1", "qa1-secret".toCharArray(), SignatureMeaning.APPROVED, "batch",
                "B-1", h, "reviewed");
        String other = AuditCodec.sha256Hex("batch B-2 content");
        ElectronicSignature copied = new ElectronicSignature(s.signatureId(), s.userId(), s.printedName(),
                s.signedAt(), s.meaning(), "batch", "B-2", other, s.reason(), s.auditSequence());
        assertThat(sigs.isValidFor(copied, other)).isFalse();
        ElectronicSignature otherSigner = new ElectronicSignature(s.signatureId(), "qa2", "Qiana QA", s.signedAt(),
                s.meaning(), s.recordType(), s.recordId(), h, s.reason(), s.auditSequence());
        assertThat(sigs.isValidFor(otherSigner, h)).isFalse();
        ElectronicSignature otherMeaning = new ElectronicSignature(s.signatureId(), s.userId(), s.printedName(),
                s.signedAt(), SignatureMeaning.REVIEWED, s.recordType(), s.recordId(), h, s.reason(),
                s.auditSequence());
        assertThat(sigs.isValidFor(otherMeaning, h)).isFalse();
        // Pointing at another audit entry does not help either.
        trail.append(new org.biotwin.api.audit.AuditEvent("x", "other", "batch", "B-2", "", null, null));
        ElectronicSignature repointed = new ElectronicSignature(s.signatureId(), s.userId(), s.printedName(),
                s.signedAt(), s.meaning(), "batch", "B-2", other, s.reason(), lastEntry().sequence());
        assertThat(sigs.isValidFor(repointed, other)).isFalse();
        assertThat(sigs.isValidFor(s, h)).isTrue();
    }

    @Test
    void unknownUserIsRefusedAndAudited() {
        assertThatThrownBy(() -> approve("mallory", "whatever")).isInstanceOf(SecurityException.class)
                .hasMessageContaining("unknown user 'mallory'");
        AuditEntry e = lastEntry();
        assertThat(e.event().action()).isEqualTo("signature.refused");
        assertThat(e.event().recordId()).isEqualTo("mallory");
        assertThat(e.event().newValue()).contains("UNKNOWN_USER").contains("model/cho.mab.fedbatch:2.1.0");
    }

    @Test
    void missingRoleIsRefusedAndAudited() {
        assertThatThrownBy(() -> approve("op1", "op1-secret")).isInstanceOf(SecurityException.class)
                .hasMessageContaining("not authorised").hasMessageContaining("APPROVED");
        assertThat(lastEntry().event().newValue()).contains("MISSING_ROLE");
        assertThat(sigs.signaturesFor("model", "cho.mab.fedbatch:2.1.0")).isEmpty();
    }

    @Test
    void wrongPasswordsLockTheAccountAndTheLockSurvivesARestart() {
        for (int i = 1; i <= 2; i++) {
            assertThatThrownBy(() -> approve("qa1", "guess")).isInstanceOf(SecurityException.class)
                    .hasMessageContaining("wrong password").hasMessageContaining("of 3 attempts");
        }
        assertThatThrownBy(() -> approve("qa1", "guess2")).isInstanceOf(SecurityException.class)
                .hasMessageContaining("now locked after 3");
        assertThat(lastEntry().event().action()).isEqualTo("user.locked");
        // Locked: even the right password is refused, and that refusal is audited too.
        assertThatThrownBy(() -> approve("qa1", "qa1-secret")).isInstanceOf(SecurityException.class)
                .hasMessageContaining("locked");
        assertThat(lastEntry().event().newValue()).contains("LOCKED");
        // A restart rebuilds the lock from the trail.
        sigs = new AuditedSignatureService(trail, config(), Clock.systemUTC());
        assertThat(sigs.isLocked("qa1")).isTrue();
        assertThatThrownBy(() -> approve("qa1", "qa1-secret")).isInstanceOf(SecurityException.class)
                .hasMessageContaining("locked");
        // Only an administrator with the unlock role can unlock.
        assertThatThrownBy(() -> sigs.unlock("qa2", "qa2-secret".toCharArray(), "qa1", "identity verified"))
                .isInstanceOf(SecurityException.class).hasMessageContaining("not authorised to unlock");
        sigs.unlock("adm", "adm-secret".toCharArray(), "qa1", "identity verified by phone");
        assertThat(lastEntry().event().action()).isEqualTo("user.unlocked");
        assertThat(lastEntry().event().actor()).isEqualTo("adm");
        assertThat(approve("qa1", "qa1-secret").userId()).isEqualTo("qa1");
        long refusals = trail.entriesFor("user", "qa1").stream()
                .filter(e -> e.event().action().equals("signature.refused")).count();
        assertThat(refusals).isEqualTo(5);
    }

    @Test
    void loginChecksPasswordAndLockLikeASignatureButSignsNothing() {
        char[] pw = "op1-secret".toCharArray();
        org.biotwin.api.audit.AuthenticatedUser u = sigs.authenticate("op1", pw, "login to web panel");
        assertThat(pw).containsOnly('\0');
        assertThat(u.userId()).isEqualTo("op1");
        assertThat(u.printedName()).isEqualTo("Olga Operator");
        assertThat(u.roles()).containsExactly("operator");
        assertThat(trail.last()).as("a successful login writes no signature").isEmpty();
        assertThatThrownBy(() -> sigs.authenticate("nobody", "x".toCharArray(), "login to web panel"))
                .isInstanceOf(SecurityException.class).hasMessageContaining("unknown user 'nobody'");
        assertThat(lastEntry().event().newValue()).contains("UNKNOWN_USER").contains("login to web panel");
        // Wrong passwords at login count towards the same lockout as signatures.
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> sigs.authenticate("op1", "guess".toCharArray(), "login to web panel"))
                    .isInstanceOf(SecurityException.class).hasMessageContaining("wrong password");
        }
        assertThat(sigs.isLocked("op1")).isTrue();
        assertThatThrownBy(() -> sigs.sign("op1", "op1-secret".toCharArray(), SignatureMeaning.ACCEPTED_ADVICE,
                "batch", "B-1", AuditCodec.sha256Hex("b"), "ok")).hasMessageContaining("locked");
        assertThatThrownBy(() -> sigs.authenticate("op1", "op1-secret".toCharArray(), "login"))
                .isInstanceOf(SecurityException.class).hasMessageContaining("locked");
    }

    @Test
    void successfulAuthenticationResetsTheFailureCount() {
        assertThatThrownBy(() -> approve("qa1", "guess")).isInstanceOf(SecurityException.class);
        assertThatThrownBy(() -> approve("qa1", "guess")).isInstanceOf(SecurityException.class);
        sigs.sign("qa1", "qa1-secret".toCharArray(), SignatureMeaning.AUTHORED, "note", "N-1",
                AuditCodec.sha256Hex("n"), "author");
        assertThatThrownBy(() -> approve("qa1", "guess")).isInstanceOf(SecurityException.class)
                .hasMessageContaining("1 of 3");
    }

    @Test
    void twoPersonRuleNeedsTwoDifferentAuthorisedPeople() {
        assertThat(sigs.requiredSignatures("model", SignatureMeaning.APPROVED)).isEqualTo(2);
        assertThat(sigs.requiredSignatures("batch", SignatureMeaning.APPROVED)).isEqualTo(1);
        approve("qa1", "qa1-secret");
        assertThat(sigs.isFullySigned("model", "cho.mab.fedbatch:2.1.0", MODEL_HASH, SignatureMeaning.APPROVED))
                .isFalse();
        assertThatThrownBy(() -> approve("qa1", "qa1-secret")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("different person");
        assertThat(lastEntry().event().newValue()).contains("DUPLICATE_SIGNER");
        assertThat(sigs.isFullySigned("model", "cho.mab.fedbatch:2.1.0", MODEL_HASH, SignatureMeaning.APPROVED))
                .isFalse();
        approve("qa2", "qa2-secret");
        assertThat(sigs.isFullySigned("model", "cho.mab.fedbatch:2.1.0", MODEL_HASH, SignatureMeaning.APPROVED))
                .isTrue();
        // Two signatures on other content do not approve this content.
        assertThat(sigs.isFullySigned("model", "cho.mab.fedbatch:2.1.0", AuditCodec.sha256Hex("changed"),
                SignatureMeaning.APPROVED)).isFalse();
    }

    @Test
    void badArgumentsAndConfigurationAreRefusedClearly() {
        assertThatThrownBy(() -> sigs.sign("qa1", "qa1-secret".toCharArray(), SignatureMeaning.APPROVED, "batch",
                "B-1", "not-a-hash", "r")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64 lowercase hex");
        assertThatThrownBy(() -> new SignatureConfig(new String[] {"u1|Name|qa|plaintext"}, new String[0],
                new String[0], 3, 0, new String[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("users[0] (u1)").hasMessageContaining("PasswordTool");
        assertThatThrownBy(() -> new SignatureConfig(new String[] {users[1], users[1]}, new String[0],
                new String[0], 3, 0, new String[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("appears twice");
        String weak = "PBKDF2WithHmacSHA256$1000$" + users[1].split("\\$", 3)[2];
        assertThatThrownBy(() -> PasswordHasher.parse(weak)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 210000");
        assertThatThrownBy(() -> new SignatureConfig(new String[0], new String[] {"SIGNED=qa"}, new String[0], 3, 0,
                new String[0])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown meaning");
        assertThat(config().toString()).doesNotContain("PBKDF2");
        List<String> noHash = List.of(users);
        assertThat(noHash).allMatch(u -> u.contains("$210000$"));
    }
}
