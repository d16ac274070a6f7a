package org.biotwin.softsensor.internal;

import org.biotwin.api.estimation.Observation;
import org.hipparchus.filtering.kalman.Measurement;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.RealVector;

/**
 * One observation as a Hipparchus measurement, with the index of what it observes. Immutable. The vector and matrix
 * views are built on demand: a filter keeps hours of observations for out-of-sequence re-filtering, and they would
 * triple the memory per observation.
 */
final class ScalarMeasurement implements Measurement {

    final Observation observation;
    /** Index into the model's observables, or -1 when {@link #stateIndex} is used. */
    final int observableIndex;
    /** Index of a directly observed state, or -1. */
    final int stateIndex;

    ScalarMeasurement(Observation observation, int observableIndex, int stateIndex) {
        this.observation = observation;
        this.observableIndex = observableIndex;
        this.stateIndex = stateIndex;
    }

    @Override
    public double getTime() {
        return observation.time();
    }

    @Override
    public RealVector getValue() {
        return MatrixUtils.createRealVector(new double[] {observation.value()});
    }

    @Override
    public RealMatrix getCovariance() {
        double sd = observation.standardDeviation();
        return MatrixUtils.createRealMatrix(new double[][] {{sd * sd}});
    }
}
