package org.biotwin.connector.mqtt.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The declared units and, per unit, its tags with their UCUM units. Immutable. */
final class TagCatalog {

    private final Map<String, Map<String, String>> declared;

    TagCatalog(Map<String, Map<String, String>> declared) {
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        declared.forEach((u, m) -> copy.put(u, Map.copyOf(m)));
        this.declared = Map.copyOf(copy);
    }

    boolean hasUnit(String unit) {
        return declared.containsKey(unit);
    }

    /** The declared UCUM unit of a tag, or {@code null} if the tag is not declared for the unit. */
    @Nullable String uomOf(String unit, String tag) {
        Map<String, String> m = declared.get(unit);
        return m == null ? null : m.get(tag);
    }

    Set<String> units() {
        return declared.keySet();
    }

    int tagCount() {
        return declared.values().stream().mapToInt(Map::size).sum();
    }
}
