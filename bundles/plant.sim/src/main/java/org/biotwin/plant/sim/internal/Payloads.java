package org.biotwin.plant.sim.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The JSON the plant publishes, in the shapes the MQTT connector decodes, and the setpoint and command payloads it
 * accepts. Stateless and thread-safe (Jackson's mapper is).
 * <ul>
 * <li>batch, on {@code <prefix>/<unit>}: {@code {"unit":"BR-101","ts":"...Z","values":{"DO":{"value":40.1,"uom":"%"},...}}}</li>
 * <li>single, on {@code <prefix>/<unit>/<tag>}: {@code {"ts":"...Z","value":40.1,"uom":"%","quality":"GOOD"}}</li>
 * </ul>
 */
final class Payloads {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private Payloads() {
    }

    static byte[] batch(String unit, Instant ts, List<ReactorCore.Reading> readings) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("unit", unit);
        root.put("ts", ts.toString());
        ObjectNode values = root.putObject("values");
        for (ReactorCore.Reading r : readings) {
            ObjectNode v = values.putObject(r.tag());
            v.put("value", r.value());
            v.put("uom", r.uom());
        }
        return bytes(root);
    }

    static byte[] single(Instant ts, double value, String uom) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("ts", ts.toString());
        root.put("value", value);
        root.put("uom", uom);
        root.put("quality", "GOOD");
        return bytes(root);
    }

    static byte[] object(Map<String, ?> fields) {
        return bytes(MAPPER.valueToTree(fields));
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON serialisation failed", e); // cannot happen for a tree
        }
    }

    /**
     * The value of a setpoint payload: a plain decimal number ({@code 1.25}) or JSON {@code {"value": 1.25}} (other
     * fields ignored).
     *
     * @throws IllegalArgumentException with the reason
     */
    static double setpointValue(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8).trim();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty payload (expected a number or {\"value\": <number>})");
        }
        if (text.startsWith("{")) {
            JsonNode n;
            try {
                n = MAPPER.readTree(text);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage());
            }
            JsonNode v = n.get("value");
            if (v == null || v.isNull()) {
                throw new IllegalArgumentException("JSON without 'value'");
            }
            if (!v.isNumber()) {
                throw new IllegalArgumentException("'value' must be a number, not " + v.getNodeType());
            }
            return v.doubleValue();
        }
        if (!DECIMAL.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a number nor JSON {\"value\": ...}");
        }
        return Double.parseDouble(text);
    }

    /** A fault command: text {@code "<fault> on|off"} or JSON {@code {"fault": "...", "active": true}}. */
    record FaultCommand(String fault, boolean on) {
    }

    static FaultCommand faultCommand(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8).trim();
        if (text.startsWith("{")) {
            JsonNode n;
            try {
                n = MAPPER.readTree(text);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage());
            }
            JsonNode f = n.get("fault");
            JsonNode a = n.get("active");
            if (f == null || !f.isTextual() || a == null || !a.isBoolean()) {
                throw new IllegalArgumentException("expected {\"fault\": \"<name>\", \"active\": true|false}");
            }
            return new FaultCommand(f.textValue(), a.booleanValue());
        }
        String[] parts = text.split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("expected '<fault> on|off', got '" + abbreviate(text) + "'");
        }
        return new FaultCommand(parts[0], onOff(parts[1]));
    }

    static boolean onOff(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "on", "true", "1" -> true;
            case "off", "false", "0" -> false;
            default -> throw new IllegalArgumentException("'" + s + "' is not on or off");
        };
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }
}
