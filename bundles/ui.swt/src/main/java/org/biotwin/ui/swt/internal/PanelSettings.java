package org.biotwin.ui.swt.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the panel shows: the charted observables, which plant tag is the measurement of which observable, and the
 * refresh period. Immutable; parsed once, with a clear error naming the bad entry.
 *
 * @param variables      observables to chart, in order (model observable names, as in the prediction bands)
 * @param measuredTags   tag → observable; a tag with an observable's own name needs no entry
 * @param refreshMillis  live-update period, ms
 */
public record PanelSettings(List<String> variables, Map<String, String> measuredTags, int refreshMillis) {

    /** The CHO defaults: tags as the virtual plant publishes them. */
    public static final PanelSettings DEFAULTS = parse(new String[] {"titre", "VCD", "glucose", "volume"},
            new String[] {"titre_lab=titre", "VCD_lab=VCD", "GLC_lab=glucose"}, 2000);

    public PanelSettings {
        variables = List.copyOf(variables);
        measuredTags = Map.copyOf(measuredTags);
        if (variables.isEmpty() || variables.size() > 6) {
            throw new IllegalArgumentException("Panel variables: 1 to 6 charts, got " + variables.size());
        }
        if (refreshMillis < 200 || refreshMillis > 600_000) {
            throw new IllegalArgumentException("Panel refresh: 200 to 600000 ms, got " + refreshMillis);
        }
    }

    /** Parses {@code tag=observable} entries. */
    public static PanelSettings parse(String[] variables, String[] tags, int refreshMillis) {
        List<String> v = new ArrayList<>();
        for (String s : variables) {
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException("Panel variables: empty entry in " + List.of(variables));
            }
            v.add(s.trim());
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String e : tags) {
            int eq = e == null ? -1 : e.indexOf('=');
            if (eq <= 0 || eq == e.length() - 1) {
                throw new IllegalArgumentException("Panel measured tag '" + e + "': expected tag=observable");
            }
            m.put(e.substring(0, eq).trim(), e.substring(eq + 1).trim());
        }
        return new PanelSettings(v, m, refreshMillis);
    }

    /** The tags measuring an observable: the mapped ones, then the observable's own name. */
    List<String> tagsOf(String observable) {
        List<String> out = new ArrayList<>();
        measuredTags.forEach((tag, obs) -> {
            if (obs.equals(observable)) {
                out.add(tag);
            }
        });
        out.add(observable);
        return out;
    }
}
