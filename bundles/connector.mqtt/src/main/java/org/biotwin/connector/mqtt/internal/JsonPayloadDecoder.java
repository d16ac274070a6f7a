package org.biotwin.connector.mqtt.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.biotwin.api.sample.Quality;
import org.biotwin.api.sample.RejectReason;
import org.jspecify.annotations.Nullable;

/**
 * JSON payloads, three shapes (the README has the schema):
 * <ul>
 * <li>single: {@code {"ts": "2026-03-01T10:15:30Z" | 1772360130000, "value": 36.8, "uom": "Cel", "quality": "GOOD"}}
 * with optional {@code "unit"} and {@code "tag"} when the topic does not carry them;</li>
 * <li>batch: {@code {"unit": "BR-101", "ts": ..., "values": {"DO": {"value": 41.2, "uom": "%"}, ...}}}, where a
 * value may carry its own {@code "ts"} and {@code "quality"};</li>
 * <li>array: {@code [single or batch, ...]}.</li>
 * </ul>
 * {@code ts}, {@code value} and {@code uom} are required; {@code quality} defaults to GOOD. NaN and Infinity (as JSON
 * literals or strings) are refused as NON_FINITE_VALUE; numbers in strings as WRONG_TYPE. Duplicate keys and
 * trailing data are MALFORMED_JSON. In a batch or array, a bad value is refused alone; the others go on.
 * Stateless and thread-safe (Jackson's mapper is).
 */
final class JsonPayloadDecoder implements PayloadDecoder {

    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // so that NaN is reported as such, not as bad JSON
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    @Override
    public boolean accepts(byte[] payload) {
        for (byte b : payload) {
            if (b == '{' || b == '[') {
                return true;
            }
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return false;
    }

    @Override
    public List<Item> decode(Context ctx, byte[] payload) throws RejectException {
        List<Item> fast = fast(payload);
        if (fast != null) {
            return fast;
        }
        return decodeTree(payload);
    }

    /**
     * The fast path for the two shapes plants send all day: one object, either a single value
     * ({@code ts, value, uom[, quality, unit, tag]}) or a batch ({@code [unit, ts, quality,] values}), read with
     * Jackson's streaming parser, without building a tree. It accepts only what is plainly valid: anything else
     * (a missing, null, unknown or duplicate key, a wrong type, NaN, a bad timestamp or quality, trailing data, an
     * array) returns {@code null}, and the tree path below decides, with its exact refusal reasons.
     */
    @Nullable List<Item> fast(byte[] payload) {
        try (JsonParser p = mapper.getFactory().createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Fields f = Fields.read(p, Fields.ALL);
            if (f == null || p.nextToken() != null) {
                return null; // invalid, or trailing data
            }
            Quality q = f.quality == null ? Quality.GOOD : f.quality;
            if (f.values == null) {
                if ((f.seen & (Fields.TS | Fields.VALUE | Fields.UOM)) != (Fields.TS | Fields.VALUE | Fields.UOM)) {
                    return null;
                }
                return List.of(new Item(f.unit, f.tag, f.ts, f.value, f.uom, q, null));
            }
            if ((f.seen & (Fields.VALUE | Fields.UOM | Fields.TAG)) != 0) {
                return null; // a batch with single-value keys: let the tree path judge it
            }
            List<Item> out = new ArrayList<>(f.values.size());
            for (Item v : f.values) {
                Instant vts = v.timestamp() != null ? v.timestamp() : f.ts;
                if (vts == null) {
                    return null;
                }
                out.add(new Item(f.unit, v.tag(), vts, v.value(), v.uom(), v.quality() != null ? v.quality() : q,
                        null));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** {@code values}: a non-empty object of tag -> {value, uom[, ts, quality]}; quality null = the batch's. */
    private static @Nullable List<Item> fastValues(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            return null;
        }
        List<Item> out = new ArrayList<>();
        for (t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String tag = p.currentName();
            if (t != JsonToken.FIELD_NAME || p.nextToken() != JsonToken.START_OBJECT || tag.isBlank()) {
                return null;
            }
            Fields f = Fields.read(p, Fields.ENTRY);
            if (f == null || (f.seen & (Fields.VALUE | Fields.UOM)) != (Fields.VALUE | Fields.UOM)) {
                return null;
            }
            out.add(new Item(null, tag, f.ts, f.value, f.uom, f.quality, null));
        }
        return out.isEmpty() ? null : out;
    }

    /** The keys of one JSON object on the fast path, read up to its end; {@code seen} has a bit per key read. */
    private static final class Fields {
        static final int TS = 1;
        static final int VALUE = 2;
        static final int UOM = 4;
        static final int QUALITY = 8;
        static final int UNIT = 16;
        static final int TAG = 32;
        static final int VALUES = 64;
        /** A message's keys. */
        static final int ALL = 127;
        /** A batch entry's keys. */
        static final int ENTRY = TS | VALUE | UOM | QUALITY;

        @Nullable String unit;
        @Nullable String tag;
        @Nullable Instant ts;
        double value = Double.NaN;
        @Nullable String uom;
        @Nullable Quality quality;
        @Nullable List<Item> values;
        int seen;

        /** Null if a key is unknown, not {@code allowed}, repeated or of an invalid value. */
        static @Nullable Fields read(JsonParser p, int allowed) throws IOException {
            Fields f = new Fields();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME) {
                    return null;
                }
                int bit = switch (p.currentName()) {
                    case "ts" -> TS;
                    case "value" -> VALUE;
                    case "uom" -> UOM;
                    case "quality" -> QUALITY;
                    case "unit" -> UNIT;
                    case "tag" -> TAG;
                    case "values" -> VALUES;
                    default -> 0;
                };
                if ((bit & allowed) == 0 || (f.seen & bit) != 0) {
                    return null;
                }
                f.seen |= bit;
                t = p.nextToken();
                boolean valid = switch (bit) {
                    case TS -> (f.ts = fastTimestamp(p, t)) != null;
                    case VALUE -> !Double.isNaN(f.value = fastValue(p, t));
                    case UOM -> (f.uom = fastText(p, t)) != null;
                    case QUALITY -> (f.quality = fastQuality(p, t)) != null;
                    case UNIT -> (f.unit = fastText(p, t)) != null;
                    case TAG -> (f.tag = fastText(p, t)) != null;
                    default -> (f.values = fastValues(p, t)) != null;
                };
                if (!valid) {
                    return null;
                }
            }
            return f;
        }
    }

    private static @Nullable Instant fastTimestamp(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            JsonParser.NumberType n = p.getNumberType();
            return n == JsonParser.NumberType.INT || n == JsonParser.NumberType.LONG
                    ? Instant.ofEpochMilli(p.getLongValue()) : null;
        }
        if (t == JsonToken.VALUE_STRING) {
            try {
                return Timestamps.parseText(p.getText());
            } catch (RejectException e) {
                return null;
            }
        }
        return null;
    }

