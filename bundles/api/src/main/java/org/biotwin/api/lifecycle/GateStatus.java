package org.biotwin.api.lifecycle;

/** The approval gate's verdict on one model bundle. */
public enum GateStatus {
    /** Evidence and QA approvals are complete and bound to the bundle's current content: twins may bind it. */
    APPROVED,
    /** Not offered to twins; {@link ModelStatus#reason()} says why (unsigned, tampered, untrusted signer, ...). */
    QUARANTINED
}
