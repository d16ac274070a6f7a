package org.biotwin.api.advisory;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Closed-loop execution of accepted advice: while it is enabled for a unit, the setpoints of a feed or setpoint
 * advisory accepted after the enablement are written to the plant at their batch ages, each within the unit's
 * configured {@link SetpointLimit limits}. Indirect control (a person carries the action out) stays the default: a
 * unit without configured limits can never be switched to closed loop, and after a restart of the host every unit
 * starts in indirect control. Every enablement, switch-off, write and refused write is in the audit trail.
 * Thread-safe.
 */
@ProviderType
public interface ClosedLoop {

    /**
     * Where closed loop stands for a unit.
     *
     * @throws IllegalArgumentException for a unit without closed-loop limits configured on this host
     */
    ClosedLoopStatus status(String unitId);

    /**
     * Enables closed loop for a unit with an electronic signature (re-authentication and role check, meaning
     * {@link org.biotwin.api.audit.SignatureMeaning#ENABLED_CLOSED_LOOP}) bound to the unit's limits.
     *
     * @param password wiped before this method returns
     * @throws SecurityException        for a failed signature (unknown user, wrong password, missing role, locked)
     * @throws IllegalArgumentException for a unit without closed-loop limits, or a blank reason
     */
    ClosedLoopStatus enable(String unitId, String userId, char[] password, String reason);

    /**
     * Switches closed loop off for a unit at once: when this method returns no further setpoint is written. It asks
     * for no password so that nothing can delay it; the caller has authenticated the person, whose id and reason are
     * audited. The plant keeps the setpoint last written. Switching off a unit that is off does nothing.
     *
     * @throws IllegalArgumentException for a unit without closed-loop limits, or a blank reason
     */
    ClosedLoopStatus disable(String unitId, String userId, String reason);
}
