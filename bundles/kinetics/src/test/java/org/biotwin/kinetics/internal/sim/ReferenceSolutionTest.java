package org.biotwin.kinetics.internal.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.SolverChoice;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.kinetics.internal.sim.testmodels.ChoLikeModel;
import org.biotwin.kinetics.internal.sim.testmodels.ParkRamirezModel;
import org.biotwin.kinetics.internal.sim.testmodels.RobertsonModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Accuracy against independent SciPy reference solutions (scripts and sources in {@code bundles/kinetics/reference/},
 * data in {@code src/test/resources/reference/}): states agree to 1e-6 relative at rtol 1e-9, with the absolute floors
 * given per case.
 */
class ReferenceSolutionTest {

    private static final double RTOL = 1e-9;
    private final SimulationEngine engine = new SimulationEngine();

    private static SolverSettings settings(SolverChoice choice) {
        return new SolverSettings(choice, RTOL, 1.0, 1_000_000, Duration.ofSeconds(20));
    }

    private Trajectory simulate(KineticModel m, ReferenceData ref, OperatingSchedule schedule, SolverChoice c) {
        double[] t = ref.times();
        return engine.simulate(new SimulationRequest(m, ref.states()[0], m.nominalParameters(), t[0], t[t.length - 1],
                t, schedule, settings(c)));
    }

    /** One line per case in the test output: how close to the limit the case ran, and its cost. */
    private static void report(String label, Trajectory tr, double worst) {
        System.out.printf("%-28s worst error/allowed %.2e  %s%n", label, worst, tr.statistics());
    }

    /** Robertson to t = 1e5 with the stiff integrator; floors 1e-11 (y1, y3) and 1e-15 (y2, which peaks at 3.6e-5). */
    @ParameterizedTest(name = "analytic Jacobian: {0}")
    @ValueSource(booleans = {true, false})
    void robertsonStiff(boolean analytic) {
        ReferenceData ref = ReferenceData.load("robertson.csv");
        Trajectory tr = simulate(new RobertsonModel(analytic), ref, OperatingSchedule.NONE, SolverChoice.STIFF);
        report("Robertson STIFF jac=" + analytic, tr,
                ReferenceAssert.assertAgrees(tr, ref, new double[] {1e-11, 1e-15, 1e-11}, "Robertson STIFF"));
        assertThat(tr.statistics().stiffSegments()).isEqualTo(1);
        assertThat(tr.statistics().jacobianEvaluations()).isPositive();
        for (double total : tr.observable("total")) {
            assertThat(total).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    /** AUTO starts with Dormand-Prince and must hand Robertson over to the stiff integrator. */
    @ParameterizedTest(name = "analytic Jacobian: {0}")
    @ValueSource(booleans = {true, false})
    void robertsonAutoPicksStiff(boolean analytic) {
        ReferenceData ref = ReferenceData.load("robertson.csv");
        Trajectory tr = simulate(new RobertsonModel(analytic), ref, OperatingSchedule.NONE, SolverChoice.AUTO);
        assertThat(tr.statistics().stiffSegments()).as("stiff segments").isEqualTo(1);
        report("Robertson AUTO jac=" + analytic, tr,
                ReferenceAssert.assertAgrees(tr, ref, new double[] {1e-11, 1e-15, 1e-11}, "Robertson AUTO"));
    }

    /** Park-Ramirez with a feed profile and three events; floors 1e-9 (10 x the declared atol of 1e-10). */
    @ParameterizedTest
    @EnumSource(SolverChoice.class)
    void parkRamirez(SolverChoice choice) {
        ReferenceData ref = ReferenceData.load("park-ramirez.csv");
        Trajectory tr = simulate(new ParkRamirezModel(), ref, Schedules.parkRamirez(), choice);
        report("Park-Ramirez " + choice, tr, ReferenceAssert.assertAgrees(tr, ref,
                new double[] {1e-9, 1e-9, 1e-9, 1e-9, 1e-9}, "Park-Ramirez " + choice));
        assertThat(tr.statistics().segments()).isEqualTo(7);
        if (choice == SolverChoice.AUTO) {
            assertThat(tr.statistics().stiffSegments()).as("AUTO stays non-stiff").isZero();
        }
    }

    /** The 8-state CHO-like test model over 14 days with 13 boluses; floors 10 x the declared atol. */
    @ParameterizedTest
    @EnumSource(SolverChoice.class)
    void choLike(SolverChoice choice) {
        ReferenceData ref = ReferenceData.load("cho-like.csv");
        Trajectory tr = simulate(new ChoLikeModel(), ref, Schedules.choLikeDailyBoluses(), choice);
        report("CHO-like " + choice, tr, ReferenceAssert.assertAgrees(tr, ref,
                new double[] {1e-5, 1e-5, 1e-5, 1e-5, 1e-5, 1e-5, 1e-3, 1e-7}, "CHO-like " + choice));
        assertThat(tr.statistics().segments()).isEqualTo(14);
        if (choice == SolverChoice.AUTO) {
            assertThat(tr.statistics().stiffSegments()).as("AUTO stays non-stiff").isZero();
        }
    }
}
