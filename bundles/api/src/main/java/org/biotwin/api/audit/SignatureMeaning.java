package org.biotwin.api.audit;

/** The meaning of an electronic signature (21 CFR 11.50(a)(3)). */
public enum SignatureMeaning {
    AUTHORED,
    REVIEWED,
    APPROVED,
    ACCEPTED_ADVICE,
    REJECTED_ADVICE,
    ACTIVATED_MODEL,
    /** Closed loop enabled for a unit: accepted advice is written to the plant. */
    ENABLED_CLOSED_LOOP
}
