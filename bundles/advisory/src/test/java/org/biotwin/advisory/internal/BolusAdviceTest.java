package org.biotwin.advisory.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.biotwin.api.advisory.ActionKind;
import org.biotwin.api.advisory.ProposedAction;
import org.biotwin.api.advisory.WhatIfResult;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.api.model.ProcessEvent;
import org.biotwin.api.twin.PlanningBasis;
import org.biotwin.kinetics.internal.optimisation.CvpFeedOptimizer;
import org.junit.jupiter.api.Test;

/**
 * The bolus-time search on the under-fed CHO batch of {@link AdvisorCoreTest} (glucose runs out before harvest): the
 * recipe allows one 30-L shot of 300 mmol/L glucose and 40 mmol/L glutamine (the reference batch's bolus) between
 * 72 h and 200 h.
 */
class BolusAdviceTest extends WithWorkers {

    static AdvisoryPolicy policy(Map<String, Object> extra) {
        Map<String, Object> v = new HashMap<>(Map.of("unit", "BR-102", "feedMax", 4.0, "volumeMax", 1400.0,
                "substrateMin", 0.5, "ensembleSize", 40, "bolusVolume", 30.0,
                "bolusContent", new String[] {"GLC=300", "GLN=40"}, "bolusEarliestAge", 72.0,
                "bolusLatestAge", 200.0));
        v.putAll(extra);
        return TestPolicies.policy(v);
    }

    static AdvisorCore core() {
        return new AdvisorCore(AdvisorCoreTest.SIM, new CvpFeedOptimizer(AdvisorCoreTest.SIM), pool,
                Clock.systemUTC());
    }

    @Test
    void aStarvingBatchGetsABolusTimeAndThePlantRunWithItEndsBetter() {
        PlanningBasis b = AdvisorCoreTest.basisAt72h();
        Optional<WhatIfResult> found = core().bolusOption(b, policy(Map.of()), 11);
        assertThat(found).isPresent();
        WhatIfResult w = found.get();
        ProposedAction a = w.action();
        assertThat(a.kind()).isEqualTo(ActionKind.BOLUS);
        assertThat(a.time()).isBetween(73.0, 200.0);
        assertThat(a.volume()).isEqualTo(30.0);
        assertThat(a.content()).containsEntry("GLC", 300.0).containsEntry("GLN", 40.0);
        assertThat(a.description()).startsWith("Bolus of 30 L (GLC 300, GLN 40) at ");
        assertThat(w.gainP50()).isPositive();
        assertThat(w.gainP05()).as("the gain band of the paired comparison").isPositive();
        System.out.printf("Bolus advice: %s; gain %.1f g [%.1f, %.1f] (5-95 %%), product %.1f -> %.1f g%n",
                a.description(), w.gainP50(), w.gainP05(), w.gainP95(), w.baseline().p50(), w.withAction().p50());

        // The plant (the true batch, not the estimate) run with the advised bolus ends with more product.
        double without = productMass(AdvisorCoreTest.UNDERFED);
        double with = productMass(AdvisorCoreTest.UNDERFED.with(new ProcessEvent.Bolus(a.time(), a.volume(),
                a.content())));
        System.out.printf("Bolus advice, plant run: product %.1f g without, %.1f g with the bolus at %.1f h%n",
                without, with, a.time());
        assertThat(with).isGreaterThan(without * 1.01);
    }

    @Test
    void withoutABolusWindowTheTimeIsNotSearched() {
        PlanningBasis b = AdvisorCoreTest.basisAt72h();
        AdvisoryPolicy none = policy(Map.of("bolusVolume", 0.0, "bolusContent", new String[0],
                "bolusLatestAge", 0.0, "bolusEarliestAge", 0.0));
        assertThat(none.bolusConfigured()).isFalse();
        assertThat(BolusSearch.candidates(b, none)).isEmpty();
        assertThat(core().bolusOption(b, none, 11)).isEmpty();
        // a window that has passed offers no time either
        assertThat(BolusSearch.candidates(b, policy(Map.of("bolusEarliestAge", 10.0, "bolusLatestAge", 60.0))))
                .isEmpty();
    }

    @Test
    void badBolusSettingsAreRefusedWithTheProperty() {
        assertThatThrownBy(() -> policy(Map.of("bolusLatestAge", 0.0, "bolusEarliestAge", 0.0)))
                .hasMessageContaining("'bolusLatestAge'");
        assertThatThrownBy(() -> policy(Map.of("bolusContent", new String[] {"GLC"})))
                .hasMessageContaining("'bolusContent'");
        assertThatThrownBy(() -> policy(Map.of("bolusContent", new String[] {"GLC=-3"})))
                .hasMessageContaining("'bolusContent'");
        assertThatThrownBy(() -> policy(Map.of("bolusEarliestAge", 250.0))).hasMessageContaining("'bolusEarliestAge'");
        assertThatThrownBy(() -> policy(Map.of("bolusVolume", -1.0))).hasMessageContaining("'bolusVolume'");
        AdvisoryPolicy unknownState = policy(Map.of("bolusContent", new String[] {"sugar=300"}));
        assertThatThrownBy(() -> core().bolusOption(AdvisorCoreTest.basisAt72h(), unknownState, 1))
                .hasMessageContaining("'bolusContent'").hasMessageContaining("'sugar'");
    }

    private static double productMass(OperatingSchedule schedule) {
        Trajectory t = AdvisorCoreTest.SIM.simulate(new SimulationRequest(AdvisorCoreTest.CHO,
                AdvisorCoreTest.CHO.nominalInitialState(), AdvisorCoreTest.CHO.nominalParameters(), 0,
                AdvisorCoreTest.HARVEST, new double[] {AdvisorCoreTest.HARVEST}, schedule, SolverSettings.DEFAULT));
        return t.observable("titre")[0] * t.observable("volume")[0];
    }
}
