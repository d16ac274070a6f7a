package org.biotwin.api.advisory;

/** Where an advisory stands. */
public enum AdvisoryStatus {
    /** Proposed, awaiting a decision. */
    OPEN,
    /** Accepted by a signed decision. */
    ACCEPTED,
    /** Rejected by a signed decision. */
    REJECTED,
    /** Replaced by a newer advisory before a decision. */
    SUPERSEDED
}
