package org.biotwin.ui.swt.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.biotwin.api.sample.Sample;
import org.biotwin.api.sample.SampleListener;
import org.biotwin.ui.swt.MeasuredHistory;

/**
 * Bounded recent samples per unit and tag: a ring of the last {@code capacity} values of each series in primitive
 * arrays (16 bytes a value), so a panel open for weeks holds a fixed amount of memory. Thread-safe: one lock per
 * series; readers get copies.
 */
public final class SampleHistory implements MeasuredHistory, SampleListener {

    private final int capacity;
    private final Map<String, Ring> series = new ConcurrentHashMap<>();

    /** The last values of one series: epoch ms and value, oldest at {@code start}. */
    private static final class Ring {
        final long[] t;
        final double[] v;
        int start;
        int size;

        Ring(int capacity) {
            t = new long[capacity];
            v = new double[capacity];
        }

        void add(long ms, double value) {
            int i = (start + size) % t.length;
            if (size == t.length) {
                start = (start + 1) % t.length; // overwrite the oldest
            } else {
                size++;
            }
            t[i] = ms;
            v[i] = value;
        }
    }

    /** @param capacity values kept per unit and tag, at least 2 */
    public SampleHistory(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("Sample history capacity must be >= 2, was " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public void onSamples(List<Sample> samples) {
        for (Sample s : samples) {
            Ring r = series.computeIfAbsent(key(s.unitId(), s.tag()), k -> new Ring(capacity));
            synchronized (r) {
                r.add(s.timestamp().toEpochMilli(), s.value());
            }
        }
    }

    @Override
    public List<Point> series(String unitId, String tag) {
        Ring r = series.get(key(unitId, tag));
        if (r == null) {
            return List.of();
        }
        List<Point> out;
        synchronized (r) {
            out = new ArrayList<>(r.size);
            for (int k = 0; k < r.size; k++) {
                int i = (r.start + k) % r.t.length;
                out.add(new Point(Instant.ofEpochMilli(r.t[i]), r.v[i]));
            }
        }
        // Lab results arrive late and out of order; plot in sampling order.
        out.sort((a, b) -> a.time().compareTo(b.time()));
        return out;
    }

    private static String key(String unit, String tag) {
        return unit + '\u0000' + tag;
    }
}
