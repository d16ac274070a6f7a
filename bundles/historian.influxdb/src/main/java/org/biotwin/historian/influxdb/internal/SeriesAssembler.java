package org.biotwin.historian.influxdb.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.biotwin.api.historian.Series;
import org.biotwin.api.historian.SeriesPoint;
import org.biotwin.api.sample.Quality;
import org.jspecify.annotations.Nullable;

/** Collects rows of any dialect into series, one per unit and tag, ordered by unit, tag and time. Not thread-safe. */
final class SeriesAssembler {

    private static final class Acc {
        final String unit;
        final String tag;
        String uom = "";
        final List<SeriesPoint> points = new ArrayList<>();

        Acc(String unit, String tag) {
            this.unit = unit;
            this.tag = tag;
        }
    }

    private final Map<String, Acc> series = new TreeMap<>();

    void add(String unit, String tag, Instant time, double value, @Nullable String uom, @Nullable String quality,
            @Nullable String batch, @Nullable String phase) {
        Acc a = series.computeIfAbsent(unit + '\u0000' + tag, k -> new Acc(unit, tag));
        if (uom != null && !uom.isEmpty()) {
            a.uom = uom;
        }
        a.points.add(new SeriesPoint(time, value, quality(quality), blankToNull(batch), blankToNull(phase)));
    }

    List<Series> result() {
        List<Series> out = new ArrayList<>(series.size());
        for (Acc a : series.values()) {
            a.points.sort(Comparator.comparing(SeriesPoint::time));
            out.add(new Series(a.unit, a.tag, a.uom, a.points));
        }
        return out;
    }

    private static Quality quality(@Nullable String q) {
        if (q == null || q.isBlank()) {
            return Quality.UNCERTAIN; // not written by this bundle, which always records quality
        }
        try {
            return Quality.valueOf(q.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            // Written by another tool: do not guess that an unknown quality is usable.
            return Quality.UNCERTAIN;
        }
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
