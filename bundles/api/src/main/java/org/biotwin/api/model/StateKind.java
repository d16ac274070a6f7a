package org.biotwin.api.model;

/**
 * How a state behaves under the discrete volume events of a fed-batch (bolus addition, sampling), so that the
 * simulator applies those events to any model without model-specific code.
 */
public enum StateKind {
    /** Broth volume in L. A fed-batch model has exactly one. Increased by a bolus, decreased by sampling. */
    VOLUME,
    /** Concentration in the broth (g/L, mmol/L, 1e9 cells/L...). Mixed on a bolus; unchanged by sampling. */
    CONCENTRATION,
    /** Amount in the vessel (g, mmol). Increased by a bolus's content; reduced by sampling in proportion to volume. */
    AMOUNT,
    /** Unaffected by volume events, for example a temperature or a cumulative integral. */
    INTENSIVE
}
