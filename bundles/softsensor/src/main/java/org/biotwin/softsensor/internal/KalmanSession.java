package org.biotwin.softsensor.internal;

import java.util.ArrayList;
import java.util.List;
import org.biotwin.api.estimation.Estimate;
import org.biotwin.api.estimation.EstimatorSession;
import org.biotwin.api.estimation.EstimatorSpec;
import org.biotwin.api.estimation.FilterKind;
import org.biotwin.api.estimation.Observation;
import org.biotwin.api.estimation.UpdateResult;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.Observable;
import org.biotwin.api.model.OperatingSchedule;
import org.hipparchus.filtering.kalman.KalmanFilter;
import org.hipparchus.filtering.kalman.ProcessEstimate;
import org.hipparchus.filtering.kalman.extended.ExtendedKalmanFilter;
import org.hipparchus.filtering.kalman.extended.NonLinearEvolution;
import org.hipparchus.filtering.kalman.extended.NonLinearProcess;
import org.hipparchus.filtering.kalman.unscented.UnscentedEvolution;
import org.hipparchus.filtering.kalman.unscented.UnscentedKalmanFilter;
import org.hipparchus.filtering.kalman.unscented.UnscentedProcess;
import org.hipparchus.linear.MatrixDecomposer;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.QRDecomposer;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.RealVector;
import org.hipparchus.util.MerweUnscentedTransform;

/**
 * An extended or unscented Kalman filter over a kinetic model (Hipparchus filtering), fed one scalar observation at a
 * time, with exact handling of out-of-sequence observations by re-filtering.
 * <p>
 * <b>Prediction</b>: {@link ModelPropagator} (RK4 with the model's inputs and events); process noise
 * {@code Q = diag(q_i + (r_i·x_i)²)·Δt} (continuous white noise of intensity {@code q}, state unit²/h, plus a relative part
 * evaluated at the propagated state). <b>Correction</b>: Hipparchus
 * {@link ExtendedKalmanFilter} (measurement Jacobian by forward differences of the observable, or a unit row for a
 * directly observed state) or {@link UnscentedKalmanFilter} with Merwe's scaled sigma points. An innovation gate
 * rejects outliers: {@code ν²/S > gate²} leaves the estimate at its prediction and reports the rejection.
 * <p>
 * <b>Out-of-sequence observations</b> (a lab result that arrives hours after sampling): observations are kept, sorted
 * by sampling time, for the history window, with a checkpoint of the estimate every {@value #CHECKPOINT_EVERY}
 * observations. A late one is inserted at its sampling time and the filter re-runs from the checkpoint before it; the
 * result is identical to having received every observation in time order (the exact "re-filtering" solution, cf.
 * Bar-Shalom, IEEE Trans. AES 38 (2002) 769-778, which discusses cheaper approximations). Cost is the re-filtered
 * span; memory is bounded by the window and {@value #MAX_HISTORY} observations. Engines feeding 1 Hz signals should
 * fuse window means rather than every raw sample.
 * <p>
 * Not thread-safe: confine a session to one thread.
 */
final class KalmanSession implements EstimatorSession {

    static final int CHECKPOINT_EVERY = 32;
    static final int MAX_HISTORY = 100_000;

    private final EstimatorSpec spec;
    private final KineticModel model;
    private final ModelPropagator propagator;
    private final int n;
    private final double[] processNoise;
    private final double[] relativeProcessNoise;
    private final double[] parameters;
    private final double[] zWork;
    private final List<Observable> observables;
    private final MatrixDecomposer decomposer = new QRDecomposer(1e-15);

    private final ArrayList<ScalarMeasurement> history = new ArrayList<>();
    /** checkpoints.get(k): the estimate after the first {@code counts.get(k)} history entries. */
    private final ArrayList<ProcessEstimate> checkpoints = new ArrayList<>();
    private final ArrayList<Integer> counts = new ArrayList<>();

    private KalmanFilter<ScalarMeasurement> filter;
    private ProcessEstimate latest;

    // outcome of the last correction, written by the process callbacks
    private String rejection;
    private double innovation;
    private double innovationVariance;

