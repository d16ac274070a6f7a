package org.biotwin.api.advisory;

/** What kind of action an advisory or a what-if proposes. */
public enum ActionKind {
    /** A new feed profile from now to harvest. */
    FEED_PROFILE,
    /** Another harvest time. */
    HARVEST_TIME,
    /** A bolus addition at a given time. */
    BOLUS,
    /** A setpoint change of an input (for example a temperature shift) from a given time. */
    SETPOINT_CHANGE
}
