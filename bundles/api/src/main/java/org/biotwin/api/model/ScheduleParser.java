package org.biotwin.api.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The text form of an operating schedule ({@link OperatingSchedule#parse}): one recipe string configures the twin
 * engine's {@code schedule} and the virtual plant's. Entries separated by {@code ;}:
 * <pre>
 *   profile:F_feed=0@0,1.25@72               piecewise-constant input: value@batch-age-h, ...
 *   bolus:72=50{GLC=300,GLN=40}              bolus at 72 h of 50 L with this content (per state, state unit)
 *   withdrawal:24=0.01                       0.01 L removed at 24 h
 * </pre>
 * Errors name the entry and what is wrong. Stateless.
 */
final class ScheduleParser {

    private ScheduleParser() {
    }

    static OperatingSchedule parse(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return OperatingSchedule.NONE;
        }
        List<InputProfile> profiles = new ArrayList<>();
        List<ProcessEvent> events = new ArrayList<>();
        for (String raw : text.split(";")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            try {
                if (entry.startsWith("profile:")) {
                    profiles.add(profile(entry.substring(8)));
                } else if (entry.startsWith("bolus:")) {
                    events.add(bolus(entry.substring(6)));
                } else if (entry.startsWith("withdrawal:")) {
                    String[] kv = entry.substring(11).split("=", 2);
                    if (kv.length != 2) {
                        throw new IllegalArgumentException("expected withdrawal:<h>=<L>");
                    }
                    events.add(new ProcessEvent.Withdrawal(num(kv[0]), num(kv[1])));
                } else {
                    throw new IllegalArgumentException("unknown kind (profile:, bolus:, withdrawal:)");
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("schedule entry '" + entry + "': " + e.getMessage(), e);
            }
        }
        return new OperatingSchedule(profiles, events);
    }

    private static InputProfile profile(String body) {
        String[] kv = body.split("=", 2);
        if (kv.length != 2) {
            throw new IllegalArgumentException("expected <input>=<value>@<h>,...");
        }
        String[] points = kv[1].split(",");
        double[] times = new double[points.length];
        double[] values = new double[points.length];
        for (int i = 0; i < points.length; i++) {
            String[] vt = points[i].split("@");
            if (vt.length != 2) {
                throw new IllegalArgumentException("'" + points[i] + "' is not <value>@<h>");
            }
            values[i] = num(vt[0]);
            times[i] = num(vt[1]);
        }
        return new InputProfile(kv[0].trim(), times, values);
    }

    private static ProcessEvent.Bolus bolus(String body) {
        int brace = body.indexOf('{');
        String head = brace < 0 ? body : body.substring(0, brace);
        String[] kv = head.split("=", 2);
        if (kv.length != 2) {
            throw new IllegalArgumentException("expected <h>=<L>{state=content,...}");
        }
        Map<String, Double> content = new LinkedHashMap<>();
        if (brace >= 0) {
            if (!body.endsWith("}")) {
                throw new IllegalArgumentException("missing '}'");
            }
            for (String c : body.substring(brace + 1, body.length() - 1).split(",")) {
                if (c.isBlank()) {
                    continue;
                }
                String[] sc = c.split("=", 2);
                if (sc.length != 2) {
                    throw new IllegalArgumentException("'" + c + "' is not state=content");
                }
                content.put(sc[0].trim(), num(sc[1]));
            }
        }
        return new ProcessEvent.Bolus(num(kv[0]), num(kv[1]), content);
    }

    private static double num(String s) {
        double v;
        try {
            v = Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s.trim() + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("'" + s.trim() + "' is not finite");
        }
        return v;
    }
}