    KalmanSession(EstimatorSpec spec) {
        this.spec = spec;
        this.model = spec.model();
        this.n = model.states().size();
        this.parameters = spec.parameters();
        this.processNoise = spec.processNoise();
        this.relativeProcessNoise = spec.relativeProcessNoise();
        this.observables = model.observables();
        this.zWork = new double[observables.size()];
        this.propagator = new ModelPropagator(model, parameters, spec.schedule(), ModelPropagator.DEFAULT_MAX_STEP);
        double[][] p0 = spec.initialCovariance();
        checkCovariance(p0);
        this.latest = new ProcessEstimate(spec.startTime(), MatrixUtils.createRealVector(spec.initialMean()),
                MatrixUtils.createRealMatrix(p0));
        checkpoints.add(latest);
        counts.add(0);
        this.filter = newFilter(latest);
    }

    @Override
    public EstimatorSpec spec() {
        return spec;
    }

    @Override
    public Estimate current() {
        return toEstimate(latest);
    }

    @Override
    public UpdateResult update(Observation observation) {
        ScalarMeasurement m = resolve(observation);
        double t = observation.time();
        if (t >= latest.getTime()) {
            processInOrder(m);
            history.add(m);
            maybeCheckpoint();
            prune();
            return result(false, 0);
        }
        double windowStart = checkpoints.get(0).getTime();
        if (t < windowStart) {
            return new UpdateResult(current(), false, "sampled at " + t + " h, before the re-filtering window that "
                    + "starts at " + windowStart + " h", Double.NaN, Double.NaN, true, 0);
        }
        return refilterWith(m);
    }

    @Override
    public Estimate predict(double time) {
        if (time < latest.getTime()) {
            throw new IllegalArgumentException("Cannot predict back in time: " + time + " h < " + latest.getTime()
                    + " h");
        }
        double[] x = latest.getState().toArray();
        double[][] stm = new double[n][n];
        propagator.propagate(latest.getTime(), x, time, stm);
        RealMatrix phi = MatrixUtils.createRealMatrix(stm);
        RealMatrix p = phi.multiply(latest.getCovariance()).multiplyTransposed(phi)
                .add(processNoiseMatrix(time - latest.getTime(), x));
        return new Estimate(time, x, p.getData());
    }

    @Override
    public void updateSchedule(OperatingSchedule schedule) {
        propagator.setSchedule(schedule);
        rerunFrom(0, null);
    }

    // ---- in-order processing ----

    private void processInOrder(ScalarMeasurement m) {
        rejection = null;
        innovation = Double.NaN;
        innovationVariance = Double.NaN;
        ProcessEstimate corrected = filter.estimationStep(m);
        checkFinite(corrected, m);
        latest = corrected;
    }

    private UpdateResult result(boolean outOfSequence, int refiltered) {
        return new UpdateResult(current(), rejection == null, rejection, innovation, innovationVariance,
                outOfSequence, refiltered);
    }

    private void maybeCheckpoint() {
        if (history.size() - counts.get(counts.size() - 1) >= CHECKPOINT_EVERY) {
            checkpoints.add(latest);
            counts.add(history.size());
        }
    }

    /** Drops history older than the window (or beyond the size bound), keeping a checkpoint as the new anchor. */
    private void prune() {
        double horizon = latest.getTime() - spec.historyHours();
        while (checkpoints.size() > 1
                && (checkpoints.get(1).getTime() < horizon || history.size() > MAX_HISTORY)) {
            int drop = counts.get(1);
            history.subList(0, drop).clear();
            checkpoints.remove(0);
            counts.remove(0);
            for (int k = 0; k < counts.size(); k++) {
                counts.set(k, counts.get(k) - drop);
            }
        }
    }

    // ---- out-of-sequence processing ----

