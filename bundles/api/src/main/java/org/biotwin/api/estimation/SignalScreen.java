package org.biotwin.api.estimation;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Screens one signal for sensor faults. Not thread-safe: one screen per signal, used from one thread.
 */
@ProviderType
public interface SignalScreen {

    /**
     * Checks a new raw value for freeze, spike and gap. Values must come in time order.
     *
     * @param time  batch age, h
     * @param value the value
     */
    ScreenVerdict check(double time, double value);

    /**
     * Feeds the normalised innovation (innovation / its standard deviation) of an accepted value into the drift
     * CUSUM; returns a DRIFT verdict once the two-sided CUSUM crosses its limit, until {@link #resetDrift()}.
     */
    ScreenVerdict checkInnovation(double time, double normalisedInnovation);

    /** Clears the drift statistic, for example after recalibration. */
    void resetDrift();
}
