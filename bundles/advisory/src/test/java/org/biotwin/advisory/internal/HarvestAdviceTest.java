package org.biotwin.advisory.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.biotwin.api.advisory.ActionKind;
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
 * Harvest-time advice on a CHO fed-batch (Xing 2010 model) fed 1.0 L/h from 72 h. Glucose stays within its bounds,
 * but the plan harvests at 192 h, where the titre (about 0.48 g/L in the plant) misses the 0.6 g/L target; the
 * recipe allows harvesting between 168 h and 288 h, product is worth 10 EUR/g and the reactor costs 20 EUR/h. The
 * twin's estimate at 72 h is the plant's true state with a 5 % uncertainty.
 */
class HarvestAdviceTest extends WithWorkers {

    static final KineticModel CHO = new ChoMabFedBatchModel();
    static final double NOW = 72;
    static final double PLANNED_HARVEST = 192;
    static final double PRICE = 10;
    static final double OCCUPANCY = 20;
    static final OperatingSchedule FED = new OperatingSchedule(
            List.of(new InputProfile("F_feed", new double[] {0, 72}, new double[] {0, 1.0})), List.of());
    static final SimulatorComponent SIM = new SimulatorComponent();

    static PlanningBasis basis(double harvestAge) {
        return TestPolicies.basis(SIM, CHO, FED, NOW, harvestAge, "BR-103", "B-2026-043");
    }

    static AdvisoryPolicy policy(Map<String, Object> extra) {
        Map<String, Object> v = new HashMap<>(Map.of("unit", "BR-103", "feedMax", 4.0, "volumeMax", 1400.0,
                "ensembleSize", 40, "titreTarget", 0.6, "harvestEarliestAge", 168.0, "harvestLatestAge", 288.0,
                "price", PRICE, "occupancyCostPerHour", OCCUPANCY));
        v.putAll(extra);
        return TestPolicies.policy(v);
    }

    static AdvisorCore core() {
        return new AdvisorCore(SIM, new CvpFeedOptimizer(SIM), pool, Clock.systemUTC());
    }

    @Test
    void aPlanThatMissesTheTitreTargetGetsAHarvestTimeAdvisoryWithAPositiveGainBand() {
        PlanningBasis b = basis(PLANNED_HARVEST);
        AdvisoryPolicy p = policy(Map.of());
        long t0 = System.nanoTime();
        HarvestSearch.Choice choice = HarvestSearch.search(b, p, SIM, 11, pool).orElseThrow();
        double searchSeconds = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        Optional<AdvisorCore.Candidate> c = core().advise(b, p, 11);
        double adviseSeconds = (System.nanoTime() - t0) / 1e9;
        assertThat(c).isPresent();
        WhatIfResult w = c.get().whatIf();
        System.out.printf("harvest search %.2f s (%d candidates, 40 members); whole review (feed and harvest) "
                + "%.2f s%n  %s%n  triggers %s%n  product %.4g -> %.4g g (gain %.4g [%.4g, %.4g] g), value %+.0f %s"
                + "%n  risk before %s%n  risk after %s%n", searchSeconds, HarvestSearch.candidates(b, p).length,
                adviseSeconds, w.action().description(), c.get().triggers(), w.baseline().p50(), w.withAction().p50(),
                w.gainP50(), w.gainP05(), w.gainP95(), w.value(), w.currency(), w.baseline().violationRisk(),
                w.withAction().violationRisk());
        assertThat(c.get().triggers()).anyMatch(t -> t.contains("below the target 0.6"));
        assertThat(w.action().kind()).isEqualTo(ActionKind.HARVEST_TIME);
        assertThat(w.action().time()).isEqualTo(choice.age()).isBetween(168.0, 288.0).isGreaterThan(PLANNED_HARVEST);
        assertThat(w.gainP05()).as("gain is positive in 95 % of members").isPositive();
        assertThat(w.withAction().trajectories().get(0).finalMedian()).as("titre reaches the target")
                .isGreaterThanOrEqualTo(0.6);
        assertThat(w.baseline().trajectories().get(0).finalMedian()).isLessThan(0.6);
        assertThat(w.withAction().violationRisk().values()).allMatch(r -> r <= 0.1);
        assertThat(w.value()).as("value is price x median gain less the occupancy cost of the extra hours")
                .isCloseTo(PRICE * w.gainP50() - OCCUPANCY * (w.action().time() - PLANNED_HARVEST),
                        org.assertj.core.data.Offset.offset(1e-6));
        assertThat(w.value()).isPositive();
        assertThat(w.withAction().harvestAge()).isEqualTo(w.action().time());
        assertThat(w.baseline().harvestAge()).isEqualTo(PLANNED_HARVEST);
        assertThat(w.baseline().trajectories()).extracting(t -> t.variable()).contains("titre", "glucose", "volume");
        assertThat(w.withAction().trajectories()).extracting(t -> t.variable()).contains("titre", "glucose", "volume");
    }

