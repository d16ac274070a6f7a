package org.biotwin.softsensor.internal;

import org.biotwin.api.estimation.Observation;
import org.hipparchus.filtering.kalman.Measurement;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.RealVector;

/** One observation as a Hipparchus measurement, with the index of what it observes. Immutable. */
final class ScalarMeasurement implements Measurement {

    final Observation observation;
    /** Index into the model's observables, or -1 when {@link #stateIndex} is used. */
    final int observableIndex;
    /** Index of a directly observed state, or -1. */
    final int stateIndex;
    private final RealVector value;
    private final RealMatrix covariance;

    ScalarMeasurement(Observation observation, int observableIndex, int stateIndex) {
        this.observation = observation;
        this.observableIndex = observableIndex;
        this.stateIndex = stateIndex;
        this.value = MatrixUtils.createRealVector(new double[] {observation.value()});
        double sd = observation.standardDeviation();
        this.covariance = MatrixUtils.createRealMatrix(new double[][] {{sd * sd}});
    }

    @Override
    public double getTime() {
        return observation.time();
    }

    @Override
    public RealVector getValue() {
        return value;
    }

    @Override
    public RealMatrix getCovariance() {
        return covariance;
    }
}
