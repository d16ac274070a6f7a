package org.biotwin.api.sample;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard listener for accepted plant samples. Register an implementation as an OSGi service; the data path
 * delivers to every registered listener.
 * <p>
 * Service property {@value #UNITS} (String or String[]) restricts delivery to those units; absent means all units.
 * <p>
 * Delivery is from a dedicated thread per listener through a bounded queue: a listener may take its time, but a
 * listener that falls behind the queue bound sees back-pressure counted by the data path, never a silent loss. Within
 * one unit, samples arrive in the order in which they were accepted.
 */
@ConsumerType
public interface SampleListener {

    /** Service property: units this listener wants. */
    String UNITS = "biotwin.units";

    /**
     * Called with one or more accepted samples.
     *
     * @param samples never empty; the list must not be modified or retained beyond the call
     */
    void onSamples(List<Sample> samples);
}
