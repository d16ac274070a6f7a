package org.biotwin.kinetics.internal.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.biotwin.kinetics.internal.sim.TestModel.input;
import static org.biotwin.kinetics.internal.sim.TestModel.parameter;
import static org.biotwin.kinetics.internal.sim.TestModel.state;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.biotwin.api.kinetics.SimulationException;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.SolverChoice;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.model.InputProfile;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.api.model.ProcessEvent;
import org.biotwin.api.model.StateKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Events applied by state kind, output at event times, input breakpoints, against exact solutions. */
class EventAndInputTest {

    private final SimulationEngine engine = new SimulationEngine();

    /** V (L), S (g/L), M (g), T (intensive); S decays at rate k, T grows at rate 1, M and V constant. */
    private static final TestModel TANK = new TestModel("test.tank",
            List.of(state("V", StateKind.VOLUME), state("S", StateKind.CONCENTRATION), state("M", StateKind.AMOUNT),
                    state("T", StateKind.INTENSIVE)),
            List.of(parameter("k", 0.0)), List.of(input("u")), (t, y, p, u, d) -> {
                d[0] = 0;
                d[1] = -p[0] * y[1];
                d[2] = 0;
                d[3] = 1;
            });

    private static SolverSettings settings(SolverChoice c) {
        return new SolverSettings(c, 1e-10, 1.0, 100_000, Duration.ofSeconds(10));
    }

    private Trajectory run(double k, OperatingSchedule s, double[] out, SolverChoice c) {
        return engine.simulate(new SimulationRequest(TANK, new double[] {2, 10, 5, 0}, new double[] {k}, 0, 2, out, s,
                settings(c)));
    }

