package org.biotwin.api.audit;

import java.util.List;

/**
 * Outcome of verifying a trail or an exported record. Immutable.
 *
 * @param valid    whether every check passed
 * @param entries  number of entries checked
 * @param problems human-readable findings, each naming the entry sequence; empty when valid
 */
public record VerificationResult(boolean valid, long entries, List<String> problems) {
    public VerificationResult {
        problems = List.copyOf(problems);
    }
}
