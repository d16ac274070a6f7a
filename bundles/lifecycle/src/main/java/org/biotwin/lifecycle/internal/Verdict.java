package org.biotwin.lifecycle.internal;

import java.time.Instant;
import java.util.List;
import org.biotwin.api.audit.ElectronicSignature;
import org.biotwin.api.lifecycle.GateStatus;
import org.jspecify.annotations.Nullable;

/**
 * The gate's decision on one candidate. Immutable.
 *
 * @param status    approved or quarantined
 * @param reason    every failed check, joined by {@code "; "}; {@code null} when approved
 * @param evidence  the parsed evidence, {@code null} if absent or unreadable
 * @param approvals signatures on the model record valid for the current digest
 * @param at        when decided
 */
public record Verdict(GateStatus status, @Nullable String reason, @Nullable Evidence evidence,
        List<ElectronicSignature> approvals, Instant at) {

    public Verdict {
        approvals = List.copyOf(approvals);
    }

    public boolean approved() {
        return status == GateStatus.APPROVED;
    }
}
