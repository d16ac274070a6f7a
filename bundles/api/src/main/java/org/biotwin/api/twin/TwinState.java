package org.biotwin.api.twin;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A twin's state estimate at one instant: mean and covariance over the model's states. Immutable; arrays are copied.
 *
 * @param unitId     ISA-88 unit
 * @param batchId    batch, {@code null} when no batch record context is available
 * @param time       time of the estimate (time of the last sample used)
 * @param batchAge   batch age at {@code time}, h
 * @param stateNames names of the states, in the model's order
 * @param units      UCUM units of the states
 * @param mean       estimated state
 * @param covariance estimate covariance, symmetric positive semi-definite
 * @param lineage    model, estimator and samples behind the estimate
 */
public record TwinState(String unitId, @Nullable String batchId, Instant time, double batchAge,
        List<String> stateNames, List<String> units, double[] mean, double[][] covariance, Lineage lineage) {

    public TwinState {
        Objects.requireNonNull(unitId, "unitId");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(lineage, "lineage");
        stateNames = List.copyOf(stateNames);
        units = List.copyOf(units);
        int n = stateNames.size();
        if (units.size() != n || mean.length != n || covariance.length != n) {
            throw new IllegalArgumentException("Twin state of " + unitId + ": " + n + " names, " + units.size()
                    + " units, " + mean.length + " means, " + covariance.length + " covariance rows");
        }
        mean = mean.clone();
        double[][] c = new double[n][];
        for (int i = 0; i < n; i++) {
            if (covariance[i].length != n) {
                throw new IllegalArgumentException("Twin state of " + unitId + ": covariance row " + i + " has "
                        + covariance[i].length + " columns, expected " + n);
            }
            c[i] = covariance[i].clone();
        }
        covariance = c;
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

    /** Mean of a state by name. */
    public double mean(String state) {
        return mean[index(state)];
    }

    /** Standard deviation of a state by name. */
    public double standardDeviation(String state) {
        int i = index(state);
        return Math.sqrt(Math.max(0, covariance[i][i]));
    }

    private int index(String state) {
        int i = stateNames.indexOf(state);
        if (i < 0) {
            throw new IllegalArgumentException("Twin of " + unitId + " has no state '" + state + "'");
        }
        return i;
    }
}
