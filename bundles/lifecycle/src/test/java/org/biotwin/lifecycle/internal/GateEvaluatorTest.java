package org.biotwin.lifecycle.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import org.biotwin.api.audit.SignatureMeaning;
import org.biotwin.api.lifecycle.GateStatus;
import org.biotwin.ebr.internal.audit.FileAuditTrail;
import org.biotwin.ebr.internal.signature.AuditedSignatureService;
import org.biotwin.ebr.internal.signature.PasswordHasher;
import org.biotwin.ebr.internal.signature.SignatureConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate's decisions on REAL model bundle jars (the CHO bundles as built, released with reports of the real
 * validate tool) with the REAL batch record's audit trail and signature service on a temporary directory.
 */
class GateEvaluatorTest {

    static String[] users;

    @TempDir
    Path dir;
    FileAuditTrail trail;
    AuditedSignatureService sigs;
    GateEvaluator gate;

    @BeforeAll
    static void hashes() {
        // The minimum iteration count keeps the test quick; real users get 600,000.
        users = new String[] {
            "qa1|Quentin QA|qa|" + PasswordHasher.hash("qa1-secret".toCharArray(), 210_000),
            "qa2|Qiana QA|qa|" + PasswordHasher.hash("qa2-secret".toCharArray(), 210_000),
            "qa9|Quincy Contractor|qa|" + PasswordHasher.hash("qa9-secret".toCharArray(), 210_000),
            "op1|Olga Operator|operator|" + PasswordHasher.hash("op1-secret".toCharArray(), 210_000)};
    }

    @BeforeEach
    void open() {
        trail = new FileAuditTrail(dir.resolve("audit"), Clock.systemUTC());
        sigs = new AuditedSignatureService(trail, new SignatureConfig(users, new String[] {"REVIEWED=qa",
            "APPROVED=qa", "ACTIVATED_MODEL=qa,operator"}, new String[] {"model:REVIEWED=1", "model:APPROVED=1"}, 3,
            0, new String[] {"admin"}), Clock.systemUTC());
        gate = new GateEvaluator(sigs, GatePolicy.from(new String[] {"qa1", "qa2"}, "NONE", 1e-12, 60),
                Clock.systemUTC());
    }

    @AfterEach
    void close() {
        trail.close();
    }

    private void sign(String user, SignatureMeaning meaning, Candidate c) {
        sigs.sign(user, (user + "-secret").toCharArray(), meaning, "model", c.coordinates(), c.digest(),
                "Validation report reviewed; accuracy within limits");
    }

    private Candidate released10() throws Exception {
        return ModelJars.candidate(ModelJars.release(ModelJars.cho10(), "cho-1.0.0-pass.json", dir, "cho-1.0.0.jar"));
    }

    @Test
    void reviewedAndApprovedByTwoTrustedQaPeopleIsApproved() throws Exception {
        Candidate c = released10();
        assertThat(c.digest()).isEqualTo(ContentDigest.of(dir.resolve("cho-1.0.0.jar")));
        sign("qa1", SignatureMeaning.REVIEWED, c);
        sign("qa2", SignatureMeaning.APPROVED, c);
        Verdict v = gate.evaluate(c);
        assertThat(v.reason()).isNull();
        assertThat(v.status()).isEqualTo(GateStatus.APPROVED);
        assertThat(v.approvals()).extracting(s -> s.userId()).containsExactly("qa1", "qa2");
        assertThat(v.evidence().verdict()).isEqualTo("PASS");
        assertThat(v.evidence().tool()).isEqualTo("biotwin-model-cli 0.1.0-SNAPSHOT");
    }

    @Test
    void oneByteChangedAfterApprovalIsQuarantined() throws Exception {
        Path released = ModelJars.release(ModelJars.cho10(), "cho-1.0.0-pass.json", dir, "cho-1.0.0.jar");
        Candidate c = ModelJars.candidate(released);
        sign("qa1", SignatureMeaning.REVIEWED, c);
        sign("qa2", SignatureMeaning.APPROVED, c);
        assertThat(gate.evaluate(c).approved()).isTrue();

        // mu_max 0.029 /h changed in its last bit: one byte of the model class.
        Path tampered = ModelJars.tamper(released, 0.029, Math.nextUp(0.029), dir.resolve("tampered.jar"));
        assertThat(Files.size(tampered)).isPositive();
        Candidate t = ModelJars.candidate(tampered);
        assertThat(t.digest()).isNotEqualTo(c.digest());
        assertThat(t.nominal().get("mu_max")).isEqualTo(Math.nextUp(0.029));
        Verdict v = gate.evaluate(t);
        assertThat(v.status()).isEqualTo(GateStatus.QUARANTINED);
        assertThat(v.reason()).contains("changed after approval").contains(t.digest()).contains(c.digest())
                .contains("validation report was computed on other content");
        assertThat(v.approvals()).isEmpty();
    }

    @Test
    void unsignedBundleIsQuarantined() throws Exception {
        Verdict v = gate.evaluate(released10());
        assertThat(v.status()).isEqualTo(GateStatus.QUARANTINED);
        assertThat(v.reason()).startsWith("unsigned: no QA approval of cho.mab.fedbatch:1.0.0");
    }

