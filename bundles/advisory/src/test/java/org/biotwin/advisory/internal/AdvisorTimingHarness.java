package org.biotwin.advisory.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import org.biotwin.api.advisory.ActionKind;
import org.biotwin.api.twin.PlanningBasis;
import org.biotwin.kinetics.internal.optimisation.CvpFeedOptimizer;
import org.junit.jupiter.api.Test;

/**
 * Wall-clock timing of the advisor's searches from the current state, on 2 threads as the advisor runs them, with
 * the default ensemble of 100 members: the harvest-time search (window 168–288 h, 121 candidate ages, one ensemble
 * run), a whole review of a batch that misses its titre target (feed search and harvest search, both checked by the
 * paired comparison), and the 10-interval feed search of an under-fed batch (control vector parameterisation with
 * back-off, then the paired comparison). Each case: 3 warm-up rounds, then 10 timed rounds; min, median and max.
 * Not part of the unit tests (its name does not match surefire's patterns): run with
 * {@code mvn -B -o -f bundles/advisory/pom.xml test -Pbench}.
 */
class AdvisorTimingHarness extends WithWorkers {

    @Test
    void timings() {
        System.out.printf("machine: %d processors, load average %.2f, %s %s%n",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
        AdvisorCore core = new AdvisorCore(HarvestAdviceTest.SIM, new CvpFeedOptimizer(HarvestAdviceTest.SIM), pool,
                Clock.systemUTC());
        PlanningBasis missesTitre = HarvestAdviceTest.basis(HarvestAdviceTest.PLANNED_HARVEST);
        AdvisoryPolicy harvestPolicy = HarvestAdviceTest.policy(Map.of("ensembleSize", 100));
        PlanningBasis underfed = AdvisorCoreTest.basisAt72h();
        AdvisoryPolicy feedPolicy = TestPolicies.policy(Map.of("unit", "BR-102", "feedMax", 4.0, "volumeMax", 1400.0,
                "ensembleSize", 100, "intervals", 10));

        time("harvest-time search (100 members, 121 ages)",
                () -> HarvestSearch.search(missesTitre, harvestPolicy, HarvestAdviceTest.SIM, 1, pool).orElseThrow());
        time("harvest option (search + paired check, 100 members)",
                () -> core.harvestOption(missesTitre, harvestPolicy, 1, pairedPlan(missesTitre, harvestPolicy))
                        .orElseThrow());
        time("whole review of the titre miss (feed + harvest)", () -> {
            var c = core.advise(missesTitre, harvestPolicy, 1).orElseThrow();
            assertThat(c.whatIf().action().kind()).isEqualTo(ActionKind.HARVEST_TIME);
            return c;
        });
        time("10-interval feed search (CVP + back-off + paired check, 100 members)",
                () -> core.feedOption(underfed, feedPolicy, 1).orElseThrow());
        time("whole review of the under-fed batch (10-interval feed)", () -> core.advise(underfed, feedPolicy, 1)
                .orElseThrow());
    }

    private static PairedEnsemble.Comparison pairedPlan(PlanningBasis b, AdvisoryPolicy p) {
        PairedEnsemble.Plan plan = new PairedEnsemble.Plan(b.schedule(), b.harvestAge());
        return PairedEnsemble.compare(b, plan, plan, p, HarvestAdviceTest.SIM, 1, pool);
    }

    private static void time(String what, Supplier<?> work) {
        for (int i = 0; i < 3; i++) {
            assertThat(work.get()).isNotNull();
        }
        double[] s = new double[10];
        for (int i = 0; i < s.length; i++) {
            long t0 = System.nanoTime();
            assertThat(work.get()).isNotNull();
            s[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(s);
        System.out.printf("%-72s min %.3f s, median %.3f s, max %.3f s%n", what, s[0], (s[4] + s[5]) / 2,
                s[s.length - 1]);
    }
}
