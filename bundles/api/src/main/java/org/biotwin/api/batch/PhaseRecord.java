package org.biotwin.api.batch;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One ISA-88 phase of a batch as it was executed. Immutable.
 *
 * @param phase phase name, for example {@code FED_BATCH}
 * @param start when the phase was entered (UTC)
 * @param end   when it was left (the next phase started or the batch ended); {@code null} while it runs
 */
public record PhaseRecord(String phase, Instant start, @Nullable Instant end) {

    public PhaseRecord {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(start, "start");
    }
}
