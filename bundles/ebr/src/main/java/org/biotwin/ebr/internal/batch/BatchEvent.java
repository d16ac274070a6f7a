package org.biotwin.ebr.internal.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.biotwin.api.batch.KeyValue;
import org.biotwin.api.batch.MaterialLot;
import org.jspecify.annotations.Nullable;

/**
 * One lifecycle event of a batch, as validated by {@link BatchBook} and stored as the new value of its audit entry
 * (the audit trail is the batch event store). Immutable.
 *
 * @param type    the command
 * @param batchId the batch
 * @param time    when it happened at the plant (UTC); for {@link Type#VALUE} the time the value applies
 * @param fields  command-specific fields (see {@link Type})
 * @param eventId the MES event id, used to ignore a redelivered MQTT event; {@code null} for service API calls
 */
public record BatchEvent(Type type, String batchId, Instant time, Fields fields, @Nullable String eventId) {

    /** Commands and the audit action that records each. */
    public enum Type {
        CREATE, START, PHASE, HOLD, RESTART, COMPLETE, ABORT, MATERIAL, VALUE;

        public String action() {
            return "batch." + name().toLowerCase(java.util.Locale.ROOT);
        }

        public String command() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Command-specific fields; unused ones are null or empty. */
    public record Fields(@Nullable String unitId, @Nullable String product, @Nullable String recipeId,
            @Nullable String recipeVersion, Map<String, String> recipeParameters, List<MaterialLot> materialLots,
            @Nullable String phase, @Nullable String reason, @Nullable KeyValue keyValue) {

        public Fields {
            recipeParameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(recipeParameters));
            materialLots = List.copyOf(materialLots);
        }

        static Fields none() {
            return new Fields(null, null, null, null, Map.of(), List.of(), null, null, null);
        }

        static Fields reason(String reason) {
            return new Fields(null, null, null, null, Map.of(), List.of(), null, reason, null);
        }
    }

    public BatchEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(fields, "fields");
        if (batchId == null || batchId.isBlank()) {
            throw new IllegalArgumentException("batchId must not be blank");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The stored JSON form (keys in a fixed order). */
    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", type.command());
        o.put("batchId", batchId);
        o.put("time", time.toString());
        if (eventId != null) {
            o.put("eventId", eventId);
        }
        Fields f = fields;
        putIf(o, "unitId", f.unitId());
        putIf(o, "product", f.product());
        putIf(o, "recipeId", f.recipeId());
        putIf(o, "recipeVersion", f.recipeVersion());
        if (type == Type.CREATE) {
            ObjectNode p = o.putObject("recipeParameters");
            f.recipeParameters().forEach(p::put);
        }
        if (!f.materialLots().isEmpty()) {
            ArrayNode a = o.putArray("materialLots");
            for (MaterialLot l : f.materialLots()) {
                a.addObject().put("material", l.material()).put("lot", l.lot());
            }
        }
        putIf(o, "phase", f.phase());
        putIf(o, "reason", f.reason());
        KeyValue kv = f.keyValue();
        if (kv != null) {
            o.putObject("keyValue").put("name", kv.name()).put("value", kv.value()).put("uom", kv.uom())
                    .put("time", kv.time().toString()).put("recordedBy", kv.recordedBy());
        }
        return o.toString();
    }

    /** Parses the stored JSON form. */
    public static BatchEvent fromJson(String json) {
        try {
            JsonNode o = JSON.readTree(json);
            Type type = Type.valueOf(o.path("type").asText().toUpperCase(java.util.Locale.ROOT));
            Map<String, String> params = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = o.path("recipeParameters").fields();
            while (it.hasNext()) {
                var e = it.next();
                params.put(e.getKey(), e.getValue().asText());
            }
            List<MaterialLot> lots = new ArrayList<>();
            for (JsonNode l : o.path("materialLots")) {
                lots.add(new MaterialLot(l.path("material").asText(), l.path("lot").asText()));
            }
            KeyValue kv = null;
            JsonNode k = o.get("keyValue");
            if (k != null) {
                kv = new KeyValue(k.path("name").asText(), k.path("value").asText(), k.path("uom").asText(),
                        Instant.parse(k.path("time").asText()), k.path("recordedBy").asText());
            }
            Fields f = new Fields(text(o, "unitId"), text(o, "product"), text(o, "recipeId"),
                    text(o, "recipeVersion"), params, lots, text(o, "phase"), text(o, "reason"), kv);
            return new BatchEvent(type, o.path("batchId").asText(), Instant.parse(o.path("time").asText()), f,
                    text(o, "eventId"));
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException("Unreadable stored batch event: " + e.getMessage() + ": " + json, e);
        }
    }

    private static void putIf(ObjectNode o, String key, @Nullable String v) {
        if (v != null) {
            o.put(key, v);
        }
    }

    private static @Nullable String text(JsonNode o, String key) {
        JsonNode n = o.get(key);
        return n == null || n.isNull() ? null : n.asText();
    }
}
