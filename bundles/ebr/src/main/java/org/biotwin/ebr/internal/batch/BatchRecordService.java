package org.biotwin.ebr.internal.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import org.biotwin.api.audit.AuditEntry;
import org.biotwin.api.audit.AuditEvent;
import org.biotwin.api.audit.AuditTrail;
import org.biotwin.api.batch.BatchContext;
import org.biotwin.api.batch.BatchRecord;
import org.biotwin.api.batch.KeyValue;
import org.biotwin.api.batch.MaterialLot;
import org.biotwin.api.batch.PhaseRecord;
import org.biotwin.api.messaging.MessageHandler;
import org.jspecify.annotations.Nullable;

/**
 * The batch record: validates MES commands with {@link BatchBook}, records each in the audit trail (the durable event
 * store) before applying it, and rebuilds itself from the trail on start. Also the MQTT handler for MES batch events.
 * <p>
 * <b>MQTT topic layout</b>: {@code mes/<unitId>/batch/<command>} with command one of {@code create, start, phase,
 * hold, restart, complete, abort, material, value}. <b>Payload</b>: one UTF-8 JSON object (at most 64 KiB), unknown
 * keys refused:
 * <pre>
 * all:      batchId (string, required), actor (string, required: MES user or system:mes),
 *           time (ISO-8601 with offset, required: when it happened at the plant), eventId (string, optional: a
 *           redelivered event with an id already applied is ignored), reason (string; required for hold and abort)
 * create:   product, recipeId, recipeVersion (strings, required), recipeParameters (object of scalars, optional),
 *           materialLots (array of {material, lot}, optional)
 * phase:    phase (UPPER_SNAKE ISA-88 phase name, required)
 * material: material, lot (strings, required)
 * value:    name, value (required), uom (optional); time is when the value applies
 * </pre>
 * A malformed or refused event throws {@link IllegalArgumentException} with the reason (the connector dead-letters
 * it); nothing is recorded for it. Thread-safe: commands are serialised, queries are lock-free.
 */
public class BatchRecordService implements BatchRecord, MessageHandler {

