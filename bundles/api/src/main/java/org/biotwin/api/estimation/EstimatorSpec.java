package org.biotwin.api.estimation;

import java.util.Objects;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.OperatingSchedule;

/**
 * What an estimator session filters. Arrays are copied. Immutable.
 *
 * @param model               the kinetic model
 * @param parameters          parameter vector of the model
 * @param startTime           batch age of the initial estimate, h
 * @param initialMean         initial state estimate
 * @param initialCovariance   initial estimate covariance
 * @param processNoise        absolute process noise intensity per state, (state unit)^2 per h: the variance a
 *                            state's model error adds per hour of prediction
 * @param relativeProcessNoise relative process noise per state, per square-root hour: state i also gains variance
 *                            {@code (relativeProcessNoise_i·x_i)²} per hour, so model error scales with the state (a
 *                            titre that starts at zero still becomes uncertain as it grows)
 * @param schedule            planned or recorded inputs and events
 * @param kind                EKF or UKF
 * @param historyHours        how far back late (out-of-sequence) observations are re-filtered at their own time, h
 * @param gateSigma           innovation gate: an observation whose normalised innovation exceeds this many standard
 *                            deviations is rejected as an outlier (and reported), not fused
 */
public record EstimatorSpec(KineticModel model, double[] parameters, double startTime, double[] initialMean,
        double[][] initialCovariance, double[] processNoise, double[] relativeProcessNoise, OperatingSchedule schedule,
        FilterKind kind, double historyHours, double gateSigma) {

    public EstimatorSpec {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(kind, "kind");
        int n = model.states().size();
        String id = model.descriptor().coordinates();
        if (initialMean.length != n || initialCovariance.length != n || processNoise.length != n
                || relativeProcessNoise.length != n) {
            throw new IllegalArgumentException("Estimator for " + id + ": expected " + n + " states, got mean "
                    + initialMean.length + ", covariance " + initialCovariance.length + ", process noise "
                    + processNoise.length + ", relative process noise " + relativeProcessNoise.length);
        }
        for (int i = 0; i < n; i++) {
            if (!(processNoise[i] >= 0) || !(relativeProcessNoise[i] >= 0)) {
                throw new IllegalArgumentException("Estimator for " + id + ": process noise of state '"
                        + model.states().get(i).name() + "' must be >= 0");
            }
        }
        if (parameters.length != model.parameters().size()) {
            throw new IllegalArgumentException("Estimator for " + id + ": expected " + model.parameters().size()
                    + " parameters, got " + parameters.length);
        }
        if (!(historyHours >= 0) || !(gateSigma > 0)) {
            throw new IllegalArgumentException("Estimator for " + id + ": history must be >= 0 h and gate > 0");
        }
        parameters = parameters.clone();
        initialMean = initialMean.clone();
        processNoise = processNoise.clone();
        relativeProcessNoise = relativeProcessNoise.clone();
        double[][] c = new double[n][];
        for (int i = 0; i < n; i++) {
            if (initialCovariance[i].length != n) {
                throw new IllegalArgumentException("Estimator for " + id + ": covariance row " + i + " has "
                        + initialCovariance[i].length + " columns");
            }
            c[i] = initialCovariance[i].clone();
        }
        initialCovariance = c;
    }

    @Override
    public double[] parameters() {
        return parameters.clone();
    }

    @Override
    public double[] initialMean() {
        return initialMean.clone();
    }

    @Override
    public double[][] initialCovariance() {
        double[][] c = new double[initialCovariance.length][];
        for (int i = 0; i < c.length; i++) {
            c[i] = initialCovariance[i].clone();
        }
        return c;
    }

    @Override
    public double[] processNoise() {
        return processNoise.clone();
    }

    @Override
    public double[] relativeProcessNoise() {
        return relativeProcessNoise.clone();
    }

    /** A short description of the filter settings, for lineage records. */
    public String describe() {
        return kind + "(history=" + historyHours + "h,gate=" + gateSigma + "sigma)";
    }
}
