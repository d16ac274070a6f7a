package org.biotwin.advisory.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.biotwin.api.advisory.ProposedAction;
import org.biotwin.api.advisory.WhatIfResult;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.model.InputProfile;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.api.twin.PlanningBasis;
import org.biotwin.kinetics.internal.optimisation.CvpFeedOptimizer;
import org.biotwin.kinetics.internal.sim.SimulatorComponent;
import org.biotwin.models.cho.internal.ChoMabFedBatchModel;
import org.junit.jupiter.api.Test;

/**
 * The advisor on a CHO fed-batch (Xing 2010 model) that is under-fed from day 3: its glucose runs out. The twin's
 * estimate at 72 h is the plant's true state with a 5 % uncertainty.
 */
class AdvisorCoreTest extends WithWorkers {

    static final KineticModel CHO = new ChoMabFedBatchModel();
    static final double NOW = 72;
    static final double HARVEST = 240;
    static final OperatingSchedule UNDERFED = new OperatingSchedule(
            List.of(new InputProfile("F_feed", new double[] {0, 72}, new double[] {0, 0.3})), List.of());
    static final SimulatorComponent SIM = new SimulatorComponent();

    static PlanningBasis basisAt72h() {
        return TestPolicies.basis(SIM, CHO, UNDERFED, NOW, HARVEST, "BR-102", "B-2026-042");
    }

    static AdvisoryPolicy policy() {
        return TestPolicies.policy(Map.of("unit", "BR-102", "feedMax", 4.0, "volumeMax", 1400.0, "substrateMin",
                0.5, "ensembleSize", 40, "price", 10.0, "currency", "EUR"));
    }

    static AdvisorCore core() {
        return new AdvisorCore(SIM, new CvpFeedOptimizer(SIM), pool, Clock.systemUTC());
    }

    @Test
    void anUnderfedBatchGetsAFeedProfileThatRemovesTheDepletionRiskAndGainsProduct() {
        long t0 = System.nanoTime();
        Optional<AdvisorCore.Candidate> c = core().advise(basisAt72h(), policy(), 7);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(c).isPresent();
        WhatIfResult w = c.get().whatIf();
        System.out.printf("advice in %.2f s: %s%n  triggers %s%n  product %.4g -> %.4g g (gain %.4g [%.4g, %.4g]),"
                + " value %.0f %s%n  risk before %s%n  risk after %s%n", seconds, w.action().description(),
                c.get().triggers(), w.baseline().p50(), w.withAction().p50(), w.gainP50(), w.gainP05(), w.gainP95(),
                w.value(), w.currency(), w.baseline().violationRisk(), w.withAction().violationRisk());
        assertThat(c.get().triggers()).anyMatch(t -> t.contains("glucose < 0.5"));
        assertThat(w.gainP05()).as("gain is positive in 95 % of members").isPositive();
        assertThat(w.withAction().violationRisk().get("glucose < 0.5"))
                .isLessThan(w.baseline().violationRisk().get("glucose < 0.5"));
        assertThat(w.withAction().violationRisk().values()).as("every risk within the 10 % limit")
                .allMatch(r -> r <= 0.1);
        assertThat(w.value()).isEqualTo(w.gainP50() * 10.0);
        assertThat(w.baseline().trajectories()).extracting(b -> b.variable()).contains("titre", "glucose", "volume");
    }

    @Test
    void followingTheAdviceEndsBetterInThePlant() {
        PlanningBasis b = basisAt72h();
        WhatIfResult w = core().advise(b, policy(), 9).orElseThrow().whatIf();
        // the plant runs on from its true state: once as planned, once with the advised feed
        double without = productMass(UNDERFED);
        double with = productMass(UNDERFED.with(w.action().profile()));
        System.out.printf("plant product at harvest: %.4g g as planned, %.4g g with the advice (+%.1f %%)%n", without,
                with, 100 * (with / without - 1));
        assertThat(with).isGreaterThan(without * 1.01);
    }

    @Test
    void aBatchOnTargetGetsNoAdvice() {
        OperatingSchedule good = new OperatingSchedule(
                List.of(new InputProfile("F_feed", new double[] {0, 72}, new double[] {0, 1.5})), List.of());
        PlanningBasis b = basisAt72h();
        PlanningBasis onPlan = new PlanningBasis(b.unitId(), b.batchId(), b.batchStart(), b.model(), b.parameters(),
                b.batchAge(), b.mean(), b.covariance(), good, b.harvestAge());
        AdvisoryPolicy lenient = TestPolicies.policy(Map.of("unit", "BR-102", "feedMax", 4.0, "substrateMin", 0.0001,
                "substrateMax", 100.0, "ensembleSize", 20));
        assertThat(core().advise(onPlan, lenient, 3)).isEmpty();
    }

    @Test
    void whatIfComparesAPersonsOwnActionAndRefusesImpossibleOnes() {
        PlanningBasis b = basisAt72h();
        WhatIfResult w = core().whatIf(b, policy(), ProposedAction.harvestAt(216, "harvest a day early"), 5);
        assertThat(w.withAction().harvestAge()).isEqualTo(216);
        assertThat(w.baseline().harvestAge()).isEqualTo(HARVEST);
        assertThatThrownBy(() -> core().whatIf(b, policy(), ProposedAction.harvestAt(10, "past"), 5))
                .hasMessageContaining("before the estimate");
        assertThatThrownBy(() -> core().whatIf(b, policy(),
                ProposedAction.feed(InputProfile.constant("F_air", 1), "no such input"), 5))
                .hasMessageContaining("no input 'F_air'");
        assertThatThrownBy(() -> TestPolicies.policy(Map.of("unit", "BR-102", "feedMax", -1.0)))
                .hasMessageContaining("'feedMax'");
    }

    private static double productMass(OperatingSchedule schedule) {
        Trajectory t = SIM.simulate(new SimulationRequest(CHO, CHO.nominalInitialState(), CHO.nominalParameters(), 0,
                HARVEST, new double[] {HARVEST}, schedule, SolverSettings.DEFAULT));
        return t.observable("titre")[0] * t.observable("volume")[0];
    }
}