    /** Default MQTT topic filter. */
    public static final String DEFAULT_TOPIC = "mes/+/batch/+";
    static final int MAX_PAYLOAD = 64 * 1024;
    private static final Logger LOG = Logger.getLogger(BatchRecordService.class.getName());
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).build();
    private static final Set<String> COMMON = Set.of("batchId", "actor", "time", "eventId", "reason");
    private static final Map<BatchEvent.Type, Set<String>> KEYS = Map.of(
            BatchEvent.Type.CREATE, Set.of("product", "recipeId", "recipeVersion", "recipeParameters", "materialLots"),
            BatchEvent.Type.PHASE, Set.of("phase"),
            BatchEvent.Type.MATERIAL, Set.of("material", "lot"),
            BatchEvent.Type.VALUE, Set.of("name", "value", "uom"));

    private final AuditTrail trail;
    private final BatchBook book;
    private final Set<String> appliedEventIds = Collections.synchronizedSet(new HashSet<>());
    private final Object commandLock = new Object();

    /**
     * Rebuilds the batch record from the batch events in the trail.
     *
     * @param allowedPhases phase names accepted; empty accepts any UPPER_SNAKE name
     */
    public BatchRecordService(AuditTrail trail, Set<String> allowedPhases) {
        this.trail = trail;
        this.book = new BatchBook(allowedPhases);
        replay();
    }

    private void replay() {
        List<AuditEntry> all = new ArrayList<>();
        for (String id : trail.recordIds("batch")) {
            for (AuditEntry e : trail.entriesFor("batch", id)) {
                if (e.event().action().startsWith("batch.") && e.event().newValue() != null) {
                    all.add(e);
                }
            }
        }
        all.sort(Comparator.comparingLong(AuditEntry::sequence));
        int applied = 0;
        for (AuditEntry e : all) {
            BatchEvent ev;
            try {
                ev = BatchEvent.fromJson(e.event().newValue());
            } catch (IllegalArgumentException ex) {
                LOG.severe("Audit entry " + e.sequence() + " is not a batch event, skipped: " + ex.getMessage());
                continue;
            }
            if (!ev.type().action().equals(e.event().action())) {
                continue;
            }
            try {
                book.check(ev);
                book.apply(ev);
                applied++;
                if (ev.eventId() != null) {
                    appliedEventIds.add(ev.eventId());
                }
            } catch (RuntimeException ex) {
                LOG.severe("Audit entry " + e.sequence() + " could not be replayed (the batch record may differ"
                        + " from the trail; investigate): " + ex.getMessage());
            }
        }
        LOG.fine("Batch record rebuilt from " + applied + " audited batch events");
    }

    /** Validates, audits (durably) and applies one event. */
    BatchContext execute(String actor, BatchEvent e) {
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("Batch " + e.batchId() + ": command '" + e.type().command()
                    + "' needs an actor (who)");
        }
        synchronized (commandLock) {
            book.check(e);
            Optional<BatchContext> before = book.batch(e.batchId());
            String reason = e.fields().reason() != null ? e.fields().reason()
                    : e.eventId() != null ? "MES event " + e.eventId() : "MES command";
            trail.append(new AuditEvent(actor, e.type().action(), "batch", e.batchId(), reason,
                    before.map(BatchRecordService::summary).orElse(null), e.toJson()));
            if (e.eventId() != null) {
                appliedEventIds.add(e.eventId());
            }
            return book.apply(e);
        }
    }

    private static String summary(BatchContext c) {
        return "state=" + c.state() + (c.phase() != null ? " phase=" + c.phase() : "");
    }

    // ------------------------------------------------------------------------------------------------ commands

    @Override
    public BatchContext create(String actor, String batchId, String unitId, String product, String recipeId,
            String recipeVersion, Map<String, String> recipeParameters, List<MaterialLot> materialLots, Instant time) {
        return execute(actor, new BatchEvent(BatchEvent.Type.CREATE, batchId, time, new BatchEvent.Fields(unitId,
                product, recipeId, recipeVersion, recipeParameters, materialLots, null, null, null), null));
    }

    @Override
    public BatchContext start(String actor, String batchId, Instant time) {
        return execute(actor, new BatchEvent(BatchEvent.Type.START, batchId, time, BatchEvent.Fields.none(), null));
    }

    @Override
    public BatchContext enterPhase(String actor, String batchId, String phase, Instant time) {
        return execute(actor, new BatchEvent(BatchEvent.Type.PHASE, batchId, time,
                new BatchEvent.Fields(null, null, null, null, Map.of(), List.of(), phase, null, null), null));
    }

    @Override
    public BatchContext hold(String actor, String batchId, String reason, Instant time) {
        return execute(actor, new BatchEvent(BatchEvent.Type.HOLD, batchId, time, BatchEvent.Fields.reason(reason),
                null));
    }

    @Override
    public BatchContext restart(String actor, String batchId, Instant time) {
        return execute(actor, new BatchEvent(BatchEvent.Type.RESTART, batchId, time, BatchEvent.Fields.none(),
                null));
    }

    @Override
    public BatchContext complete(String actor, String batchId, Instant time) {
        return execute(actor, new BatchEvent(BatchEvent.Type.COMPLETE, batchId, time, BatchEvent.Fields.none(),
                null));
    }

    @Override
    public BatchContext abort(String actor, String batchId, String reason, Instant time) {
        return execute(actor, new BatchEvent(BatchEvent.Type.ABORT, batchId, time, BatchEvent.Fields.reason(reason),
                null));
    }

    @Override
    public BatchContext addMaterialLot(String actor, String batchId, MaterialLot lot, Instant time) {
        return execute(actor, new BatchEvent(BatchEvent.Type.MATERIAL, batchId, time,
                new BatchEvent.Fields(null, null, null, null, Map.of(), List.of(lot), null, null, null), null));
    }

    @Override
    public void recordKeyValue(String actor, String batchId, KeyValue value, String reason) {
        execute(actor, new BatchEvent(BatchEvent.Type.VALUE, batchId, value.time(),
                new BatchEvent.Fields(null, null, null, null, Map.of(), List.of(), null, reason, value), null));
    }

    // ------------------------------------------------------------------------------------------------ queries

    @Override
    public Optional<BatchContext> contextAt(String unitId, Instant time) {
        return book.contextAt(unitId, time);
    }

    @Override
    public Optional<BatchContext> current(String unitId) {
        return book.current(unitId);
    }

    @Override
    public Optional<BatchContext> batch(String batchId) {
        return book.batch(batchId);
    }

    @Override
    public List<BatchContext> batches(String unitId) {
        return book.batches(unitId);
    }

    @Override
    public List<PhaseRecord> phases(String batchId) {
        return book.phases(batchId);
    }

    @Override
    public List<KeyValue> keyValues(String batchId) {
        return book.keyValues(batchId);
    }

    /** Every batch id, sorted. */
    public List<String> allBatchIds() {
        return book.allBatchIds();
    }

    /** Creation and end instants of a batch (end {@code null} while open). */
    public Optional<Instant[]> times(String batchId) {
        return book.times(batchId);
    }

    // ------------------------------------------------------------------------------------------------ MQTT

    @Override
    public void onMessage(String topic, byte[] payload) {
        String[] parts = topic.split("/", -1);
        if (parts.length != 4 || !parts[0].equals("mes") || !parts[2].equals("batch")) {
            throw new IllegalArgumentException("Topic '" + topic + "' is not mes/<unitId>/batch/<command>");
        }
        String unit = parts[1];
        BatchEvent.Type type;
        try {
            type = BatchEvent.Type.valueOf(parts[3].toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Topic '" + topic + "': unknown command '" + parts[3]
                    + "' (create, start, phase, hold, restart, complete, abort, material, value)");
        }
        if (!parts[3].equals(type.command())) {
            throw new IllegalArgumentException("Topic '" + topic + "': command must be lower case");
        }
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("Topic '" + topic + "': payload of " + payload.length
                    + " bytes exceeds " + MAX_PAYLOAD);
        }
        JsonNode o;
        try {
            o = JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Topic '" + topic + "': payload is not valid JSON: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("Topic '" + topic + "': unreadable payload: " + e.getMessage());
        }
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("Topic '" + topic + "': payload must be a JSON object");
        }
        Set<String> allowed = new HashSet<>(COMMON);
        allowed.addAll(KEYS.getOrDefault(type, Set.of()));
        for (Iterator<String> it = o.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw new IllegalArgumentException("Topic '" + topic + "': unknown key '" + k + "' for command '"
                        + type.command() + "' (allowed: " + new java.util.TreeSet<>(allowed) + ")");
            }
        }
        String batchId = required(o, "batchId", topic);
        String actor = required(o, "actor", topic);
        Instant time = instant(required(o, "time", topic), "time", topic);
        String eventId = optional(o, "eventId", topic);
        String reason = optional(o, "reason", topic);
        if (eventId != null && appliedEventIds.contains(eventId)) {
            LOG.fine("MES event " + eventId + " already applied; redelivery ignored");
            return;
        }
        if (type != BatchEvent.Type.CREATE) {
            BatchContext c = book.batch(batchId).orElseThrow(() -> new IllegalArgumentException(
                    "Topic '" + topic + "': unknown batch " + batchId));
            if (!c.unitId().equals(unit)) {
                throw new IllegalArgumentException("Topic '" + topic + "': batch " + batchId + " runs on unit "
                        + c.unitId() + ", not " + unit);
            }
        }
        BatchEvent.Fields f = switch (type) {
            case CREATE -> new BatchEvent.Fields(unit, required(o, "product", topic), required(o, "recipeId", topic),
                    required(o, "recipeVersion", topic), parameters(o, topic), lots(o, topic), null, reason, null);
            case PHASE -> new BatchEvent.Fields(null, null, null, null, Map.of(), List.of(),
                    required(o, "phase", topic), reason, null);
            case MATERIAL -> new BatchEvent.Fields(null, null, null, null, Map.of(),
                    List.of(lot(required(o, "material", topic), required(o, "lot", topic), topic)), null, reason,
                    null);
            case VALUE -> new BatchEvent.Fields(null, null, null, null, Map.of(), List.of(), null,
                    reason == null ? "" : reason, keyValue(o, time, actor, topic));
            default -> new BatchEvent.Fields(null, null, null, null, Map.of(), List.of(), null, reason, null);
        };
        try {
            execute(actor, new BatchEvent(type, batchId, time, f, eventId));
        } catch (IllegalStateException e) {
            // The contract of MessageHandler: a refused payload is an IllegalArgumentException with the reason.
            throw new IllegalArgumentException("Topic '" + topic + "': " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Topic '" + topic + "': " + e.getMessage(), e);
        }
    }

    private static String required(JsonNode o, String key, String topic) {
        String v = optional(o, key, topic);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("Topic '" + topic + "': required key '" + key + "' is missing");
        }
        return v;
    }

    private static @Nullable String optional(JsonNode o, String key, String topic) {
        JsonNode n = o.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new IllegalArgumentException("Topic '" + topic + "': key '" + key + "' must be a string");
        }
        return n.asText();
    }

    private static Instant instant(String text, String key, String topic) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Topic '" + topic + "': key '" + key + "' value '" + text
                    + "' is not ISO-8601 with an offset, for example 2026-03-01T08:00:00Z");
        }
    }

    private static Map<String, String> parameters(JsonNode o, String topic) {
        JsonNode p = o.get("recipeParameters");
        Map<String, String> out = new LinkedHashMap<>();
        if (p == null || p.isNull()) {
            return out;
        }
        if (!p.isObject()) {
            throw new IllegalArgumentException("Topic '" + topic + "': recipeParameters must be an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext();) {
            var e = it.next();
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new IllegalArgumentException("Topic '" + topic + "': recipe parameter '" + e.getKey()
                        + "' must be a string, number or boolean");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static List<MaterialLot> lots(JsonNode o, String topic) {
        JsonNode a = o.get("materialLots");
        List<MaterialLot> out = new ArrayList<>();
        if (a == null || a.isNull()) {
            return out;
        }
        if (!a.isArray()) {
            throw new IllegalArgumentException("Topic '" + topic + "': materialLots must be an array");
        }
        for (JsonNode l : a) {
            if (!l.isObject() || l.size() != 2) {
                throw new IllegalArgumentException("Topic '" + topic
                        + "': each material lot must be an object {material, lot}");
            }
            out.add(lot(required(l, "material", topic), required(l, "lot", topic), topic));
        }
        return out;
    }

    private static MaterialLot lot(String material, String lot, String topic) {
        try {
            return new MaterialLot(material, lot);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Topic '" + topic + "': " + e.getMessage());
        }
    }

    private static KeyValue keyValue(JsonNode o, Instant time, String actor, String topic) {
        JsonNode v = o.get("value");
        if (v == null || !v.isValueNode() || v.isNull()) {
            throw new IllegalArgumentException("Topic '" + topic + "': required key 'value' must be a string or"
                    + " number");
        }
        String uom = optional(o, "uom", topic);
        return new KeyValue(required(o, "name", topic), v.asText(), uom == null ? "" : uom, time, actor);
    }
}
