package org.biotwin.api.estimation;

/** The recursive filter an estimator session runs. */
public enum FilterKind {
    /** Extended Kalman filter: first-order linearisation of the model (Jacobian) at the current estimate. */
    EKF,
    /** Unscented Kalman filter: sigma points through the nonlinear model, no Jacobian needed. */
    UKF
}
