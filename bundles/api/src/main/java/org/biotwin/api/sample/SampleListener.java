package org.biotwin.api.sample;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard listener for accepted plant samples. Register an implementation as an OSGi service; the data path
 * delivers to every registered listener.
 * <p>
 * Service property {@value #UNITS} (String or String[]) restricts delivery to those units; absent means all units.
 * <p>
 * Service property {@value #DURABLE} ({@code Boolean.TRUE} or {@code "true"}) declares a listener that has stored
 * the samples durably when {@link #onSamples} returns (a historian). The data path then acknowledges a sample to its
 * source (for MQTT: the PUBACK to the broker) only after every durable listener has returned for it, and takes an
 * exception from a durable listener to mean "not stored": it delivers the same samples again after a pause, and
 * meanwhile acknowledges nothing after them. For other listeners the data path acknowledges once the samples are
 * queued for them, and an exception counts (logged) as delivered.
 * <p>
 * Delivery is from a dedicated thread per listener through a bounded queue: a listener may take its time, but a
 * listener that falls behind the queue bound sees back-pressure counted by the data path, never a silent loss. Within
 * one unit, samples arrive in the order in which they were accepted.
 */
@ConsumerType
public interface SampleListener {

    /** Service property: units this listener wants. */
    String UNITS = "biotwin.units";

    /** Service property: this listener stores durably before {@link #onSamples} returns (see the type's doc). */
    String DURABLE = "biotwin.durable";

    /**
     * Called with one or more accepted samples.
     *
     * @param samples never empty; the list must not be modified or retained beyond the call
     */
    void onSamples(List<Sample> samples);
}
