package org.biotwin.engine.internal;

import org.biotwin.api.sample.Sample;
import org.biotwin.api.twin.Prediction;
import org.biotwin.api.twin.TwinState;

/** Where a twin's results go (historian, MQTT, audit trail, log). Implementations must not throw. */
interface TwinOutputs {

    /** A new state estimate. */
    void estimate(TwinState state);

    /** A new end-of-batch prediction. */
    void prediction(Prediction prediction);

    /** An alarm: model drift, no model, a swap. Raised once per episode. */
    void alarm(String unit, String kind, String message);

    /** A sample excluded from estimation, with the reason. */
    void exclusion(Sample sample, String reason);
}
