package org.biotwin.softsensor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.biotwin.api.estimation.Estimate;
import org.biotwin.api.estimation.EstimatorSession;
import org.biotwin.api.estimation.EstimatorSpec;
import org.biotwin.api.estimation.FilterKind;
import org.biotwin.api.estimation.Observation;
import org.biotwin.api.estimation.UpdateResult;
import org.biotwin.api.model.InputProfile;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.api.model.ProcessEvent;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.nonstiff.DormandPrince853Integrator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KalmanSessionTest {

    private static final MonodTestModel MODEL = new MonodTestModel();
    private static final double[] TRUE_X0 = {0.5, 10, 2};
    /** Feed starts at 8 h, before the substrate runs out; a 50 mL bolus of feed at 12 h. */
    private static final OperatingSchedule SCHEDULE = new OperatingSchedule(
            List.of(new InputProfile("F", new double[] {0, 8}, new double[] {0, 0.01})),
            List.of(new ProcessEvent.Bolus(12, 0.05, java.util.Map.of("S", 200.0))));

    /** Truth by an independent integrator (Hipparchus DP853 at rtol 1e-10), with the bolus applied by hand. */
    static double[] truth(double t) {
        OrdinaryDifferentialEquation ode = new OrdinaryDifferentialEquation() {
            @Override
            public int getDimension() {
                return 3;
            }

            @Override
            public double[] computeDerivatives(double time, double[] y) {
                double[] d = new double[3];
                double f = time >= 8 ? 0.01 : 0;
                MODEL.derivatives(time, y, MonodTestModel.NOMINAL, new double[] {f}, d);
                return d;
            }
        };
        DormandPrince853Integrator dp = new DormandPrince853Integrator(0, 1, 1e-12, 1e-10);
        double[] y = TRUE_X0.clone();
        double[] stops = {8, 12};
        double t0 = 0;
        for (double stop : stops) {
            if (t <= stop) {
                return t == t0 ? y : dp.integrate(ode, new ODEState(t0, y), t).getPrimaryState();
            }
            y = dp.integrate(ode, new ODEState(t0, y), stop).getPrimaryState();
            t0 = stop;
            if (stop == 12) { // bolus: 0.05 L of 200 g/L substrate
                double v = y[2];
                y[0] = y[0] * v / (v + 0.05);
                y[1] = (y[1] * v + 200 * 0.05) / (v + 0.05);
                y[2] = v + 0.05;
            }
        }
        return t == t0 ? y : dp.integrate(ode, new ODEState(t0, y), t).getPrimaryState();
    }

    static double our(double t) {
        double[] z = new double[1];
        MODEL.observe(t, truth(t), MonodTestModel.NOMINAL, new double[] {t >= 8 ? 0.01 : 0}, z);
        return z[0];
    }

    private static EstimatorSpec spec(FilterKind kind) {
        double[] mean = {0.6, 9, 2}; // 20 % off in biomass, 10 % in substrate
        double[][] p0 = {{0.04, 0, 0}, {0, 4, 0}, {0, 0, 1e-6}};
        return new EstimatorSpec(MODEL, MonodTestModel.NOMINAL, 0, mean, p0, new double[] {1e-4, 1e-3, 1e-10}, new double[3],
                SCHEDULE, kind, 24, 5);
    }

    /** OUR every 0.1 h with 2 % noise, substrate every 2 h with 0.1 g/L noise, seeded. */
    static List<Observation> observations(long seed, double until) {
        Random rnd = new Random(seed);
        List<Observation> obs = new ArrayList<>();
        for (int k = 1; k * 0.1 <= until + 1e-9; k++) {
            double t = k * 0.1;
            double o = our(t);
            double sd = 0.02 * o + 0.05;
            obs.add(new Observation("OUR", t, o + sd * rnd.nextGaussian(), sd));
            if (k % 20 == 0) {
                obs.add(new Observation("S", t, truth(t)[1] + 0.1 * rnd.nextGaussian(), 0.1));
            }
        }
        return obs;
    }

    @ParameterizedTest
    @EnumSource(FilterKind.class)
    void estimatesConvergeToTheTruth(FilterKind kind) {
        EstimatorSession s = new StateEstimatorComponent().open(spec(kind));
        for (Observation o : observations(42, 16)) {
            s.update(o);
        }
        Estimate e = s.current();
        double[] truth = truth(16);
        assertThat(e.time()).isEqualTo(16.0, within(1e-9));
        assertThat(e.mean()[0]).as("biomass").isCloseTo(truth[0], within(0.05 * truth[0]));
        assertThat(e.mean()[2]).as("volume").isCloseTo(truth[2], within(1e-3));
        // the filter must be consistent: error within 3 standard deviations
        assertThat(Math.abs(e.mean()[0] - truth[0])).isLessThan(3 * e.standardDeviation(0) + 1e-3);
    }

    @Test
    void lateLabResultsGiveTheSameEstimateAsInOrderDelivery() {
        List<Observation> inOrder = observations(7, 16);
        // Deliver each substrate result 3 h after sampling, as a lab would.
        List<Observation> late = new ArrayList<>(inOrder);
        late.sort(Comparator.comparingDouble(o -> o.observable().equals("S") ? o.time() + 3 : o.time()));

        EstimatorSession a = new StateEstimatorComponent().open(spec(FilterKind.EKF));
        inOrder.forEach(a::update);
        EstimatorSession b = new StateEstimatorComponent().open(spec(FilterKind.EKF));
        int outOfSequence = 0;
        for (Observation o : late) {
            UpdateResult r = b.update(o);
            if (r.outOfSequence()) {
                outOfSequence++;
                assertThat(r.refiltered()).isPositive();
            }
        }
        assertThat(outOfSequence).isGreaterThan(3);
        double[] ma = a.current().mean();
        double[] mb = b.current().mean();
        for (int i = 0; i < 3; i++) {
            assertThat(mb[i]).isCloseTo(ma[i], within(1e-9 * Math.max(1, Math.abs(ma[i]))));
            assertThat(b.current().covariance()[i][i])
                    .isCloseTo(a.current().covariance()[i][i], within(1e-12 + 1e-9 * a.current().covariance()[i][i]));
        }
    }

    @Test
    void anOutlierIsGatedAndReported() {
        EstimatorSession s = new StateEstimatorComponent().open(spec(FilterKind.EKF));
        observations(3, 6).forEach(s::update);
        Estimate before = s.current();
        UpdateResult r = s.update(new Observation("OUR", 6.1, 1e4, 0.1));
        assertThat(r.fused()).isFalse();
        assertThat(r.rejection()).contains("OUR").contains("standard deviations");
        assertThat(r.normalisedInnovationSquared()).isGreaterThan(25);
        // the state moved only by prediction
        assertThat(r.estimate().mean()[0]).isCloseTo(s.predict(6.1).mean()[0], within(1e-12));
        assertThat(before.time()).isLessThan(r.estimate().time());
    }

    @Test
    void observationsOlderThanTheWindowAreRejectedWithTheReason() {
        EstimatorSpec sp = spec(FilterKind.EKF);
        EstimatorSpec shortWindow = new EstimatorSpec(sp.model(), sp.parameters(), 0, sp.initialMean(),
                sp.initialCovariance(), sp.processNoise(), sp.relativeProcessNoise(), sp.schedule(), FilterKind.EKF, 2, 5);
        EstimatorSession s = new StateEstimatorComponent().open(shortWindow);
        observations(5, 12).forEach(s::update);
        UpdateResult r = s.update(new Observation("S", 1.0, 9.0, 0.1));
        assertThat(r.fused()).isFalse();
        assertThat(r.rejection()).contains("before the re-filtering window");
        assertThat(s.current().time()).isEqualTo(12.0, within(1e-9));
    }

    @Test
    void badInputIsRefusedClearly() {
        EstimatorSession s = new StateEstimatorComponent().open(spec(FilterKind.EKF));
        assertThatThrownBy(() -> s.update(new Observation("titre", 1, 1, 0.1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("titre")
                .hasMessageContaining("test.monod:1.0.0");
        assertThatThrownBy(() -> new Observation("OUR", 1, Double.NaN, 0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-finite");
        assertThatThrownBy(() -> s.predict(-1)).isInstanceOf(IllegalArgumentException.class);
        EstimatorSpec sp = spec(FilterKind.EKF);
        assertThatThrownBy(() -> new EstimatorSpec(MODEL, sp.parameters(), 0, new double[] {1, 2}, sp.initialCovariance(),
                sp.processNoise(), sp.relativeProcessNoise(), SCHEDULE, FilterKind.EKF, 1, 3)).hasMessageContaining("expected 3 states");
    }

    @Test
    void predictionWithoutNoiseFollowsTheModelThroughFeedAndBolus() {
        double[][] p0 = new double[3][3];
        EstimatorSpec exact = new EstimatorSpec(MODEL, MonodTestModel.NOMINAL, 0, TRUE_X0, p0, new double[3], new double[3],
                SCHEDULE, FilterKind.EKF, 1, 5);
        Estimate e = new StateEstimatorComponent().open(exact).predict(16);
        double[] truth = truth(16);
        for (int i = 0; i < 3; i++) {
            assertThat(e.mean()[i]).isCloseTo(truth[i], within(1e-6 * Math.max(1, truth[i])));
        }
    }
}
