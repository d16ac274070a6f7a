package org.biotwin.api.estimation;

import org.jspecify.annotations.Nullable;

/**
 * Whether a value may be used, and if not why. Immutable.
 *
 * @param accepted whether the value may be fused
 * @param fault    the detected fault, {@code null} when none
 * @param reason   human-readable reason recorded with the exclusion, {@code null} when accepted
 */
public record ScreenVerdict(boolean accepted, @Nullable SensorFault fault, @Nullable String reason) {

    /** The verdict for a good value. */
    public static final ScreenVerdict OK = new ScreenVerdict(true, null, null);
}
