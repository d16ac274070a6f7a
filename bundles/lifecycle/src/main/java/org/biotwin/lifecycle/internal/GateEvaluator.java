package org.biotwin.lifecycle.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.biotwin.api.audit.ElectronicSignature;
import org.biotwin.api.audit.SignatureMeaning;
import org.biotwin.api.audit.SignatureService;
import org.biotwin.api.lifecycle.GateStatus;
import org.biotwin.api.lifecycle.ModelLifecycle;

/**
 * The approval gate's decision for one model bundle. A bundle is released to twins only when every check holds:
 * <ol>
 * <li><b>Evidence</b>: the bundle carries a validation report and its descriptor; the report is the one the
 * descriptor names (SHA-256), is for this model id and version, says PASS, was computed on exactly these classes
 * (content digest without the evidence), with the model's nominal parameters, and today lies in its validity
 * period.</li>
 * <li><b>Approval</b> (21 CFR 11.50/11.70, two-person rule): on record {@code model}/{@code id:version}, valid
 * signatures bound to the bundle's current content digest with meaning REVIEWED and APPROVED, from at least
 * {@link SignatureService#requiredSignatures} different <em>trusted</em> people each, and the reviewer and the
 * approver are two different people. A signature by anybody not in the trust list does not count and is named as
 * "untrusted signer"; a signature for other content (any byte changed since) is named as "changed after approval".</li>
 * <li>The service does not claim the gate's own {@code biotwin.model.approved} property.</li>
 * </ol>
 * Every failed check is listed in the reason. Thread-safe if the signature service is.
 */
public final class GateEvaluator {

    private final SignatureService signatures;
    private final GatePolicy policy;
    private final Clock clock;

    public GateEvaluator(SignatureService signatures, GatePolicy policy, Clock clock) {
        this.signatures = signatures;
        this.policy = policy;
        this.clock = clock;
    }

    public GatePolicy policy() {
        return policy;
    }

    public Verdict evaluate(Candidate c) {
        Instant now = clock.instant();
        List<String> problems = new ArrayList<>();
        if (c.claimsApproval()) {
            problems.add("the model service sets " + ModelLifecycle.APPROVED + " itself; only the gate may");
        }
        Evidence evidence = evidence(c, now, problems);
        List<ElectronicSignature> valid = approvals(c, problems);
        if (problems.isEmpty()) {
            return new Verdict(GateStatus.APPROVED, null, evidence, valid, now);
        }
        return new Verdict(GateStatus.QUARANTINED, String.join("; ", problems), evidence, valid, now);
    }

    private Evidence evidence(Candidate c, Instant now, List<String> problems) {
        if (c.report() == null || c.descriptor() == null) {
            problems.add("no validation evidence: " + (c.report() == null ? ModelLifecycle.REPORT_PATH
                    : ModelLifecycle.EVIDENCE_PATH) + " is missing from bundle " + c.symbolicName());
            return null;
        }
        Evidence e;
        try {
            e = Evidence.parse(c.descriptor(), c.report());
        } catch (IllegalArgumentException ex) {
            problems.add("validation evidence refused: " + ex.getMessage());
            return null;
        }
        if (!e.modelId().equals(c.modelId()) || !e.version().equals(c.version())) {
            problems.add("validation report is for " + e.modelId() + ":" + e.version() + ", the service is "
                    + c.coordinates());
        }
        if (!"PASS".equals(e.verdict())) {
            problems.add("validation report verdict is " + e.verdict() + ", not PASS");
        }
        if (!e.classesDigest().equals(c.classesDigest())) {
            problems.add("validation report was computed on other content (classes digest " + e.classesDigest()
                    + ", this bundle " + c.classesDigest() + ")");
        }
        if (now.isBefore(e.validFrom())) {
            problems.add("validation is not valid before " + e.validFrom());
        } else if (!now.isBefore(e.validUntil())) {
            problems.add("validation expired on " + e.validUntil());
        }
        if (c.nominal() != null && policy.parameterTolerance() >= 0) {
            for (Map.Entry<String, Double> p : c.nominal().entrySet()) {
                Double reported = e.parameters().get(p.getKey());
                double tol = policy.parameterTolerance() * Math.abs(p.getValue());
                if (reported == null || !(Math.abs(reported - p.getValue()) <= tol)) {
                    problems.add("validation report used " + p.getKey() + " = " + reported
                            + ", the model's nominal value is " + p.getValue());
                    break;
                }
            }
        }
        return e;
    }

    private List<ElectronicSignature> approvals(Candidate c, List<String> problems) {
        List<ElectronicSignature> all = signatures.signaturesFor(ModelLifecycle.MODEL_RECORD, c.coordinates());
        List<ElectronicSignature> valid = new ArrayList<>();
        Set<String> stale = new TreeSet<>();
        for (ElectronicSignature s : all) {
            if (s.meaning() != SignatureMeaning.REVIEWED && s.meaning() != SignatureMeaning.APPROVED) {
                continue;
            }
            if (signatures.isValidFor(s, c.digest())) {
                valid.add(s);
            } else if (!s.recordHash().equals(c.digest())) {
                stale.add(s.recordHash());
            } else {
                problems.add("signature " + s.signatureId() + " by " + s.userId() + " does not verify against the"
                        + " audit trail");
            }
        }
        if (valid.isEmpty()) {
            if (stale.isEmpty()) {
                problems.add("unsigned: no QA approval of " + c.coordinates() + " (needs REVIEWED and APPROVED"
                        + " signatures bound to digest " + c.digest() + ")");
            } else {
                problems.add("changed after approval: content digest " + c.digest() + " is not the approved "
                        + String.join(", ", stale));
            }
            return valid;
        }
        Set<String> reviewers = signers(valid, SignatureMeaning.REVIEWED, true);
        Set<String> approvers = signers(valid, SignatureMeaning.APPROVED, true);
        check(valid, SignatureMeaning.REVIEWED, reviewers, problems);
        check(valid, SignatureMeaning.APPROVED, approvers, problems);
        if (!reviewers.isEmpty() && !approvers.isEmpty()) {
            boolean twoPeople = false;
            for (String r : reviewers) {
                for (String a : approvers) {
                    twoPeople |= !r.equals(a);
                }
            }
            if (!twoPeople) {
                problems.add("two-person rule: reviewed and approved by the same person only (" + reviewers + ")");
            }
        }
        return valid;
    }

    private void check(List<ElectronicSignature> valid, SignatureMeaning meaning, Set<String> trusted,
            List<String> problems) {
        int required = Math.max(1, signatures.requiredSignatures(ModelLifecycle.MODEL_RECORD, meaning));
        if (trusted.size() >= required) {
            return;
        }
        Set<String> untrusted = signers(valid, meaning, false);
        untrusted.removeAll(policy.trustedApprovers());
        if (!untrusted.isEmpty()) {
            problems.add(meaning + " by an untrusted signer: " + untrusted + " (trusted approvers: "
                    + policy.trustedApprovers() + ")");
        } else {
            problems.add("awaiting " + meaning + ": " + trusted.size() + " of " + required + " trusted signatures");
        }
    }

    private Set<String> signers(List<ElectronicSignature> valid, SignatureMeaning meaning, boolean trustedOnly) {
        Set<String> out = new LinkedHashSet<>();
        for (ElectronicSignature s : valid) {
            if (s.meaning() == meaning && (!trustedOnly || policy.trustedApprovers().contains(s.userId()))) {
                out.add(s.userId());
            }
        }
        return out;
    }
}
