package org.biotwin.api.historian;

import java.util.List;
import java.util.Objects;

/**
 * The history of one tag of one ISA-88 unit, oldest first, as read back from the historian. Immutable.
 *
 * @param unitId ISA-88 unit
 * @param tag    measured variable
 * @param uom    UCUM unit of measure of the values (the last one recorded, if it ever changed)
 * @param points values in ascending time order, at most one per instant
 */
public record Series(String unitId, String tag, String uom, List<SeriesPoint> points) {

    public Series {
        Objects.requireNonNull(unitId, "unitId");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(uom, "uom");
        points = List.copyOf(points);
    }

    /** Number of points. */
    public int size() {
        return points.size();
    }

    /** The values as an array, in time order (convenient for fitting). */
    public double[] values() {
        double[] v = new double[points.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = points.get(i).value();
        }
        return v;
    }
}
