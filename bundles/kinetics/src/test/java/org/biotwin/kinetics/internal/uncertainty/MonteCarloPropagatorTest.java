package org.biotwin.kinetics.internal.uncertainty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.biotwin.api.kinetics.Distribution;
import org.biotwin.api.kinetics.EnsembleResult;
import org.biotwin.api.kinetics.ParameterCovariance;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.Simulator;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.kinetics.UncertaintyProblem;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.ModelDescriptor;
import org.biotwin.api.model.ModelInput;
import org.biotwin.api.model.ModelParameter;
import org.biotwin.api.model.Observable;
import org.biotwin.api.model.StateVariable;
import org.biotwin.api.twin.PredictionBand;
import org.biotwin.kinetics.internal.sim.SimulatorComponent;
import org.biotwin.kinetics.testmodel.MonodFedBatch;
import org.biotwin.kinetics.testmodel.SyntheticBatches;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MonteCarloPropagatorTest {

    private static final Simulator SIM = new SimulatorComponent();
    private static final MonodFedBatch MODEL = new MonodFedBatch();
    private static final double[] TIMES = SyntheticBatches.times(30, 5);
    private static final ParameterCovariance COV = new ParameterCovariance(List.of("mu_max", "Y_xs"),
            new double[] {0.30, 0.50}, new double[][] {{2.25e-4, 1.875e-4}, {1.875e-4, 6.25e-4}});

    private final MonteCarloPropagator mc = new MonteCarloPropagator(SIM, 2);

    @AfterEach
    void close() {
        mc.close();
    }

    private static SimulationRequest nominal(KineticModel model) {
        return new SimulationRequest(model, new double[] {0.5, 20, 0, 1.0}, MODEL.nominalParameters(), 0, 30, TIMES,
                SyntheticBatches.feedFrom(10, 0.02), SolverSettings.DEFAULT.withRelTolerance(1e-7));
    }

    private static UncertaintyProblem problem(ParameterCovariance cov, int members, long seed) {
        return new UncertaintyProblem(nominal(MODEL), cov, Map.of(), Map.of(), members, seed);
    }

    @Test
    void bandsContainTheNominalTrajectory() {
        Trajectory nom = SIM.simulate(nominal(MODEL));
        EnsembleResult r = mc.propagate(problem(COV, 200, 11));
        assertThat(r.requested()).isEqualTo(200);
        assertThat(r.succeeded()).isEqualTo(200);
        assertThat(r.failed()).isZero();
        assertThat(r.stateBands()).extracting(PredictionBand::variable).containsExactly("X", "S", "P", "V");
        assertThat(r.observableBands()).extracting(PredictionBand::variable)
                .containsExactly("biomass", "glucose", "titre", "product_mass");
        for (String v : List.of("X", "P")) {
            PredictionBand b = r.band(v).orElseThrow();
            double[] n = nom.state(v);
            for (int k = 0; k < TIMES.length; k++) {
                assertThat(b.p05()[k]).as("%s p05 at %s h", v, TIMES[k]).isLessThanOrEqualTo(n[k] + 1e-9);
                assertThat(b.p95()[k]).as("%s p95 at %s h", v, TIMES[k]).isGreaterThanOrEqualTo(n[k] - 1e-9);
                assertThat(b.p05()[k]).isLessThanOrEqualTo(b.p50()[k]);
                assertThat(b.p50()[k]).isLessThanOrEqualTo(b.p95()[k]);
            }
        }
        // Volume does not depend on the uncertain parameters: a zero-width band.
        PredictionBand vol = r.band("V").orElseThrow();
        assertThat(vol.p95()[TIMES.length - 1] - vol.p05()[TIMES.length - 1]).isLessThan(1e-9);
    }

    @Test
    void bandsWidenWithTheCovariance() {
        EnsembleResult narrow = mc.propagate(problem(COV, 200, 5));
        EnsembleResult wide = mc.propagate(problem(COV.scaled(4), 200, 5));
        int end = TIMES.length - 1;
        PredictionBand a = narrow.band("titre").orElseThrow();
        PredictionBand b = wide.band("titre").orElseThrow();
        double wa = a.p95()[end] - a.p05()[end];
        double wb = b.p95()[end] - b.p05()[end];
        assertThat(wa).isPositive();
        // Standard deviations double; near-linear propagation gives a band about twice as wide.
        assertThat(wb / wa).isBetween(1.6, 2.4);
    }

    @Test
    void sameSeedSameBandsWhateverTheThreadCount() {
        MonteCarloPropagator single = new MonteCarloPropagator(SIM, 1);
        try {
            EnsembleResult r1 = single.propagate(problem(COV, 100, 99));
            EnsembleResult r2 = mc.propagate(problem(COV, 100, 99));
            EnsembleResult r3 = mc.propagate(problem(COV, 100, 100));
            for (int v = 0; v < r1.stateBands().size(); v++) {
                assertThat(r2.stateBands().get(v).p05()).containsExactly(r1.stateBands().get(v).p05());
                assertThat(r2.stateBands().get(v).p95()).containsExactly(r1.stateBands().get(v).p95());
            }
            assertThat(r3.band("X").orElseThrow().p95()[TIMES.length - 1])
                    .isNotEqualTo(r1.band("X").orElseThrow().p95()[TIMES.length - 1]);
        } finally {
            single.close();
        }
    }

    @Test
    void initialStateUncertaintyAlone() {
        UncertaintyProblem p = new UncertaintyProblem(nominal(MODEL), null, Map.of(),
                Map.of("X", new Distribution.LogNormal(0.5, 0.2)), 200, 3);
        EnsembleResult r = mc.propagate(p);
        PredictionBand x = r.band("X").orElseThrow();
        assertThat(x.p95()[0] - x.p05()[0]).isPositive();
        PredictionBand s = r.band("S").orElseThrow();
        assertThat(s.p95()[0] - s.p05()[0]).isZero();
        assertThat(s.p95()[3] - s.p05()[3]).isPositive();
    }

    @Test
    void failedMembersAreCountedAndNamed() {
        // A model that breaks its contract (NaN derivative) for fast growers: those members fail, the rest succeed.
        KineticModel fragile = new FragileModel(MODEL, 0.31);
        UncertaintyProblem p = new UncertaintyProblem(nominal(fragile), COV, Map.of(), Map.of(), 200, 8);
        EnsembleResult r = mc.propagate(p);
        assertThat(r.failed()).isPositive();
        assertThat(r.succeeded()).isPositive();
        assertThat(r.succeeded() + r.failed()).isEqualTo(200);
        assertThat(r.failures()).isNotEmpty().hasSizeLessThanOrEqualTo(20);
        assertThat(r.failures().get(0).reason()).isNotBlank();
        // Reproducible: the same members fail again.
        assertThat(mc.propagate(p).failures()).isEqualTo(r.failures());
    }

    @Test
    void rejectsUnknownNamesAndBadCovariance() {
        assertThatThrownBy(() -> mc.propagate(new UncertaintyProblem(nominal(MODEL), null,
                Map.of("mu_maxx", new Distribution.Normal(0.3, 0.01)), Map.of(), 10, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'mu_maxx' unknown to the model");
        assertThatThrownBy(() -> mc.propagate(new UncertaintyProblem(nominal(MODEL), null, Map.of(),
                Map.of("Xv", new Distribution.Normal(0.3, 0.01)), 10, 1)))
                .hasMessageContaining("initial-state distribution names state 'Xv'");
        ParameterCovariance notPsd = new ParameterCovariance(List.of("mu_max", "Y_xs"), new double[] {0.3, 0.5},
                new double[][] {{1e-4, 1e-3}, {1e-3, 1e-4}});
        assertThatThrownBy(() -> mc.propagate(problem(notPsd, 10, 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not positive semi-definite");
        assertThatThrownBy(() -> new UncertaintyProblem(nominal(MODEL), COV,
                Map.of("mu_max", new Distribution.Normal(0.3, 0.01)), Map.of(), 10, 1))
                .hasMessageContaining("mu_max has both a covariance and its own distribution");
        assertThatThrownBy(() -> new UncertaintyProblem(nominal(MODEL), null, Map.of(), Map.of(), 10, 1))
                .hasMessageContaining("no uncertain parameter");
        assertThatThrownBy(() -> problem(COV, 1, 1)).hasMessageContaining("member count");
    }

    /** Delegates to a model but returns a NaN derivative when mu_max exceeds a threshold. */
    private record FragileModel(KineticModel inner, double limit) implements KineticModel {
        @Override
        public ModelDescriptor descriptor() {
            return inner.descriptor();
        }

        @Override
        public List<StateVariable> states() {
            return inner.states();
        }

        @Override
        public List<ModelParameter> parameters() {
            return inner.parameters();
        }

        @Override
        public List<ModelInput> inputs() {
            return inner.inputs();
        }

        @Override
        public List<Observable> observables() {
            return inner.observables();
        }

        @Override
        public void derivatives(double t, double[] y, double[] p, double[] u, double[] yDot) {
            inner.derivatives(t, y, p, u, yDot);
            if (p[0] > limit) {
                yDot[0] = Double.NaN;
            }
        }

        @Override
        public void observe(double t, double[] y, double[] p, double[] u, double[] z) {
            inner.observe(t, y, p, u, z);
        }
    }
}
