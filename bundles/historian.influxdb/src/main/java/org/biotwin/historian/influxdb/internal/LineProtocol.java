package org.biotwin.historian.influxdb.internal;

import java.util.Map;
import org.biotwin.api.historian.HistorianPoint;

/**
 * InfluxDB line protocol encoding (https://docs.influxdata.com/influxdb/v2/reference/syntax/line-protocol/), one point
 * per line, tags sorted by key so that the same point always encodes to the same bytes. Stateless, thread-safe.
 */
public final class LineProtocol {

    /** Measurement of plant samples (a table in QuestDB). {@code sample} itself is an SQL keyword in QuestDB. */
    public static final String SAMPLE_MEASUREMENT = "plant_sample";

    private LineProtocol() {
    }

    /** Appends one point and a line feed. Tag values must be non-empty (HistorianPoint guarantees it). */
    public static void append(StringBuilder out, HistorianPoint p, Precision precision) {
        escape(out, p.measurement(), false);
        for (Map.Entry<String, String> t : p.tags().entrySet()) {
            out.append(',');
            escape(out, t.getKey(), true);
            out.append('=');
            escape(out, t.getValue(), true);
        }
        char sep = ' ';
        for (Map.Entry<String, Object> f : p.fields().entrySet()) {
            out.append(sep);
            sep = ',';
            escape(out, f.getKey(), true);
            out.append('=');
            appendField(out, f.getValue());
        }
        out.append(' ').append(precision.toEpoch(p.time())).append('\n');
    }

    static void appendField(StringBuilder out, Object v) {
        if (v instanceof Double d) {
            // Double.toString is exact (shortest round-trip repr); line protocol accepts its exponent form.
            out.append(d.doubleValue());
        } else if (v instanceof Long l) {
            out.append(l.longValue()).append('i');
        } else if (v instanceof Boolean b) {
            out.append(b.booleanValue() ? 't' : 'f');
        } else {
            String s = (String) v;
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    out.append('\\');
                }
                out.append(c);
            }
            out.append('"');
        }
    }

    /** Escapes a measurement ({@code key == false}: comma and space) or a tag key/value or field key (also '='). */
    static void escape(StringBuilder out, String s, boolean key) {
        // Nearly every name is plain: one scan, one bulk append (per-character appends were the historian's
        // listener's main cost under load).
        int first = firstSpecial(s, key);
        if (first < 0) {
            out.append(s);
            return;
        }
        out.append(s, 0, first);
        for (int i = first; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case ',', ' ' -> out.append('\\').append(c);
                case '=' -> {
                    if (key) {
                        out.append('\\');
                    }
                    out.append(c);
                }
                case '\\' -> out.append("\\\\");
                // HistorianPoint refuses line breaks in tags; a field key cannot hold one; keep the guard anyway.
                case '\n', '\r' -> out.append(' ');
                default -> out.append(c);
            }
        }
    }

    private static int firstSpecial(String s, boolean key) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ',' || c == ' ' || c == '\\' || c == '\n' || c == '\r' || key && c == '=') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Appends one sample line: {@code plant_sample,batch=..,phase=..,quality=..,site=..,tag=..,unit=..,uom=.. value=..
     * time}. Tags in key order; batch, phase and uom are omitted when absent or empty.
     */
    public static void appendSample(StringBuilder out, String site, org.biotwin.api.sample.Sample s,
            @org.jspecify.annotations.Nullable String batch, @org.jspecify.annotations.Nullable String phase,
            Precision precision) {
        out.append(SAMPLE_MEASUREMENT);
        tag(out, "batch", batch);
        tag(out, "phase", phase);
        tag(out, "quality", s.quality().name());
        tag(out, "site", site);
        tag(out, "tag", s.tag());
        tag(out, "unit", s.unitId());
        tag(out, "uom", s.uom());
        out.append(" value=").append(s.value()).append(' ').append(precision.toEpoch(s.timestamp())).append('\n');
    }

    private static void tag(StringBuilder out, String key, @org.jspecify.annotations.Nullable String value) {
        if (value != null && !value.isBlank()) {
            out.append(',').append(key).append('=');
            escape(out, value, true);
        }
    }
}
