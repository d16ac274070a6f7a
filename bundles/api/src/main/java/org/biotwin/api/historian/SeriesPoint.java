package org.biotwin.api.historian;

import java.time.Instant;
import java.util.Objects;
import org.biotwin.api.sample.Quality;
import org.jspecify.annotations.Nullable;

/**
 * One historical value of a sample series, with the batch context it was recorded in. Immutable.
 *
 * @param time    source time of the measurement
 * @param value   the value, in the series' unit of measure
 * @param quality quality recorded with the value
 * @param batchId batch the value was recorded in, {@code null} if it was recorded outside a batch or without a batch
 *                record
 * @param phase   ISA-88 phase the value was recorded in, {@code null} if none
 */
public record SeriesPoint(Instant time, double value, Quality quality, @Nullable String batchId,
        @Nullable String phase) {

    public SeriesPoint {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(quality, "quality");
    }
}
