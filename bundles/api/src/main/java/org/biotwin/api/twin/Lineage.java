package org.biotwin.api.twin;

import java.time.Instant;
import java.util.Objects;

/**
 * Where an estimate or a prediction came from, so that every number can be traced (TwinOps lineage). Immutable.
 *
 * @param modelId          model id
 * @param modelVersion     model version
 * @param modelDigest      hex SHA-256 of the model bundle jar
 * @param estimator        estimator and its settings, for example {@code EKF(q=1e-4,r=diag)}
 * @param firstSample      time of the first sample used
 * @param lastSample       time of the last sample used
 * @param samplesUsed      number of samples used
 */
public record Lineage(String modelId, String modelVersion, String modelDigest, String estimator, Instant firstSample,
        Instant lastSample, long samplesUsed) {
    public Lineage {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(modelVersion, "modelVersion");
        Objects.requireNonNull(modelDigest, "modelDigest");
        Objects.requireNonNull(estimator, "estimator");
        Objects.requireNonNull(firstSample, "firstSample");
        Objects.requireNonNull(lastSample, "lastSample");
    }
}
