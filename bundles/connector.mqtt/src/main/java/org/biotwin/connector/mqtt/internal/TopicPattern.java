package org.biotwin.connector.mqtt.internal;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A topic pattern such as {@code plant/{unit}/{tag}}: literal levels and the placeholders {unit} and {tag}, each one
 * whole level. Immutable.
 */
record TopicPattern(String text, List<String> levels, int unitLevel, int tagLevel) {

    static TopicPattern parse(String text) {
        String[] parts = text.split("/", -1);
        int unit = -1;
        int tag = -1;
        List<String> levels = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String s = parts[i];
            if (s.equals("{unit}")) {
                if (unit >= 0) {
                    throw new IllegalArgumentException("'" + text + "' has {unit} twice");
                }
                unit = i;
            } else if (s.equals("{tag}")) {
                if (tag >= 0) {
                    throw new IllegalArgumentException("'" + text + "' has {tag} twice");
                }
                tag = i;
            } else if (s.isEmpty() || s.contains("+") || s.contains("#") || s.contains("{") || s.contains("}")) {
                throw new IllegalArgumentException("'" + text + "': level '" + s + "' must be a literal or {unit}/{tag}");
            }
            levels.add(s);
        }
        return new TopicPattern(text, List.copyOf(levels), unit, tag);
    }

    /** The MQTT subscription filter: placeholders become {@code +}. */
    String filter() {
        List<String> f = new ArrayList<>(levels);
        if (unitLevel >= 0) {
            f.set(unitLevel, "+");
        }
        if (tagLevel >= 0) {
            f.set(tagLevel, "+");
        }
        return String.join("/", f);
    }

    /** Matches a concrete topic; returns {unit, tag} (either may be null) or {@code null} if it does not match. */
    @Nullable String @Nullable [] match(String[] topicLevels) {
        if (topicLevels.length != levels.size()) {
            return null;
        }
        for (int i = 0; i < topicLevels.length; i++) {
            if (i != unitLevel && i != tagLevel && !levels.get(i).equals(topicLevels[i])) {
                return null;
            }
        }
        return new String[] {unitLevel >= 0 ? topicLevels[unitLevel] : null, tagLevel >= 0 ? topicLevels[tagLevel] : null};
    }

    @Override
    public String toString() {
        return text;
    }
}