    @Test
    void whenAFeedChangeAndAHarvestChangeBothHelpTheSaferOneWinsThenTheOneMeetingTheTarget() {
        // the under-fed batch of AdvisorCoreTest (glucose runs out), with a titre target of 0.8 g/L it misses at 240 h
        PlanningBasis b = AdvisorCoreTest.basisAt72h();
        AdvisoryPolicy p = policy(Map.of("unit", "BR-102", "titreTarget", 0.8));
        AdvisorCore core = core();
        PairedEnsemble.Plan plan = new PairedEnsemble.Plan(b.schedule(), b.harvestAge());
        WhatIfResult feed = core.feedOption(b, p, 19).orElseThrow();
        WhatIfResult harvest = core.harvestOption(b, p, 19, PairedEnsemble.compare(b, plan, plan, p, SIM, 19, pool))
                .orElseThrow();
        System.out.printf("both help: feed %+.4g g (value %+.0f EUR, titre %.3g g/L, risks %s); harvest at %.0f h "
                + "%+.4g g (value %+.0f EUR, titre %.3g g/L, risks %s)%n", feed.gainP50(), feed.value(),
                feed.withAction().trajectories().get(0).finalMedian(), feed.withAction().violationRisk(),
                harvest.action().time(), harvest.gainP50(), harvest.value(),
                harvest.withAction().trajectories().get(0).finalMedian(), harvest.withAction().violationRisk());
        assertThat(feed.gainP50()).isPositive();
        assertThat(harvest.gainP50()).isPositive();
        // a later harvest reaches the titre but the glucose still runs out; the feed keeps every risk in limits
        assertThat(AdvisorCore.meetsTargets(harvest.withAction(), p)).isTrue();
        assertThat(harvest.withAction().violationRisk().get("glucose < 0.5")).isGreaterThan(0.1);
        assertThat(feed.withAction().violationRisk().values()).allMatch(r -> r <= 0.1);
        assertThat(AdvisorCore.preference(b, p).compare(feed, harvest)).isPositive();
        assertThat(core.advise(b, p, 19).orElseThrow().whatIf().action().kind()).isEqualTo(ActionKind.FEED_PROFILE);
    }

    @Test
    void harvestingAtTheAdvisedAgeEndsBetterInThePlant() {
        WhatIfResult w = core().advise(basis(PLANNED_HARVEST), policy(Map.of()), 13).orElseThrow().whatIf();
        assertThat(w.action().kind()).isEqualTo(ActionKind.HARVEST_TIME);
        double advised = w.action().time();
        // the plant runs on from its true state and is harvested once as planned, once at the advised age
        double[] planned = plant(PLANNED_HARVEST);
        double[] followed = plant(advised);
        double valuePlanned = PRICE * planned[1] - OCCUPANCY * PLANNED_HARVEST;
        double valueFollowed = PRICE * followed[1] - OCCUPANCY * advised;
        System.out.printf("plant, harvest as planned at %.0f h: titre %.4g g/L, product %.4g g, value %.0f EUR; "
                + "at the advised %.0f h: titre %.4g g/L, product %.4g g, value %.0f EUR (value = %.0f EUR/g x "
                + "product - %.0f EUR/h x batch age)%n", PLANNED_HARVEST, planned[0], planned[1], valuePlanned,
                advised, followed[0], followed[1], valueFollowed, PRICE, OCCUPANCY);
        assertThat(followed[0]).as("titre target met in the plant").isGreaterThanOrEqualTo(0.6);
        assertThat(planned[0]).isLessThan(0.6);
        assertThat(valueFollowed).isGreaterThan(valuePlanned);
    }

