package org.biotwin.api.historian;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.biotwin.api.sample.Sample;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The process historian: durable, ordered, idempotent writes and typed reads of history.
 * <p>
 * <b>Writes</b> are store-and-forward. When a write method returns, its points are durable in a bounded on-disk buffer
 * (they survive a {@code kill -9}); a writer thread forwards them to the database in order and retries while it is
 * unreachable. Identity is (measurement, tag set, time), so a repeated write overwrites rather than double counts. A
 * point the database rejects as invalid (for example a field type conflict) is moved to a dead-letter file with the
 * server's message and an alarm is raised; it never blocks the points behind it.
 * <p>
 * <b>Reads</b> use the dialect of the configured backend (SQL for QuestDB, InfluxQL or Flux for InfluxDB) and return
 * what the database holds now: points still in the buffer are not yet visible.
 * <p>
 * Implementations are thread-safe.
 */
@ProviderType
public interface Historian {

    /**
     * Stores samples, tagged with the site, and with the batch and phase in which each was measured when a batch
     * record is available.
     *
     * @throws HistorianException {@link HistorianException.Reason#BUFFER_FULL} if the buffer stayed full for the
     *                            configured wait; {@link HistorianException.Reason#NOT_STORED} on a disk error. In
     *                            both cases none of the samples was stored.
     */
    void writeSamples(Collection<Sample> samples);

    /**
     * Stores generic points, typically twin outputs. The site tag is added unless the point carries one.
     *
     * @throws HistorianException as {@link #writeSamples}
     */
    void write(Collection<HistorianPoint> points);

    /**
     * Reads the samples of some tags of a unit in {@code [from, to)}.
     *
     * @param tags the tags wanted; empty means every tag of the unit
     * @return one series per tag found, in tag order; tags without data in the range are absent
     * @throws HistorianException {@link HistorianException.Reason#READ_FAILED} if the query fails
     */
    List<Series> read(String unitId, Collection<String> tags, Instant from, Instant to);

    /**
     * Reads every sample recorded in a batch (by the batch id tag), one series per unit and tag.
     *
     * @throws HistorianException {@link HistorianException.Reason#READ_FAILED} if the query fails
     */
    List<Series> readBatch(String batchId);

    /** Health and counters. */
    HistorianStatus status();
}
