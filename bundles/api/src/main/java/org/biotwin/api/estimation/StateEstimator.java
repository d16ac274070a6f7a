package org.biotwin.api.estimation;

import org.osgi.annotation.versioning.ProviderType;

/** Opens filter sessions over kinetic models. Thread-safe. */
@ProviderType
public interface StateEstimator {

    /**
     * Opens a session.
     *
     * @throws IllegalArgumentException if the spec is inconsistent with its model (names, dimensions, a covariance
     *                                  that is not symmetric positive semi-definite)
     */
    EstimatorSession open(EstimatorSpec spec);
}
