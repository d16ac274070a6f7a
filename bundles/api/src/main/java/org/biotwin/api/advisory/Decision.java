package org.biotwin.api.advisory;

import java.time.Instant;

/**
 * An operator's signed decision on an advisory. Immutable.
 *
 * @param userId      who
 * @param printedName their printed name
 * @param time        when (UTC)
 * @param accepted    accepted or rejected
 * @param reason      why
 * @param signatureId the electronic signature
 */
public record Decision(String userId, String printedName, Instant time, boolean accepted, String reason,
        String signatureId) {
}
