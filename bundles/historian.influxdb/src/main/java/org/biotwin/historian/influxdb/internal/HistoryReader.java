package org.biotwin.historian.influxdb.internal;

import java.time.Instant;
import java.util.List;
import org.biotwin.api.historian.Series;

/** Reads sample history in one dialect. Implementations throw {@code HistorianException(READ_FAILED)}. */
interface HistoryReader extends AutoCloseable {

    List<Series> range(String unit, List<String> tags, Instant from, Instant to);

    List<Series> batch(String batchId);

    @Override
    default void close() {
    }
}