    private UpdateResult refilterWith(ScalarMeasurement late) {
        int index = history.size();
        while (index > 0 && history.get(index - 1).getTime() > late.getTime()) {
            index--;
        }
        final int insertAt = index;
        history.add(insertAt, late);
        int refiltered = history.size() - insertAt - 1;
        UpdateResult[] lateResult = new UpdateResult[1];
        rerunFrom(insertAt, (i, r) -> {
            if (i == insertAt) {
                lateResult[0] = r;
            }
        });
        UpdateResult r = lateResult[0];
        return new UpdateResult(current(), r.fused(), r.rejection(), r.innovation(), r.innovationVariance(), true,
                refiltered);
    }

    private interface StepSink {
        void accept(int index, UpdateResult result);
    }

    /** Re-runs the filter from the last checkpoint at or before history index {@code from}. */
    private void rerunFrom(int from, StepSink sink) {
        int k = counts.size() - 1;
        while (counts.get(k) > from) {
            k--;
        }
        while (checkpoints.size() > k + 1) {
            checkpoints.remove(checkpoints.size() - 1);
            counts.remove(counts.size() - 1);
        }
        latest = checkpoints.get(k);
        filter = newFilter(latest);
        for (int i = counts.get(k); i < history.size(); i++) {
            processInOrder(history.get(i));
            if (sink != null) {
                sink.accept(i, result(false, 0));
            }
            if ((i + 1) - counts.get(counts.size() - 1) >= CHECKPOINT_EVERY) {
                checkpoints.add(latest);
                counts.add(i + 1);
            }
        }
    }

    // ---- filter construction ----

    private KalmanFilter<ScalarMeasurement> newFilter(ProcessEstimate start) {
        if (spec.kind() == FilterKind.UKF) {
            return new UnscentedKalmanFilter<>(decomposer, new UnscentedModelProcess(), start,
                    new MerweUnscentedTransform(n));
        }
        return new ExtendedKalmanFilter<>(decomposer, new ExtendedModelProcess(), start);
    }

    private final class ExtendedModelProcess implements NonLinearProcess<ScalarMeasurement> {
        @Override
        public NonLinearEvolution getEvolution(double previousTime, RealVector previousState, ScalarMeasurement m) {
            double[] x = previousState.toArray();
            double[][] stm = new double[n][n];
            propagator.propagate(previousTime, x, m.getTime(), stm);
            return new NonLinearEvolution(m.getTime(), MatrixUtils.createRealVector(x),
                    MatrixUtils.createRealMatrix(stm), processNoiseMatrix(m.getTime() - previousTime, x),
                    measurementJacobian(m, x));
        }

        @Override
        public RealVector getInnovation(ScalarMeasurement m, NonLinearEvolution evolution, RealMatrix s) {
            double predicted = predictedValue(m, evolution.getCurrentState().toArray());
            return gate(m, predicted, s.getEntry(0, 0));
        }
    }

    private final class UnscentedModelProcess implements UnscentedProcess<ScalarMeasurement> {
        @Override
        public UnscentedEvolution getEvolution(double previousTime, RealVector[] sigmaPoints, ScalarMeasurement m) {
            RealVector[] out = new RealVector[sigmaPoints.length];
            for (int i = 0; i < sigmaPoints.length; i++) {
                double[] x = sigmaPoints[i].toArray();
                propagator.propagate(previousTime, x, m.getTime(), null);
                out[i] = MatrixUtils.createRealVector(x);
            }
            return new UnscentedEvolution(m.getTime(), out);
        }

        @Override
        public RealMatrix getProcessNoiseMatrix(double previousTime, RealVector predictedState, ScalarMeasurement m) {
            return processNoiseMatrix(m.getTime() - previousTime, predictedState.toArray());
        }

        @Override
        public RealVector[] getPredictedMeasurements(RealVector[] sigmaPoints, ScalarMeasurement m) {
            RealVector[] z = new RealVector[sigmaPoints.length];
            for (int i = 0; i < sigmaPoints.length; i++) {
                z[i] = MatrixUtils.createRealVector(new double[] {predictedValue(m, sigmaPoints[i].toArray())});
            }
            return z;
        }

        @Override
        public RealVector getInnovation(ScalarMeasurement m, RealVector predictedMeasurement, RealVector predictedState,
                RealMatrix s) {
            return gate(m, predictedMeasurement.getEntry(0), s.getEntry(0, 0));
        }
    }

