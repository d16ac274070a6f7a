package org.biotwin.api.advisory;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Next-best-action advice for the twins of this host. Thread-safe.
 */
@ProviderType
public interface Advisor {

    /**
     * Checks a unit's prediction against its targets and constraints now and, if they are missed or threatened,
     * searches the actions its recipe allows and returns the best as an open advisory (superseding an older open one).
     *
     * @return empty when the batch is on target, or when no allowed action improves it
     * @throws IllegalArgumentException for a unit without a twin or without an estimate
     */
    Optional<Advisory> advise(String unitId);

    /** Predicts the effect of an action a person proposes, against the current plan. Changes nothing. */
    WhatIfResult whatIf(String unitId, ProposedAction action);

    /** Advisories of a unit, newest first. */
    List<Advisory> advisories(String unitId);

    /** An advisory by id. */
    Optional<Advisory> advisory(String advisoryId);

    /**
     * Accepts or rejects an open advisory with an electronic signature (re-authentication, role check), recorded in
     * the audit trail with the batch.
     *
     * @throws SecurityException     for a failed signature (unknown user, wrong password, missing role, locked)
     * @throws IllegalStateException if the advisory is not open
     */
    Advisory decide(String advisoryId, boolean accept, String userId, char[] password, String reason);
}
