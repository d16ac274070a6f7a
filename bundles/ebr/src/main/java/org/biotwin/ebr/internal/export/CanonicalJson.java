package org.biotwin.ebr.internal.export;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Canonical JSON for hashing exported records: object keys sorted by UTF-16 code units, no insignificant whitespace,
 * strings escaped minimally (Jackson's encoder: {@code " \\} and control characters), integers in decimal. For
 * documents without floating-point numbers (exports hold every value as a string) this is the JSON Canonicalization
 * Scheme of RFC 8785. Stateless and thread-safe.
 */
public final class CanonicalJson {

    private CanonicalJson() {
    }

    public static String write(JsonNode n) {
        StringBuilder sb = new StringBuilder(4096);
        write(n, sb);
        return sb.toString();
    }

    private static void write(JsonNode n, StringBuilder sb) {
        if (n.isObject()) {
            List<String> keys = new ArrayList<>();
            for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
                keys.add(it.next());
            }
            keys.sort(null);
            sb.append('{');
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                string(keys.get(i), sb);
                sb.append(':');
                write(n.get(keys.get(i)), sb);
            }
            sb.append('}');
        } else if (n.isArray()) {
            sb.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(n.get(i), sb);
            }
            sb.append(']');
        } else if (n.isTextual()) {
            string(n.textValue(), sb);
        } else if (n.isNull() || n.isMissingNode()) {
            sb.append("null");
        } else if (n.isIntegralNumber() || n.isBoolean()) {
            sb.append(n.asText());
        } else {
            throw new IllegalArgumentException("Canonical JSON here holds no floating-point numbers: " + n);
        }
    }

    private static void string(String s, StringBuilder sb) {
        sb.append('"');
        sb.append(JsonStringEncoder.getInstance().quoteAsString(s));
        sb.append('"');
    }
}
