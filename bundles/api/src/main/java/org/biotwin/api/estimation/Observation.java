package org.biotwin.api.estimation;

import java.util.Objects;

/**
 * One measured value of a model observable, for a filter. Immutable.
 *
 * @param observable        name of a model observable (or of a state, which is observed directly)
 * @param time              batch age at which it was measured (sampling time, not arrival time), h
 * @param value             measured value in the observable's unit
 * @param standardDeviation measurement standard deviation in the same unit, > 0
 */
public record Observation(String observable, double time, double value, double standardDeviation) {
    public Observation {
        Objects.requireNonNull(observable, "observable");
        if (!Double.isFinite(time) || !Double.isFinite(value)) {
            throw new IllegalArgumentException("Observation of " + observable + ": non-finite time or value");
        }
        if (!(standardDeviation > 0) || !Double.isFinite(standardDeviation)) {
            throw new IllegalArgumentException("Observation of " + observable
                    + ": standard deviation must be finite and > 0, was " + standardDeviation);
        }
    }
}
