package org.biotwin.api.advisory;

import java.time.Instant;
import java.util.Objects;

/**
 * A setpoint closed loop wrote to the plant. Immutable.
 *
 * @param time       when it was written (wall clock, UTC)
 * @param batchAge   the batch age it was written at, h (the twin's latest estimate)
 * @param input      the input
 * @param value      the value written, in the input's unit
 * @param topic      where it was written
 * @param advisoryId the accepted advisory it carries out
 */
public record SetpointWrite(Instant time, double batchAge, String input, double value, String topic,
        String advisoryId) {

    public SetpointWrite {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(advisoryId, "advisoryId");
    }
}
