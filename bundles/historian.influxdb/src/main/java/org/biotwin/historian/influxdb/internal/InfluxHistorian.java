package org.biotwin.historian.influxdb.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.biotwin.api.audit.AuditEvent;
import org.biotwin.api.audit.AuditTrail;
import org.biotwin.api.batch.BatchContext;
import org.biotwin.api.batch.BatchRecord;
import org.biotwin.api.historian.Historian;
import org.biotwin.api.historian.HistorianException;
import org.biotwin.api.historian.HistorianPoint;
import org.biotwin.api.historian.HistorianStatus;
import org.biotwin.api.historian.Series;
import org.biotwin.api.sample.Sample;
import org.biotwin.api.sample.SampleListener;
import org.jspecify.annotations.Nullable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The historian: a {@link SampleListener} that stores every accepted sample, and the {@link Historian} service for
 * twin outputs and reads. Writes go through the on-disk {@link DiskBuffer} and a {@link Forwarder} thread.
 * <p>
 * <b>Back-pressure.</b> {@link #onSamples} blocks while the buffer is full, up to {@code bufferFullWaitMs}, then throws
 * {@link HistorianException} with reason {@code BUFFER_FULL}: none of those samples was stored, the refusal is counted
 * here ({@code refusedPoints}) and the data path sees the exception, counts it and keeps the samples (for MQTT: does
 * not acknowledge them). Nothing is dropped silently. The listener is registered durable
 * ({@link SampleListener#DURABLE}): {@link #onSamples} returns only once the samples are fsync'd in the buffer, so the
 * connector acknowledges a PUBLISH to the broker only after that, and delivers refused samples again.
 * <p>
 * A configuration change re-creates the component (no {@code @Modified}); the buffer on disk carries everything
 * accepted over to the new instance. Thread-safe.
 */
@Component(configurationPid = HistorianConfiguration.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = { Historian.class, SampleListener.class }, property = SampleListener.DURABLE + ":Boolean=true")
@Designate(ocd = HistorianConfiguration.class, factory = true)
public final class InfluxHistorian implements Historian, SampleListener {

    private static final Logger LOG = LoggerFactory.getLogger(InfluxHistorian.class);
    private static final String ACTOR = "system:historian";

    private final Settings settings;
    private final DiskBuffer buffer;
    private final LineSink sink;
    private final Forwarder forwarder;
    private final Thread forwarderThread;
    private final HistoryReader reader;
    private final Set<String> measurementsWithSchema = ConcurrentHashMap.newKeySet();
    private final Object schemaLock = new Object();
    private final AtomicLong acceptedPoints = new AtomicLong();
    private final AtomicLong refusedPoints = new AtomicLong();
    private final AtomicLong contextFailures = new AtomicLong();
    private volatile boolean bufferFullAlarm;
    private volatile long lastFullLogNanos;
    private volatile @Nullable BatchRecord batchRecord;
    private volatile @Nullable AuditTrail auditTrail;

    @Activate
    public InfluxHistorian(HistorianConfiguration configuration) throws IOException {
        this(Settings.from(configuration));
    }

    InfluxHistorian(Settings settings) throws IOException {
        this.settings = settings;
        // Reader first: a missing PostgreSQL driver fails activation before any file or thread exists.
        this.reader = switch (settings.backend()) {
            case QUESTDB_SQL -> new QuestDbSqlReader(settings);
            case INFLUXQL -> new InfluxQlReader(settings);
            case FLUX -> new FluxReader(settings);
        };
        try {
            this.buffer = new DiskBuffer(settings.bufferDirectory(), settings.bufferMaxBytes(),
                    settings.segmentBytes());
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
        this.sink = new InfluxClientSink(settings);
        if (settings.backend() == Backend.QUESTDB_SQL) {
            appendSchema(Queries.sqlCreateSampleTable());
        }
        measurementsWithSchema.add(LineProtocol.SAMPLE_MEASUREMENT);
        this.forwarder = new Forwarder(buffer, sink, settings, this::deadLetterAlarm);
        this.forwarderThread = new Thread(forwarder, "biotwin-historian-forwarder-" + settings.site());
        forwarderThread.setDaemon(true);
        forwarderThread.start();
        LOG.info("Historian started: {}; {} points buffered from before", settings, buffer.bufferedPoints());
    }

    @Deactivate
    public void close() {
        forwarder.stop();
        forwarderThread.interrupt();
        try {
            forwarderThread.join(settings.timeoutMs() + 2000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            buffer.close();
        } catch (IOException e) {
            LOG.error("Historian buffer {}: close failed: {}", settings.bufferDirectory(), e.toString());
        }
        sink.close();
        reader.close();
        LOG.info("Historian stopped; {} points stay buffered on disk", buffer.bufferedPoints());
    }

    // ---------------------------------------------------------------- references

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setBatchRecord(BatchRecord record) {
        this.batchRecord = record;
    }

    void unsetBatchRecord(BatchRecord record) {
        if (this.batchRecord == record) {
            this.batchRecord = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAuditTrail(AuditTrail trail) {
        this.auditTrail = trail;
    }

    void unsetAuditTrail(AuditTrail trail) {
        if (this.auditTrail == trail) {
            this.auditTrail = null;
        }
    }

    // ---------------------------------------------------------------- writes

    @Override
    public void onSamples(List<Sample> samples) {
        writeSamples(samples);
    }

    @Override
    public void writeSamples(Collection<Sample> samples) {
        if (samples.isEmpty()) {
            return;
        }
        BatchRecord ebr = batchRecord;
        StringBuilder lines = new StringBuilder(samples.size() * 128);
        for (Sample s : samples) {
            String batch = null;
            String phase = null;
            if (ebr != null) {
                try {
                    Optional<BatchContext> ctx = ebr.contextAt(s.unitId(), s.timestamp());
                    if (ctx.isPresent()) {
                        batch = ctx.get().batchId();
                        phase = ctx.get().phase();
                    }
                } catch (RuntimeException e) {
                    // The sample is kept, without context, rather than lost; the failure is counted and logged.
                    contextFailures.incrementAndGet();
                    LOG.warn("Historian: batch context of {}/{} at {} unavailable ({}); stored without batch/phase",
                            s.unitId(), s.tag(), s.timestamp(), e.toString());
                }
            }
            LineProtocol.appendSample(lines, settings.site(), s, batch, phase, settings.precision());
        }
        append(DiskBuffer.KIND_LINES, samples.size(), lines);
    }

    @Override
    public void write(Collection<HistorianPoint> points) {
        if (points.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder(points.size() * 128);
        for (HistorianPoint p : points) {
            HistorianPoint q = p;
            if (!p.tags().containsKey("site")) {
                Map<String, String> tags = new TreeMap<>(p.tags());
                tags.put("site", settings.site());
                q = new HistorianPoint(p.measurement(), tags, p.time(), p.fields());
            }
            ensureSchema(q);
            LineProtocol.append(lines, q, settings.precision());
        }
        append(DiskBuffer.KIND_LINES, points.size(), lines);
    }

    /**
     * QuestDB: before the first point of a measurement, a {@code CREATE TABLE IF NOT EXISTS} with the point's tags as
     * DEDUP UPSERT KEYS goes into the buffer, so the forwarder creates the table, in order, before the points arrive.
     * Tags added to the measurement later are stored but are not de-duplication keys.
     */
    private void ensureSchema(HistorianPoint p) {
        if (settings.backend() != Backend.QUESTDB_SQL || measurementsWithSchema.contains(p.measurement())) {
            return;
        }
        synchronized (schemaLock) {
            if (measurementsWithSchema.contains(p.measurement())) {
                return;
            }
            StringBuilder cols = new StringBuilder();
            StringBuilder keys = new StringBuilder("ts");
            for (String t : p.tags().keySet()) {
                cols.append('"').append(t).append("\" SYMBOL, ");
                keys.append(", \"").append(t).append('"');
            }
            for (Map.Entry<String, Object> f : p.fields().entrySet()) {
                Object v = f.getValue();
                String type = v instanceof Double ? "DOUBLE" : v instanceof Long ? "LONG"
                        : v instanceof Boolean ? "BOOLEAN" : "VARCHAR";
                cols.append('"').append(f.getKey()).append("\" ").append(type).append(", ");
            }
            appendSchema("CREATE TABLE IF NOT EXISTS \"" + p.measurement() + "\" (" + cols
                    + "ts TIMESTAMP) TIMESTAMP(ts) PARTITION BY DAY WAL DEDUP UPSERT KEYS(" + keys + ")");
            measurementsWithSchema.add(p.measurement());
        }
    }

    private void appendSchema(String sql) {
        append(DiskBuffer.KIND_SQL, 0, new StringBuilder(sql));
    }

    private void append(byte kind, int points, CharSequence payload) {
        byte[] bytes = payload.toString().getBytes(StandardCharsets.UTF_8);
        boolean stored;
        try {
            stored = buffer.append(kind, settings.precision(), points, bytes, settings.bufferFullWaitMs());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HistorianException(HistorianException.Reason.NOT_STORED,
                    "Interrupted while waiting for room in the historian buffer; " + points + " points not stored", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new HistorianException(HistorianException.Reason.NOT_STORED, "Historian buffer "
                    + settings.bufferDirectory() + ": " + points + " points not stored: " + e.getMessage(), e);
        }
        if (!stored) {
            bufferFull(points);
        }
        acceptedPoints.addAndGet(points);
        if (bufferFullAlarm && buffer.usedBytes() < settings.bufferMaxBytes() * 8 / 10) {
            bufferFullAlarm = false;
            LOG.info("Historian buffer {}: below 80 % again, alarm cleared ({} points refused in total)",
                    settings.bufferDirectory(), refusedPoints.get());
            audit("historian.buffer-full.cleared", "buffer below 80 % of " + settings.bufferMaxBytes() + " bytes");
        }
    }

    private void bufferFull(int points) {
        long refused = refusedPoints.addAndGet(points);
        String message = "Historian buffer " + settings.bufferDirectory() + " full (" + buffer.usedBytes() + " of "
                + settings.bufferMaxBytes() + " bytes, server " + settings.url() + " "
                + (forwarder.reachable() ? "reachable" : "unreachable: " + forwarder.lastError()) + "); refused "
                + points + " points after waiting " + settings.bufferFullWaitMs() + " ms (" + refused
                + " refused in total)";
        long now = System.nanoTime();
        if (!bufferFullAlarm) {
            bufferFullAlarm = true;
            lastFullLogNanos = now;
            LOG.error("Historian ALARM: {}", message);
            audit("historian.buffer-full", message);
        } else if (now - lastFullLogNanos > 10_000_000_000L) {
            lastFullLogNanos = now;
            LOG.error("Historian ALARM (continuing): {}", message);
        }
        throw new HistorianException(HistorianException.Reason.BUFFER_FULL, message);
    }

    private void deadLetterAlarm(int points, String message) {
        audit("historian.dead-letter", points + " point(s) rejected by the server and moved to "
                + forwarder.deadLetterFile() + ": " + message);
    }

    private void audit(String action, String reason) {
        AuditTrail trail = auditTrail;
        if (trail == null) {
            return;
        }
        try {
            trail.append(new AuditEvent(ACTOR, action, "historian", settings.site(), reason, null, null));
        } catch (RuntimeException e) {
            LOG.error("Historian: could not audit {} ({}): {}", action, reason, e.toString());
        }
    }

    // ---------------------------------------------------------------- reads

    @Override
    public List<Series> read(String unitId, Collection<String> tags, Instant from, Instant to) {
        if (unitId == null || unitId.isBlank()) {
            throw new IllegalArgumentException("Historian read: unitId must not be blank");
        }
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("Historian read of " + unitId + ": from " + from
                    + " must be before to " + to);
        }
        return reader.range(unitId, List.copyOf(new LinkedHashSet<>(tags)), from, to);
    }

    @Override
    public List<Series> readBatch(String batchId) {
        if (batchId == null || batchId.isBlank()) {
            throw new IllegalArgumentException("Historian read: batchId must not be blank");
        }
        return reader.batch(batchId);
    }

    @Override
    public HistorianStatus status() {
        return new HistorianStatus(settings.backend().name(), forwarder.reachable(), buffer.bufferedPoints(),
                buffer.usedBytes(), buffer.maxBytes(), acceptedPoints.get(), forwarder.forwardedPoints.get(),
                refusedPoints.get(), forwarder.deadLetteredPoints.get(), bufferFullAlarm, forwarder.lastError(),
                forwarder.lastForwarded());
    }

    /** Samples stored without batch context because the batch record failed. */
    long contextFailures() {
        return contextFailures.get();
    }

    /** HTTP requests made by the forwarder (harness figure). */
    long forwarderRequests() {
        return forwarder.requests.get();
    }

    Settings settings() {
        return settings;
    }
}
