package org.biotwin.api.batch;

/** Lifecycle state of a batch on its unit (ISA-88 procedural state, simplified for a bioreactor batch). */
public enum BatchState {
    /** Created from a recipe, equipment allocated, not yet started. */
    CREATED,
    /** Running; the current phase tells which part of the procedure. */
    RUNNING,
    /** Held by the operator or the MES; the culture is still alive. */
    HELD,
    /** Ended normally (harvested). Terminal. */
    COMPLETED,
    /** Ended abnormally. Terminal. */
    ABORTED;

    /** Whether no further transition is allowed. */
    public boolean isTerminal() {
        return this == COMPLETED || this == ABORTED;
    }
}
