package org.biotwin.ui.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.biotwin.api.advisory.ActionKind;
import org.biotwin.api.advisory.ProposedAction;
import org.biotwin.api.model.InputProfile;

/**
 * Reads a what-if action from its JSON form (see the README) into a {@link ProposedAction}, refusing anything
 * malformed with a {@link BadRequest} that names the field. Stateless.
 *
 * <pre>
 * {"kind":"FEED_PROFILE","input":"F_feed","times_h":[72,120],"values":[1.2,0.8],"description":"..."}
 * {"kind":"SETPOINT_CHANGE","input":"F_feed","times_h":[90],"values":[1.5]}
 * {"kind":"HARVEST_TIME","time":216}
 * {"kind":"BOLUS","time":80,"volume":20,"content":{"GLC":300}}
 * </pre>
 */
final class ActionParser {

    private static final Set<String> FIELDS = Set.of("kind", "description", "input", "times_h", "values", "time",
            "volume", "content");

    private ActionParser() {
    }

    static ProposedAction parse(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new BadRequest("The what-if action must be a JSON object");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new BadRequest("Unknown field '" + f + "' in the what-if action; allowed: " + FIELDS);
            }
        }
        JsonNode k = n.get("kind");
        if (k == null || !k.isTextual()) {
            throw new BadRequest("Field 'kind' is required: one of FEED_PROFILE, SETPOINT_CHANGE, HARVEST_TIME,"
                    + " BOLUS");
        }
        ActionKind kind;
        try {
            kind = ActionKind.valueOf(k.asText());
        } catch (IllegalArgumentException e) {
            throw new BadRequest("Field 'kind' is '" + k.asText() + "'; expected one of FEED_PROFILE,"
                    + " SETPOINT_CHANGE, HARVEST_TIME, BOLUS");
        }
        String description = n.hasNonNull("description") ? text(n, "description") : "";
        if (description.length() > 500) {
            throw new BadRequest("Field 'description' is longer than 500 characters");
        }
        try {
            return switch (kind) {
                case FEED_PROFILE, SETPOINT_CHANGE -> {
                    InputProfile p = profile(n);
                    String d = description.isBlank() ? kind + " of " + p.input() + ": " + steps(p) : description;
                    yield new ProposedAction(kind, d, p, kind == ActionKind.SETPOINT_CHANGE ? p.times()[0]
                            : Double.NaN, 0, Map.of());
                }
                case HARVEST_TIME -> {
                    double t = number(n, "time");
                    yield ProposedAction.harvestAt(t, description.isBlank() ? "Harvest at " + t + " h" : description);
                }
                case BOLUS -> {
                    double t = number(n, "time");
                    double v = number(n, "volume");
                    Map<String, Double> content = new LinkedHashMap<>();
                    JsonNode c = n.get("content");
                    if (c != null && !c.isNull()) {
                        if (!c.isObject()) {
                            throw new BadRequest("Field 'content' must be an object {state: concentration}");
                        }
                        for (Iterator<Map.Entry<String, JsonNode>> it = c.fields(); it.hasNext();) {
                            Map.Entry<String, JsonNode> e = it.next();
                            if (!e.getValue().isNumber() || !Double.isFinite(e.getValue().asDouble())) {
                                throw new BadRequest("Field 'content." + e.getKey() + "' must be a finite number");
                            }
                            content.put(e.getKey(), e.getValue().asDouble());
                        }
                    }
                    yield ProposedAction.bolus(t, v, content, description.isBlank()
                            ? "Bolus of " + v + " L at " + t + " h " + content : description);
                }
            };
        } catch (IllegalArgumentException e) {
            throw new BadRequest("Invalid what-if action: " + e.getMessage());
        }
    }

    private static InputProfile profile(JsonNode n) {
        String input = text(n, "input");
        double[] times = array(n, "times_h");
        double[] values = array(n, "values");
        if (times.length == 0) {
            throw new BadRequest("Field 'times_h' needs at least one batch age, h");
        }
        if (times.length != values.length) {
            throw new BadRequest("Fields 'times_h' and 'values' differ in length (" + times.length + " and "
                    + values.length + ")");
        }
        return new InputProfile(input, times, values);
    }

    private static String steps(InputProfile p) {
        StringBuilder b = new StringBuilder();
        double[] t = p.times();
        double[] v = p.values();
        for (int i = 0; i < t.length; i++) {
            b.append(i == 0 ? "" : ", ").append(v[i]).append(" from ").append(t[i]).append(" h");
        }
        return b.toString();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new BadRequest("Field '" + field + "' is required and must be non-blank text");
        }
        return v.asText().trim();
    }

    private static double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw new BadRequest("Field '" + field + "' is required and must be a finite number");
        }
        return v.asDouble();
    }

    private static double[] array(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isArray()) {
            throw new BadRequest("Field '" + field + "' is required and must be an array of numbers");
        }
        if (v.size() > 1000) {
            throw new BadRequest("Field '" + field + "' has more than 1000 entries");
        }
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode x = v.get(i);
            if (!x.isNumber() || !Double.isFinite(x.asDouble())) {
                throw new BadRequest("Field '" + field + "[" + i + "]' must be a finite number");
            }
            out[i] = x.asDouble();
        }
        return out;
    }
}
