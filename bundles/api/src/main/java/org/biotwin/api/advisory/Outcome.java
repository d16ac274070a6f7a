package org.biotwin.api.advisory;

import java.util.List;
import java.util.Map;
import org.biotwin.api.twin.PredictionBand;

/**
 * The predicted outcome of running a batch to harvest under one plan, over a Monte Carlo ensemble. Immutable.
 *
 * @param objective      name of the objective, for example {@code product mass (titre x volume)}
 * @param objectiveUnit  its unit, for example {@code g}
 * @param p05            5 % quantile of the objective at harvest
 * @param p50            median
 * @param p95            95 % quantile
 * @param violationRisk  probability (fraction of members) of violating each constraint, by its description
 * @param trajectories   predicted bands of the key variables (titre, glucose, volume, VCD where the model has them)
 * @param harvestAge     harvest age of this plan, h
 */
public record Outcome(String objective, String objectiveUnit, double p05, double p50, double p95,
        Map<String, Double> violationRisk, List<PredictionBand> trajectories, double harvestAge) {
    public Outcome {
        violationRisk = Map.copyOf(violationRisk);
        trajectories = List.copyOf(trajectories);
    }
}
