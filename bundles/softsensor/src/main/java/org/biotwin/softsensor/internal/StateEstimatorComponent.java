package org.biotwin.softsensor.internal;

import org.biotwin.api.estimation.EstimatorSession;
import org.biotwin.api.estimation.EstimatorSpec;
import org.biotwin.api.estimation.StateEstimator;
import org.osgi.service.component.annotations.Component;

/** Opens extended or unscented Kalman filter sessions over kinetic models. Thread-safe (stateless). */
@Component(service = StateEstimator.class)
public final class StateEstimatorComponent implements StateEstimator {

    @Override
    public EstimatorSession open(EstimatorSpec spec) {
        return new KalmanSession(spec);
    }
}
