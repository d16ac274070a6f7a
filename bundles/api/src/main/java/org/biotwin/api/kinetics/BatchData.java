package org.biotwin.api.kinetics;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.biotwin.api.model.OperatingSchedule;

/**
 * The record of one batch as used for fitting and validation: its initial state, how it was operated and what was
 * measured. Immutable.
 *
 * @param batchId      batch identifier, used in error messages and reports
 * @param initialState state at {@code startTime}, in the model's state order and units
 * @param startTime    batch age at which {@code initialState} holds, h
 * @param schedule     feeds, setpoints, boluses and sampling withdrawals as operated
 * @param measurements at most one series per variable, every sample at or after {@code startTime}
 */
public record BatchData(String batchId, double[] initialState, double startTime, OperatingSchedule schedule,
        List<MeasurementSeries> measurements) {

    public BatchData {
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(schedule, "schedule");
        initialState = initialState.clone();
        measurements = List.copyOf(measurements);
        if (!Double.isFinite(startTime)) {
            throw new IllegalArgumentException("Batch " + batchId + ": start time " + startTime + " h is not finite");
        }
        if (measurements.isEmpty()) {
            throw new IllegalArgumentException("Batch " + batchId + ": no measurements");
        }
        Set<String> seen = new HashSet<>();
        for (MeasurementSeries m : measurements) {
            if (!seen.add(m.variable())) {
                throw new IllegalArgumentException("Batch " + batchId + ": two series for " + m.variable());
            }
            if (m.times()[0] < startTime) {
                throw new IllegalArgumentException("Batch " + batchId + ": measurement of " + m.variable() + " at "
                        + m.times()[0] + " h precedes the batch start " + startTime + " h");
            }
        }
        for (int i = 0; i < initialState.length; i++) {
            if (!Double.isFinite(initialState[i])) {
                throw new IllegalArgumentException("Batch " + batchId + ": initial state " + i + " is not finite");
            }
        }
    }

    /** Latest sampling time over all series, h. */
    public double endTime() {
        double end = startTime;
        for (MeasurementSeries m : measurements) {
            double[] t = m.times();
            end = Math.max(end, t[t.length - 1]);
        }
        return end;
    }

    /** Total number of samples. */
    public int sampleCount() {
        return measurements.stream().mapToInt(MeasurementSeries::size).sum();
    }

    @Override
    public double[] initialState() {
        return initialState.clone();
    }
}
