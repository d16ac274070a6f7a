package org.biotwin.softsensor.internal;

import java.util.Arrays;
import org.biotwin.api.estimation.ScreenSettings;
import org.biotwin.api.estimation.ScreenVerdict;
import org.biotwin.api.estimation.SensorFault;
import org.biotwin.api.estimation.SignalScreen;

/**
 * Sensor-fault screen of one signal.
 * <ul>
 * <li>Spike: robust z-score against the median and the median absolute deviation (MAD, scaled by 1.4826 to estimate σ
 * for normal noise) of the last {@code window} accepted values (Hampel identifier; Pearson, IEEE Trans. Control Syst.
 * Technol. 10 (2002) 55-63). Every value enters the window, so a level shift (a real process change, or a fault the
 * model must see) is excluded for at most half a window.</li>
 * <li>Freeze: {@code freezeCount} consecutive values within {@code freezeTolerance} of each other, on a signal that
 * was seen to move before; all values of a frozen run after the limit are excluded until the signal moves again.</li>
 * <li>Gap: the interval since the previous value exceeds {@code maxGap}; the value itself is accepted, the verdict
 * reports the gap once.</li>
 * <li>Drift: two-sided tabular CUSUM on normalised innovations with slack k and limit h (Page, Biometrika 41 (1954)
 * 100-115).</li>
 * </ul>
 * Cost: O(window log window) per value. Not thread-safe.
 */
final class RobustSignalScreen implements SignalScreen {

    private final String signal;
    private final ScreenSettings settings;
    private final double[] ring;
    private final double[] sorted;
    private int size;
    private int head;
    private double lastTime = Double.NaN;
    private double lastValue = Double.NaN;
    private int sameCount;
    private long changes;
    private double cusumHigh;
    private double cusumLow;
    private boolean drifting;

    RobustSignalScreen(String signal, ScreenSettings settings) {
        this.signal = signal;
        this.settings = settings;
        this.ring = new double[settings.window()];
        this.sorted = new double[settings.window()];
    }

    @Override
    public ScreenVerdict check(double time, double value) {
        if (!Double.isFinite(value) || !Double.isFinite(time)) {
            return new ScreenVerdict(false, SensorFault.SPIKE, signal + ": non-finite value " + value);
        }
        if (!Double.isNaN(lastTime) && time < lastTime) {
            throw new IllegalArgumentException(signal + ": value at " + time + " h is older than the previous one at "
                    + lastTime + " h");
        }
        ScreenVerdict gap = null;
        if (!Double.isNaN(lastTime) && time - lastTime > settings.maxGap()) {
            gap = new ScreenVerdict(true, SensorFault.GAP, String.format("%s: no value for %.1f s (limit %.1f s)",
                    signal, (time - lastTime) * 3600, settings.maxGap() * 3600));
        }
        lastTime = time;

        // freeze
        if (!Double.isNaN(lastValue) && Math.abs(value - lastValue) <= settings.freezeTolerance()) {
            sameCount++;
        } else {
            if (!Double.isNaN(lastValue)) {
                changes++;
            }
            sameCount = 1;
        }
        lastValue = value;
        // A run of identical values is only a fault on a signal that was seen to move (a noisy measurement); a
        // constant signal from the start is left alone.
        if (sameCount >= settings.freezeCount() && changes >= 3) {
            return new ScreenVerdict(false, SensorFault.FREEZE, String.format(
                    "%s: %d identical values (%.6g), the signal is frozen", signal, sameCount, value));
        }

        // spike
        // the median and MAD of a handful of values are too noisy to judge by: wait for half a window
        if (size >= Math.max(5, settings.window() / 2)) {
            double median = median();
            double mad = mad(median);
            double sigma = 1.4826 * mad;
            if (sigma > 0) {
                double z = Math.abs(value - median) / sigma;
                if (z > settings.spikeLimit()) {
                    // Kept in the window: the median shrugs off isolated spikes, and a genuine level shift becomes
                    // the new normal after half a window instead of being excluded for ever.
                    push(value);
                    return new ScreenVerdict(false, SensorFault.SPIKE, String.format(
                            "%s: value %.6g is %.1f robust standard deviations from the median %.6g (limit %.1f)",
                            signal, value, z, median, settings.spikeLimit()));
                }
            }
        }
        push(value);
        return gap != null ? gap : ScreenVerdict.OK;
    }

    @Override
    public ScreenVerdict checkInnovation(double time, double normalisedInnovation) {
        if (!Double.isFinite(normalisedInnovation)) {
            return ScreenVerdict.OK;
        }
        double k = settings.driftSlack();
        cusumHigh = Math.max(0, cusumHigh + normalisedInnovation - k);
        cusumLow = Math.max(0, cusumLow - normalisedInnovation - k);
        if (cusumHigh > settings.driftLimit() || cusumLow > settings.driftLimit() || drifting) {
            drifting = true;
            return new ScreenVerdict(false, SensorFault.DRIFT, String.format(
                    "%s: persistent %s bias against the model (CUSUM %.1f > %.1f) at %.3f h", signal,
                    cusumHigh >= cusumLow ? "positive" : "negative", Math.max(cusumHigh, cusumLow),
                    settings.driftLimit(), time));
        }
        return ScreenVerdict.OK;
    }

    @Override
    public void resetDrift() {
        cusumHigh = 0;
        cusumLow = 0;
        drifting = false;
    }

    private void push(double v) {
        ring[head] = v;
        head = (head + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
    }

    private double median() {
        System.arraycopy(ring, 0, sorted, 0, size);
        Arrays.sort(sorted, 0, size);
        return size % 2 == 1 ? sorted[size / 2] : 0.5 * (sorted[size / 2 - 1] + sorted[size / 2]);
    }

    private double mad(double median) {
        for (int i = 0; i < size; i++) {
            sorted[i] = Math.abs(ring[i] - median);
        }
        Arrays.sort(sorted, 0, size);
        return size % 2 == 1 ? sorted[size / 2] : 0.5 * (sorted[size / 2 - 1] + sorted[size / 2]);
    }
}