    @Test
    void signatureByAnUntrustedPersonDoesNotCount() throws Exception {
        Candidate c = released10();
        sign("qa1", SignatureMeaning.REVIEWED, c);
        sign("qa9", SignatureMeaning.APPROVED, c); // a valid QA signature, but qa9 is not in the trust list
        Verdict v = gate.evaluate(c);
        assertThat(v.status()).isEqualTo(GateStatus.QUARANTINED);
        assertThat(v.reason()).isEqualTo("APPROVED by an untrusted signer: [qa9] (trusted approvers: [qa1, qa2])");
        // A second, trusted approver releases it; the untrusted signature stays on record but is not needed.
        sign("qa2", SignatureMeaning.APPROVED, c);
        assertThat(gate.evaluate(c).approved()).isTrue();
    }

    @Test
    void failedValidationReportIsQuarantinedEvenWhenSigned() throws Exception {
        Path jar = ModelJars.releaseUnchecked(ModelJars.cho11(), "cho-1.1.0-fail.json", dir, "cho-1.1.0-fail.jar");
        Candidate c = ModelJars.candidate(jar);
        sign("qa1", SignatureMeaning.REVIEWED, c);
        sign("qa2", SignatureMeaning.APPROVED, c);
        Verdict v = gate.evaluate(c);
        assertThat(v.status()).isEqualTo(GateStatus.QUARANTINED);
        assertThat(v.reason()).isEqualTo("validation report verdict is FAIL, not PASS");
    }

    @Test
    void missingReportIsQuarantined() throws Exception {
        Candidate c = ModelJars.candidate(ModelJars.cho10()); // the plain build, no evidence embedded
        sign("qa1", SignatureMeaning.REVIEWED, c);
        sign("qa2", SignatureMeaning.APPROVED, c);
        assertThat(gate.evaluate(c).reason())
                .isEqualTo("no validation evidence: OSGI-INF/biotwin/validation-report.json is missing from bundle"
                        + " org.biotwin.models.cho");
    }

    @Test
    void expiredValidationIsQuarantined() throws Exception {
        Candidate c = released10();
        sign("qa1", SignatureMeaning.REVIEWED, c);
        sign("qa2", SignatureMeaning.APPROVED, c);
        GateEvaluator later = new GateEvaluator(sigs, gate.policy(),
                Clock.offset(Clock.system(ZoneOffset.UTC), Duration.ofDays(366)));
        assertThat(later.evaluate(c).reason()).startsWith("validation expired on ");
    }

    @Test
    void reviewerAndApproverMustBeTwoPeople() throws Exception {
        Candidate c = released10();
        sign("qa1", SignatureMeaning.REVIEWED, c);
        sign("qa1", SignatureMeaning.APPROVED, c);
        assertThat(gate.evaluate(c).reason()).startsWith("two-person rule: reviewed and approved by the same person");
    }

    @Test
    void reportOfAnotherVersionOrWithOtherParametersIsRefused() throws Exception {
        // The 1.0.0 report embedded into the 1.1.0 jar: the tool refuses (the report was computed on another jar).
        Path report = ModelJars.report("cho-1.0.0-pass.json", ModelJars.cho10(), dir);
        int rc = EvidenceTool.run(new String[] {"embed", "--jar", ModelJars.cho11().toString(), "--report",
            report.toString(), "--out", dir.resolve("x.jar").toString()}, System.out, System.err);
        assertThat(rc).isEqualTo(3);
        // Forced in anyway: the gate names the mismatch.
        Path forced = dir.resolve("forced.jar");
        EvidenceTool.write(ModelJars.cho11(), Files.readAllBytes(report), "cho.mab.fedbatch", "1.0.0", "PASS",
                java.time.Instant.now(), Duration.ofDays(30), forced);
        Candidate c = ModelJars.candidate(forced);
        sign("qa1", SignatureMeaning.REVIEWED, c);
        sign("qa2", SignatureMeaning.APPROVED, c);
        assertThat(gate.evaluate(c).reason()).contains("validation report is for cho.mab.fedbatch:1.0.0, the service"
                + " is cho.mab.fedbatch:1.1.0").contains("validation report used mu_max = 0.029, the model's nominal"
                + " value is 0.039");
    }

    @Test
    void evidenceToolRefusesAFailedReportAndBadUsage() throws Exception {
        Path report = ModelJars.report("cho-1.1.0-fail.json", ModelJars.cho11(), dir);
        assertThat(EvidenceTool.run(new String[] {"embed", "--jar", ModelJars.cho11().toString(), "--report",
            report.toString(), "--out", dir.resolve("y.jar").toString()}, System.out, System.err)).isEqualTo(1);
        assertThat(Files.exists(dir.resolve("y.jar"))).isFalse();
        assertThat(EvidenceTool.run(new String[] {"embed", "--jar"}, System.out, System.err)).isEqualTo(2);
        assertThat(EvidenceTool.run(new String[] {"embed", "--jar", "a.jar", "--valid-days", "0"}, System.out,
                System.err)).isEqualTo(2);
    }

    @Test
    void badTrustConfigurationNamesTheProperty() {
        assertThatThrownBy(() -> GatePolicy.from(new String[] {"qa 1"}, "NONE", 0, 60))
                .hasMessageContaining("trustedApprovers: 'qa 1'");
        assertThatThrownBy(() -> GatePolicy.from(new String[] {"qa1"}, "LATEST", 0, 60))
                .hasMessageContaining("autoActivate must be NONE or HIGHEST_APPROVED");
        assertThatThrownBy(() -> GatePolicy.from(new String[] {"qa1"}, "NONE", 0, 0))
                .hasMessageContaining("recheckMinutes");
    }
}
