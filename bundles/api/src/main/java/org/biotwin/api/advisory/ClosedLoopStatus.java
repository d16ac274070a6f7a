package org.biotwin.api.advisory;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where closed loop stands for one unit. Immutable.
 *
 * @param unitId         the unit
 * @param enabled        whether accepted advice is written to the plant
 * @param enabledBy      who enabled it: user id (while enabled)
 * @param enabledByName  their printed name, as signed (while enabled)
 * @param enabledAt      when (while enabled)
 * @param signatureId    the electronic signature of the enablement (while enabled)
 * @param limits         what may be written
 * @param executing      the accepted advisory being carried out, if any
 * @param writes         the latest setpoints written, oldest first (bounded)
 * @param lastRefusal    the latest write refused by the limits or the plant connection, with its reason
 */
public record ClosedLoopStatus(String unitId, boolean enabled, @Nullable String enabledBy,
        @Nullable String enabledByName, @Nullable Instant enabledAt, @Nullable String signatureId, List<SetpointLimit> limits,
        @Nullable String executing, List<SetpointWrite> writes, @Nullable String lastRefusal) {

    public ClosedLoopStatus {
        Objects.requireNonNull(unitId, "unitId");
        limits = List.copyOf(limits);
        writes = List.copyOf(writes);
    }
}