    /** A finite JSON number, else NaN (the caller falls back). */
    private static double fastValue(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            return Double.NaN;
        }
        double d = p.getDoubleValue();
        return Double.isFinite(d) ? d : Double.NaN;
    }

    /** A non-blank string, trimmed (as the tree path trims a uom; unit and tag are not blank there either). */
    private static @Nullable String fastText(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            return null;
        }
        String s = p.getText();
        return s.isBlank() || !s.equals(s.trim()) ? null : s;
    }

    private static @Nullable Quality fastQuality(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            return null;
        }
        return switch (p.getText()) {
            case "GOOD" -> Quality.GOOD;
            case "UNCERTAIN" -> Quality.UNCERTAIN;
            case "BAD" -> Quality.BAD;
            default -> null;
        };
    }

    List<Item> decodeTree(byte[] payload) throws RejectException {
        JsonNode root;
        try {
            root = mapper.readTree(payload);
        } catch (IOException e) {
            throw new RejectException(RejectReason.MALFORMED_JSON, firstLine(e.getMessage()));
        }
        List<Item> out = new ArrayList<>();
        if (root == null || root.isMissingNode()) {
            throw new RejectException(RejectReason.MALFORMED_JSON, "no JSON document");
        }
        if (root.isArray()) {
            if (root.isEmpty()) {
                throw new RejectException(RejectReason.EMPTY_BATCH, "empty array");
            }
            for (JsonNode el : root) {
                if (!el.isObject()) {
                    out.add(Item.rejected(null, null, new RejectException(RejectReason.UNSUPPORTED_SHAPE,
                            "array element is " + el.getNodeType() + ", not an object")));
                    continue;
                }
                try {
                    decodeObject(el, out);
                } catch (RejectException e) {
                    out.add(Item.rejected(textOrNull(el, "unit"), textOrNull(el, "tag"), e));
                }
            }
        } else if (root.isObject()) {
            decodeObject(root, out);
        } else {
            throw new RejectException(RejectReason.UNSUPPORTED_SHAPE, "top level is " + root.getNodeType());
        }
        return out;
    }

    private void decodeObject(JsonNode o, List<Item> out) throws RejectException {
        String unit = optText(o, "unit");
        if (o.has("values")) {
            JsonNode values = o.get("values");
            if (!values.isObject()) {
                throw new RejectException(RejectReason.WRONG_TYPE, "'values' must be an object of tag -> {value, uom}");
            }
            if (values.isEmpty()) {
                throw new RejectException(RejectReason.EMPTY_BATCH, "'values' is empty");
            }
            Instant batchTs = o.hasNonNull("ts") ? timestamp(o.get("ts")) : null;
            Quality batchQ = o.has("quality") ? quality(o.get("quality")) : Quality.GOOD;
            for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                try {
                    JsonNode v = e.getValue();
                    if (!v.isObject()) {
                        throw new RejectException(RejectReason.WRONG_TYPE,
                                "values." + e.getKey() + " must be an object {value, uom}, not " + v.getNodeType());
                    }
                    Instant ts = v.hasNonNull("ts") ? timestamp(v.get("ts")) : batchTs;
                    if (ts == null) {
                        throw new RejectException(RejectReason.MISSING_FIELD, "'ts' is missing for values." + e.getKey());
                    }
                    out.add(new Item(unit, e.getKey(), ts, value(v), uom(v),
                            v.has("quality") ? quality(v.get("quality")) : batchQ, null));
                } catch (RejectException ex) {
                    out.add(Item.rejected(unit, e.getKey(), ex));
                }
            }
            return;
        }
        String tag = optText(o, "tag");
        if (!o.hasNonNull("ts")) {
            throw new RejectException(RejectReason.MISSING_FIELD, "'ts' is missing");
        }
        out.add(new Item(unit, tag, timestamp(o.get("ts")), value(o), uom(o),
                o.has("quality") ? quality(o.get("quality")) : Quality.GOOD, null));
    }

    private static Instant timestamp(JsonNode n) throws RejectException {
        if (n.isIntegralNumber()) {
            if (!n.canConvertToLong()) {
                throw new RejectException(RejectReason.INVALID_TIMESTAMP, "epoch milliseconds out of range: " + n);
            }
            return Instant.ofEpochMilli(n.longValue());
        }
        if (n.isNumber()) {
            throw new RejectException(RejectReason.INVALID_TIMESTAMP,
                    "'ts' " + n + " is not whole epoch milliseconds");
        }
        if (n.isTextual()) {
            return Timestamps.parseText(n.textValue());
        }
        throw new RejectException(RejectReason.WRONG_TYPE, "'ts' must be a string or a number, not " + n.getNodeType());
    }

    private static double value(JsonNode o) throws RejectException {
        JsonNode n = o.get("value");
        if (n == null || n.isNull()) {
            throw new RejectException(RejectReason.MISSING_FIELD, "'value' is missing");
        }
        if (n.isNumber()) {
            double d = n.doubleValue();
            if (!Double.isFinite(d)) {
                throw new RejectException(RejectReason.NON_FINITE_VALUE, "value is " + n.asText());
            }
            return d;
        }
        if (n.isTextual()) {
            String s = n.textValue().trim().toLowerCase(Locale.ROOT);
            if (s.matches("[+-]?(nan|inf|infinity)")) {
                throw new RejectException(RejectReason.NON_FINITE_VALUE, "value is the string \"" + n.textValue() + "\"");
            }
        }
        throw new RejectException(RejectReason.WRONG_TYPE, "'value' must be a number, not " + n.getNodeType()
                + (n.isTextual() ? " \"" + Timestamps.abbreviate(n.textValue()) + "\"" : ""));
    }

    private static String uom(JsonNode o) throws RejectException {
        JsonNode n = o.get("uom");
        if (n == null || n.isNull() || n.isTextual() && n.textValue().isBlank()) {
            throw new RejectException(RejectReason.MISSING_FIELD, "'uom' is missing");
        }
        if (!n.isTextual()) {
            throw new RejectException(RejectReason.WRONG_TYPE, "'uom' must be a string, not " + n.getNodeType());
        }
        return n.textValue().trim();
    }

    private static Quality quality(JsonNode n) throws RejectException {
        if (n.isNull()) {
            return Quality.GOOD;
        }
        if (!n.isTextual()) {
            throw new RejectException(RejectReason.WRONG_TYPE, "'quality' must be a string, not " + n.getNodeType());
        }
        try {
            return Quality.valueOf(n.textValue().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new RejectException(RejectReason.INVALID_QUALITY,
                    "quality '" + Timestamps.abbreviate(n.textValue()) + "' is not GOOD, UNCERTAIN or BAD");
        }
    }

    private static @Nullable String optText(JsonNode o, String field) throws RejectException {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || n.textValue().isBlank()) {
            throw new RejectException(RejectReason.WRONG_TYPE, "'" + field + "' must be a non-empty string");
        }
        return n.textValue();
    }

    private static @Nullable String textOrNull(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    private static String firstLine(@Nullable String s) {
        if (s == null) {
            return "malformed JSON";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
