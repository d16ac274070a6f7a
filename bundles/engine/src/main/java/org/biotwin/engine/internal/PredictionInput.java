package org.biotwin.engine.internal;

import java.util.Map;
import org.biotwin.api.twin.Lineage;
import org.biotwin.api.twin.PlanningBasis;

/**
 * A consistent snapshot of a twin from which a prediction is computed off the sample thread. Immutable.
 *
 * @param basis              the batch from the current estimate, in the base model's terms
 * @param parameterSd        standard deviations of the parameters adapted online, by name
 * @param ensembleSize       Monte Carlo members
 * @param lineage            lineage of the estimate
 */
record PredictionInput(PlanningBasis basis, Map<String, Double> parameterSd, int ensembleSize, Lineage lineage) {
    PredictionInput {
        parameterSd = Map.copyOf(parameterSd);
    }
}