    private RealVector gate(ScalarMeasurement m, double predicted, double s) {
        innovation = m.observation.value() - predicted;
        innovationVariance = s;
        double gate = spec.gateSigma();
        if (!(innovation * innovation <= gate * gate * s)) {
            rejection = String.format("innovation %.4g of %s is %.1f standard deviations (gate %.1f)", innovation,
                    m.observation.observable(), Math.abs(innovation) / Math.sqrt(s), gate);
            return null;
        }
        return MatrixUtils.createRealVector(new double[] {innovation});
    }

    // ---- model helpers ----

    private ScalarMeasurement resolve(Observation o) {
        for (int j = 0; j < observables.size(); j++) {
            if (observables.get(j).name().equals(o.observable())) {
                return new ScalarMeasurement(o, j, -1);
            }
        }
        int s = model.stateIndex(o.observable());
        if (s >= 0) {
            return new ScalarMeasurement(o, -1, s);
        }
        throw new IllegalArgumentException(model.descriptor().coordinates() + " has no observable or state '"
                + o.observable() + "'");
    }

    private double predictedValue(ScalarMeasurement m, double[] x) {
        if (m.stateIndex >= 0) {
            return x[m.stateIndex];
        }
        model.observe(m.getTime(), x, parameters, propagator.inputsAt(m.getTime()), zWork);
        return zWork[m.observableIndex];
    }

    private RealMatrix measurementJacobian(ScalarMeasurement m, double[] x) {
        double[][] h = new double[1][n];
        if (m.stateIndex >= 0) {
            h[0][m.stateIndex] = 1;
            return MatrixUtils.createRealMatrix(h);
        }
        double z0 = predictedValue(m, x);
        double[] xp = x.clone();
        for (int j = 0; j < n; j++) {
            double dx = 1.5e-8 * Math.max(Math.abs(x[j]), 1e-3);
            xp[j] = x[j] + dx;
            h[0][j] = (predictedValue(m, xp) - z0) / dx;
            xp[j] = x[j];
        }
        return MatrixUtils.createRealMatrix(h);
    }

    /** {@code Q = diag(q_i + (r·x_i)²)·Δt}, with x the propagated state. */
    private RealMatrix processNoiseMatrix(double dt, double[] x) {
        RealMatrix q = MatrixUtils.createRealMatrix(n, n);
        for (int i = 0; i < n; i++) {
            double rel = relativeProcessNoise[i] * x[i];
            q.setEntry(i, i, (processNoise[i] + rel * rel) * Math.max(0, dt));
        }
        return q;
    }

    private Estimate toEstimate(ProcessEstimate e) {
        double[] x = e.getState().toArray();
        for (int i = 0; i < n; i++) {
            if (model.states().get(i).nonNegative() && x[i] < 0) {
                x[i] = 0;
            }
        }
        return new Estimate(e.getTime(), x, e.getCovariance().getData());
    }

    private void checkFinite(ProcessEstimate e, ScalarMeasurement m) {
        RealVector x = e.getState();
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(x.getEntry(i)) || !Double.isFinite(e.getCovariance().getEntry(i, i))) {
                throw new IllegalStateException("Filter over " + model.descriptor().coordinates()
                        + " diverged at state '" + model.states().get(i).name() + "' when fusing "
                        + m.observation.observable() + " at " + m.getTime() + " h");
            }
        }
    }

    private void checkCovariance(double[][] p) {
        for (int i = 0; i < n; i++) {
            if (!(p[i][i] >= 0)) {
                throw new IllegalArgumentException("Initial covariance of " + model.descriptor().coordinates()
                        + ": variance of '" + model.states().get(i).name() + "' is " + p[i][i]);
            }
            for (int j = 0; j < i; j++) {
                if (Math.abs(p[i][j] - p[j][i]) > 1e-12 * Math.max(1, Math.abs(p[i][j]))) {
                    throw new IllegalArgumentException("Initial covariance of " + model.descriptor().coordinates()
                            + " is not symmetric at (" + i + "," + j + ")");
                }
            }
        }
    }
}
