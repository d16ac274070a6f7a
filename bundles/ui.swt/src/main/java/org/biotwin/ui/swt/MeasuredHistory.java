package org.biotwin.ui.swt;

import java.time.Instant;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Recent accepted plant samples per unit and tag, bounded, as the panel's charts plot them ("measured"). This bundle
 * registers one as a service that listens to the sample whiteboard for every unit. Thread-safe.
 */
@ProviderType
public interface MeasuredHistory {

    /** One measured value. */
    record Point(Instant time, double value) {
    }

    /** The retained samples of a tag of a unit, oldest first; empty if none. */
    List<Point> series(String unitId, String tag);
}