    @ParameterizedTest
    @EnumSource(SolverChoice.class)
    void bolusMixesConcentrationsAddsAmountsAndKeepsMass(SolverChoice c) {
        OperatingSchedule s = new OperatingSchedule(List.of(),
                List.of(new ProcessEvent.Bolus(1.0, 0.5, Map.of("S", 100.0, "M", 2.0))));
        Trajectory tr = run(0.0, s, new double[] {0, 0.5, 1.0, 2.0}, c);
        double[][] y = tr.states();
        assertThat(y[1]).containsExactly(new double[] {2, 10, 5, 0.5}, within(1e-12));
        // Output at the event time is the state after the event.
        assertThat(y[2][0]).isCloseTo(2.5, within(1e-12));
        assertThat(y[2][1]).isCloseTo((10 * 2 + 100 * 0.5) / 2.5, within(1e-12));
        assertThat(y[2][1] * y[2][0]).as("mass of S").isCloseTo(10 * 2 + 100 * 0.5, within(1e-11));
        assertThat(y[2][2]).isCloseTo(7, within(1e-12));
        assertThat(y[2][3]).as("intensive state untouched").isCloseTo(1.0, within(1e-9));
        assertThat(tr.statistics().segments()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(SolverChoice.class)
    void withdrawalReducesVolumeAndAmountsProportionally(SolverChoice c) {
        OperatingSchedule s = new OperatingSchedule(List.of(), List.of(new ProcessEvent.Withdrawal(1.0, 0.5)));
        Trajectory tr = run(0.0, s, new double[] {1.0, 2.0}, c);
        assertThat(tr.states()[0]).containsExactly(new double[] {1.5, 10, 5 * 1.5 / 2, 1.0}, within(1e-9));
        assertThat(tr.finalState()).containsExactly(new double[] {1.5, 10, 5 * 1.5 / 2, 2.0}, within(1e-9));
    }

    /** With first-order decay the state before and after a bolus has a closed form. */
    @ParameterizedTest
    @EnumSource(SolverChoice.class)
    void bolusBetweenDecayPhasesMatchesTheExactSolution(SolverChoice c) {
        double k = 0.7;
        OperatingSchedule s = new OperatingSchedule(List.of(),
                List.of(new ProcessEvent.Bolus(1.0, 0.5, Map.of("S", 100.0))));
        Trajectory tr = run(k, s, new double[] {0.999, 1.0, 1.5, 2.0}, c);
        double before = 10 * Math.exp(-k * 0.999);
        double after = (10 * Math.exp(-k) * 2 + 100 * 0.5) / 2.5;
        double[] sv = tr.state("S");
        assertThat(sv[0]).isCloseTo(before, within(1e-8 * before));
        assertThat(sv[1]).isCloseTo(after, within(1e-8 * after));
        assertThat(sv[2]).isCloseTo(after * Math.exp(-k * 0.5), within(1e-7 * after));
        assertThat(sv[3]).isCloseTo(after * Math.exp(-k), within(1e-7 * after));
    }

    @Test
    void eventsAtStartAndEndAreAppliedAndOutsideTheWindowIgnored() {
        OperatingSchedule s = new OperatingSchedule(List.of(),
                List.of(new ProcessEvent.Withdrawal(-1.0, 1.9), new ProcessEvent.Bolus(0.0, 2.0, Map.of("M", 1.0)),
                        new ProcessEvent.Bolus(2.0, 1.0, Map.of("M", 1.0)), new ProcessEvent.Withdrawal(5.0, 10)));
        Trajectory tr = run(0.0, s, new double[] {0, 2}, SolverChoice.AUTO);
        assertThat(tr.states()[0][0]).isEqualTo(4.0);
        assertThat(tr.states()[0][1]).isEqualTo(5.0);
        assertThat(tr.states()[0][2]).isEqualTo(6.0);
        assertThat(tr.finalState()[0]).isEqualTo(5.0);
        assertThat(tr.finalState()[2]).isEqualTo(7.0);
        assertThat(tr.statistics().segments()).isEqualTo(1);
    }

    @Test
    void severalEventsAtOneTimeApplyInScheduleOrder() {
        OperatingSchedule s = new OperatingSchedule(List.of(),
                List.of(new ProcessEvent.Withdrawal(1.0, 1.0), new ProcessEvent.Bolus(1.0, 1.0, Map.of("S", 0.0))));
        Trajectory tr = run(0.0, s, new double[] {1.0}, SolverChoice.NON_STIFF);
        // Withdraw 1 L of 2 L (S stays 10), then dilute 1 L with 1 L of water: S = 5.
        assertThat(tr.state("S")[0]).isCloseTo(5.0, within(1e-12));
        assertThat(tr.state("V")[0]).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void withdrawalOfMoreThanTheBrothFailsNamingTheEvent() {
        OperatingSchedule s = new OperatingSchedule(List.of(), List.of(new ProcessEvent.Withdrawal(1.0, 2.0)));
        assertThatThrownBy(() -> run(0.0, s, new double[] {2}, SolverChoice.AUTO))
                .isInstanceOf(SimulationException.class)
                .hasMessageContaining("test.tank:1.0.0")
                .hasMessageContaining("withdrawal of 2.0 L at t = 1.0 h")
                .hasMessageContaining("broth volume is only 2.0 L");
    }

    /** S' = u with a piecewise-constant u: S is piecewise linear; observables see the input valid at each time. */
    @ParameterizedTest
    @EnumSource(SolverChoice.class)
    void piecewiseInputsRestartAtEveryBreakpoint(SolverChoice c) {
        TestModel integrator = new TestModel("test.integrator", List.of(state("S", StateKind.INTENSIVE)), List.of(),
                List.of(input("u")), (t, y, p, u, d) -> d[0] = u[0]);
        OperatingSchedule s = new OperatingSchedule(
                List.of(new InputProfile("u", new double[] {0.5, 1.0, 1.5}, new double[] {2, 0, 4})), List.of());
        Trajectory tr = engine.simulate(new SimulationRequest(integrator, new double[] {0}, new double[0], 0, 2,
                new double[] {0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0}, s, settings(c)));
        assertThat(tr.state("S")).containsExactly(new double[] {0, 0, 0, 0.5, 1.0, 1.0, 3.0}, within(1e-12));
        assertThat(tr.observable("u_u")).containsExactly(0, 0, 2, 2, 0, 4, 4);
        assertThat(tr.statistics().segments()).isEqualTo(4);
    }
}
