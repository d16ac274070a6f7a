package org.biotwin.api.estimation;

/**
 * Limits of a signal screen. Immutable.
 *
 * @param window          number of recent values for the spike statistics (median and MAD), >= 5
 * @param spikeLimit      robust z-score above which a value is a spike (|x − median| / (1.4826·MAD)); 5 is usual
 * @param freezeCount     number of consecutive identical values (within {@code freezeTolerance}) that make a freeze
 * @param freezeTolerance absolute difference below which two values count as identical, in the signal's unit
 * @param maxGap          longest allowed interval between two values, h
 * @param driftSlack      CUSUM reference value k, in standard deviations of the innovation (0.5 detects a 1σ shift)
 * @param driftLimit      CUSUM decision interval h, in standard deviations (4 to 5 is usual; Montgomery, Introduction
 *                        to Statistical Quality Control, 7th ed., §9.1)
 */
public record ScreenSettings(int window, double spikeLimit, int freezeCount, double freezeTolerance, double maxGap,
        double driftSlack, double driftLimit) {

    /** Defaults for a 1 Hz online signal. */
    public static final ScreenSettings ONLINE_1HZ = new ScreenSettings(31, 6, 120, 0, 60.0 / 3600, 0.5, 5);

    public ScreenSettings {
        if (window < 5 || !(spikeLimit > 0) || freezeCount < 2 || !(freezeTolerance >= 0) || !(maxGap > 0)
                || !(driftSlack >= 0) || !(driftLimit > 0)) {
            throw new IllegalArgumentException("Screen settings out of range: window >= 5, spike limit > 0, "
                    + "freeze count >= 2, freeze tolerance >= 0, max gap > 0 h, drift slack >= 0, drift limit > 0");
        }
    }
}
