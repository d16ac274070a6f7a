package org.biotwin.api.twin;

import java.time.Instant;
import java.util.Objects;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.OperatingSchedule;
import org.jspecify.annotations.Nullable;

/**
 * Everything needed to simulate a twin's batch forward from its current estimate: what-if simulations and the
 * advisor's optimisations start here. Arrays are copied. Immutable.
 *
 * @param unitId      ISA-88 unit
 * @param batchId     batch, {@code null} without batch record context
 * @param batchStart  time zero of the batch
 * @param model       the model the twin runs (parameters adapted online are already in {@code parameters})
 * @param parameters  the model's parameter vector, current estimates included
 * @param batchAge    batch age of the estimate, h
 * @param mean        state estimate, in the model's state order
 * @param covariance  its covariance
 * @param schedule    planned operation from now to harvest
 * @param harvestAge  planned harvest age, h
 */
public record PlanningBasis(String unitId, @Nullable String batchId, Instant batchStart, KineticModel model,
        double[] parameters, double batchAge, double[] mean, double[][] covariance, OperatingSchedule schedule,
        double harvestAge) {

    public PlanningBasis {
        Objects.requireNonNull(unitId, "unitId");
        Objects.requireNonNull(batchStart, "batchStart");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(schedule, "schedule");
        int n = model.states().size();
        if (mean.length != n || covariance.length != n || parameters.length != model.parameters().size()) {
            throw new IllegalArgumentException("Planning basis of " + unitId + ": dimensions do not match "
                    + model.descriptor().coordinates());
        }
        parameters = parameters.clone();
        mean = mean.clone();
        double[][] c = new double[n][];
        for (int i = 0; i < n; i++) {
            c[i] = covariance[i].clone();
        }
        covariance = c;
    }

    @Override
    public double[] parameters() {
        return parameters.clone();
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[][] covariance() {
        double[][] c = new double[covariance.length][];
        for (int i = 0; i < c.length; i++) {
            c[i] = covariance[i].clone();
        }
        return c;
    }

    /** The instant of a batch age. */
    public Instant at(double age) {
        return batchStart.plusMillis(Math.round(age * 3.6e6));
    }
}
