package org.biotwin.kinetics.internal.sim;

/**
 * Collects the state at the requested output times while the integrators sweep forward. Every stored state has its
 * non-negative components projected to zero (round-off below zero is never reported).
 * <p>
 * Not thread-safe: one instance belongs to one simulation run.
 */
final class OutputRecorder {

    private final double[] times;
    private final double[][] states;
    private final boolean[] nonNegative;
    private int next;

    OutputRecorder(double[] times, int n, boolean[] nonNegative) {
        this.times = times;
        this.states = new double[times.length][n];
        this.nonNegative = nonNegative;
    }

    /** Whether an output time is still pending before {@code limit} (h), exclusive. */
    boolean pendingBefore(double limit) {
        return next < times.length && times[next] < limit;
    }

    /** Whether an output time is still pending at or before {@code limit} (h). */
    boolean pendingAtOrBefore(double limit) {
        return next < times.length && times[next] <= limit;
    }

    /** The next pending output time, h. */
    double nextTime() {
        return times[next];
    }

    /** Stores {@code y} as the state at the next pending output time. */
    void record(double[] y) {
        double[] row = states[next++];
        for (int i = 0; i < row.length; i++) {
            double v = y[i];
            row[i] = nonNegative[i] && v < 0 ? 0 : v;
        }
    }

    /** Output slot of the next pending time, for integrators that interpolate in place. */
    double[] nextSlot() {
        return states[next];
    }

    /** Completes an in-place {@link #nextSlot()} write. */
    void commitSlot() {
        double[] row = states[next++];
        for (int i = 0; i < row.length; i++) {
            if (nonNegative[i] && row[i] < 0) {
                row[i] = 0;
            }
        }
    }

    int recorded() {
        return next;
    }

    double[] times() {
        return times;
    }

    double[][] states() {
        return states;
    }
}
