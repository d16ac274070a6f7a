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
    private @Nullable List<Item> fast(byte[] payload) {
        try (JsonParser p = mapper.getFactory().createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String unit = null;
            String tag = null;
            Instant ts = null;
            double value = Double.NaN;
            String uom = null;
            Quality quality = null;
            List<Item> values = null; // batch entries, with a null timestamp where the batch's applies
            int seen = 0;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME) {
                    return null;
                }
                String key = p.currentName();
                int bit = switch (key) {
                    case "ts" -> 1;
                    case "value" -> 2;
                    case "uom" -> 4;
                    case "quality" -> 8;
                    case "unit" -> 16;
                    case "tag" -> 32;
                    case "values" -> 64;
                    default -> 0;
                };
                if (bit == 0 || (seen & bit) != 0) {
                    return null;
                }
                seen |= bit;
                t = p.nextToken();
                switch (bit) {
                    case 1 -> ts = fastTimestamp(p, t);
                    case 2 -> value = fastValue(p, t);
                    case 4 -> uom = fastText(p, t);
                    case 8 -> quality = fastQuality(p, t);
                    case 16 -> unit = fastText(p, t);
                    case 32 -> tag = fastText(p, t);
                    default -> values = fastValues(p, t);
                }
                if (bit == 1 && ts == null || bit == 2 && Double.isNaN(value) || bit == 4 && uom == null
                        || bit == 8 && quality == null || bit == 16 && unit == null || bit == 32 && tag == null
                        || bit == 64 && values == null) {
                    return null;
                }
            }
            if (p.nextToken() != null) {
                return null; // trailing data
            }
            Quality q = quality == null ? Quality.GOOD : quality;
            if (values == null) {
                if ((seen & 7) != 7) {
                    return null;
                }
                return List.of(new Item(unit, tag, ts, value, uom, q, null));
            }
            if ((seen & (2 | 4 | 32)) != 0) {
                return null; // a batch with single-value keys: let the tree path judge it
            }
            List<Item> out = new ArrayList<>(values.size());
            for (Item v : values) {
                Instant vts = v.timestamp() != null ? v.timestamp() : ts;
                if (vts == null) {
                    return null;
                }
                out.add(new Item(unit, v.tag(), vts, v.value(), v.uom(), v.quality() != null ? v.quality() : q,
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
            Instant ts = null;
            double value = Double.NaN;
            String uom = null;
            Quality quality = null;
            int seen = 0;
            for (t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME) {
                    return null;
                }
                int bit = switch (p.currentName()) {
                    case "ts" -> 1;
                    case "value" -> 2;
                    case "uom" -> 4;
                    case "quality" -> 8;
                    default -> 0;
                };
                if (bit == 0 || (seen & bit) != 0) {
                    return null;
                }
                seen |= bit;
                t = p.nextToken();
                switch (bit) {
                    case 1 -> ts = fastTimestamp(p, t);
                    case 2 -> value = fastValue(p, t);
                    case 4 -> uom = fastText(p, t);
                    default -> quality = fastQuality(p, t);
                }
                if (bit == 1 && ts == null || bit == 2 && Double.isNaN(value) || bit == 4 && uom == null
                        || bit == 8 && quality == null) {
                    return null;
                }
            }
            if ((seen & 6) != 6) {
                return null;
            }
            out.add(new Item(null, tag, ts, value, uom, quality, null));
        }
        return out.isEmpty() ? null : out;
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

    private List<Item> decodeTree(byte[] payload) throws RejectException {
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