    @Test
    void withoutAPriceTheSearchMaximisesProductWithinTheWindowAndTheRisks() {
        AdvisoryPolicy p = policy(Map.of("price", 0.0, "occupancyCostPerHour", 0.0));
        WhatIfResult w = core().advise(basis(PLANNED_HARVEST), p, 17).orElseThrow().whatIf();
        assertThat(w.action().kind()).isEqualTo(ActionKind.HARVEST_TIME);
        assertThat(w.value()).isNaN();
        assertThat(w.currency()).isEmpty();
        // product mass grows all the way through this window, so the latest age wins
        assertThat(w.action().time()).isEqualTo(288.0);
        // a tighter volume limit makes the late ages too risky: the search stops before the vessel fills
        AdvisoryPolicy tight = policy(Map.of("price", 0.0, "volumeMax", 1250.0));
        HarvestSearch.Choice c = HarvestSearch.search(basis(PLANNED_HARVEST), tight, SIM, 17, pool).orElseThrow();
        assertThat(c.age()).isLessThan(288.0);
        assertThat(c.risks().get("volume > 1250.0")).isLessThanOrEqualTo(0.1);
    }

    @Test
    void aBatchOnTargetGetsNoHarvestAdviceWithOrWithoutAWindow() {
        PlanningBasis onTarget = basis(240);
        AdvisoryPolicy noWindow = policy(Map.of("harvestEarliestAge", 0.0, "harvestLatestAge", 0.0));
        assertThat(core().advise(onTarget, noWindow, 3)).isEmpty();
        assertThat(HarvestSearch.candidates(onTarget, noWindow)).isEmpty();
        // with a window the plan's harvest lies in, there is no missed target either: no review finds advice
        assertThat(core().advise(onTarget, policy(Map.of()), 3)).isEmpty();
    }

    @Test
    void aPlannedHarvestOutsideTheWindowIsATrigger() {
        PlanningBasis late = basis(300);
        Optional<AdvisorCore.Candidate> c = core().advise(late, policy(Map.of()), 5);
        assertThat(c).isPresent();
        assertThat(c.get().triggers()).anyMatch(t -> t.contains("outside the window [168, 288] h"));
        assertThat(c.get().whatIf().action().kind()).isEqualTo(ActionKind.HARVEST_TIME);
        assertThat(c.get().whatIf().action().time()).isBetween(168.0, 288.0);
    }

    @Test
    void badHarvestPoliciesAreRefusedWithThePropertyName() {
        assertThatThrownBy(() -> policy(Map.of("harvestEarliestAge", 300.0, "harvestLatestAge", 200.0)))
                .hasMessageContaining("'harvestEarliestAge'").hasMessageContaining("<= harvestLatestAge");
        assertThatThrownBy(() -> policy(Map.of("occupancyCostPerHour", -5.0)))
                .hasMessageContaining("'occupancyCostPerHour'").hasMessageContaining("-5.0");
        assertThatThrownBy(() -> policy(Map.of("harvestEarliestAge", 100.0, "harvestLatestAge", 0.0)))
                .hasMessageContaining("'harvestLatestAge'");
        assertThatThrownBy(() -> policy(Map.of("harvestLatestAge", Double.NaN)))
                .hasMessageContaining("'harvestLatestAge'");
        assertThatThrownBy(() -> policy(Map.of("harvestEarliestAge", -1.0)))
                .hasMessageContaining("'harvestEarliestAge'");
    }

    /** The true batch harvested at {@code age}: [titre g/L, product g]. */
    private static double[] plant(double age) {
        Trajectory t = SIM.simulate(new SimulationRequest(CHO, CHO.nominalInitialState(), CHO.nominalParameters(), 0,
                age, new double[] {age}, FED, SolverSettings.DEFAULT));
        double titre = t.observable("titre")[0];
        return new double[] {titre, titre * t.observable("volume")[0]};
    }
}
