package org.biotwin.api.historian;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One point for the historian in the InfluxDB line protocol model: a measurement, a set of indexed tags, a time and
 * one or more typed fields. Twin outputs (state estimates, predictions, drift indicators) are written as points.
 * <p>
 * The identity of a point is (measurement, tag set, time): a second write with the same identity replaces the first,
 * which is what makes re-sending after a crash or a QoS 1 redelivery harmless. Put into the tags what identifies the
 * series (unit, batch, variable) and into the fields what is measured or computed.
 * <p>
 * Names (measurement, tag and field keys) are 1 to 64 characters of {@code [A-Za-z0-9_]}, starting with a letter,
 * so that they are valid as-is in line protocol, SQL (QuestDB), InfluxQL and Flux. Tag values are non-blank text
 * without line breaks. Field values are {@link Double} (finite), {@link Long}, {@link Boolean} or {@link String};
 * other numbers are refused rather than silently converted. Immutable and thread-safe; maps are copied and sorted by
 * key.
 *
 * @param measurement measurement (a table in QuestDB), for example {@code twin_state}
 * @param tags        indexed identifying tags, possibly empty
 * @param time        time of the point (for a twin output: the time of the estimate, not of the computation)
 * @param fields      at least one field
 */
public record HistorianPoint(String measurement, Map<String, String> tags, Instant time, Map<String, Object> fields) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

    public HistorianPoint {
        requireName(measurement, "measurement", measurement);
        Objects.requireNonNull(time, "time");
        TreeMap<String, String> t = new TreeMap<>();
        for (Map.Entry<String, String> e : tags.entrySet()) {
            requireName(e.getKey(), "tag key", measurement);
            String v = e.getValue();
            if (v == null || v.isBlank() || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("Point " + measurement + ": tag '" + e.getKey()
                        + "' must have a non-blank value without line breaks, got '" + v + "'");
            }
            t.put(e.getKey(), v);
        }
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("Point " + measurement + " at " + time + " has no field");
        }
        TreeMap<String, Object> f = new TreeMap<>();
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            requireName(e.getKey(), "field key", measurement);
            if (t.containsKey(e.getKey())) {
                throw new IllegalArgumentException(
                        "Point " + measurement + ": '" + e.getKey() + "' is both a tag and a field");
            }
            Object v = e.getValue();
            if (v instanceof Double d) {
                if (!Double.isFinite(d)) {
                    throw new IllegalArgumentException("Point " + measurement + " at " + time + ": field '"
                            + e.getKey() + "' is not finite: " + d);
                }
            } else if (!(v instanceof Long || v instanceof Boolean || v instanceof String)) {
                throw new IllegalArgumentException("Point " + measurement + ": field '" + e.getKey()
                        + "' must be Double, Long, Boolean or String, got "
                        + (v == null ? "null" : v.getClass().getName()));
            }
            f.put(e.getKey(), v);
        }
        tags = Collections.unmodifiableMap(t);
        fields = Collections.unmodifiableMap(f);
    }

    /** A point with a single {@code double} field named {@code value}. */
    public static HistorianPoint of(String measurement, Map<String, String> tags, Instant time, double value) {
        return new HistorianPoint(measurement, tags, time, Map.of("value", value));
    }

    private static void requireName(String name, String what, String measurement) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Point " + measurement + ": " + what + " '" + name
                    + "' is not a valid name (1-64 of [A-Za-z0-9_], starting with a letter)");
        }
    }
}
