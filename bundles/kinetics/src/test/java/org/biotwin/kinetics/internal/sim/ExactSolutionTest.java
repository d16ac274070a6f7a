package org.biotwin.kinetics.internal.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.biotwin.kinetics.internal.sim.TestModel.parameter;
import static org.biotwin.kinetics.internal.sim.TestModel.signed;

import java.time.Duration;
import java.util.List;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.SolverChoice;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.model.OperatingSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Problems with closed-form solutions: no reference solver in between. */
class ExactSolutionTest {

    private final SimulationEngine engine = new SimulationEngine();

    /**
     * Prothero-Robinson, {@code y' = lambda (y - g(t)) + g'(t)} with {@code g = 2 + sin t}: exact {@code y = g(t)}. It
     * is stiff for large |lambda| and explicitly time-dependent, so it exercises RODAS4's {@code gamma_i h df/dt}
     * terms (without them the method drops to order 1 on it) and the AUTO switch.
     */
    private static TestModel protheroRobinson() {
        return new TestModel("test.prothero-robinson", List.of(signed("y")), List.of(parameter("lambda", -1e6)),
                List.of(), (t, y, p, u, d) -> d[0] = p[0] * (y[0] - 2 - Math.sin(t)) + Math.cos(t));
    }

    private Trajectory run(TestModel m, double[] y0, double[] p, double end, SolverChoice c, double rtol) {
        double[] out = Schedules.grid(0, end / 40, 41);
        return engine.simulate(new SimulationRequest(m, y0, p, 0, end, out, OperatingSchedule.NONE,
                new SolverSettings(c, rtol, 1.0, 1_000_000, Duration.ofSeconds(20))));
    }

    @ParameterizedTest(name = "rtol {0}")
    @ValueSource(doubles = {1e-6, 1e-8, 1e-10})
    void stiffNonAutonomousProblemIsSolvedToTolerance(double rtol) {
        Trajectory tr = run(protheroRobinson(), new double[] {2}, new double[] {-1e6}, 10, SolverChoice.STIFF, rtol);
        double[] t = tr.times();
        double[] y = tr.state("y");
        for (int k = 0; k < t.length; k++) {
            assertThat(Math.abs(y[k] - 2 - Math.sin(t[k]))).as("error at %s h", t[k]).isLessThan(10 * rtol * 3);
        }
        // The step is limited by the accuracy in g, not by stability: an explicit method would need h < 6e-6, i.e.
        // more than 1.6 million steps over 10 h.
        assertThat(tr.statistics().acceptedSteps()).isLessThan(5000);
    }

    @Test
    void autoSwitchesOnAVeryStiffLinearProblem() {
        Trajectory tr = run(protheroRobinson(), new double[] {2}, new double[] {-1e6}, 10, SolverChoice.AUTO, 1e-8);
        assertThat(tr.statistics().stiffSegments()).isEqualTo(1);
        double[] y = tr.state("y");
        assertThat(Math.abs(y[y.length - 1] - 2 - Math.sin(10))).isLessThan(1e-7);
    }

    /**
     * The harmonic oscillator {@code x'' = -x}, {@code x = cos t}, over 10 periods: phase and amplitude errors
     * accumulate, so the global error shows the order of each method at its tolerance.
     */
    @ParameterizedTest
    @EnumSource(SolverChoice.class)
    void harmonicOscillatorOverTenPeriods(SolverChoice c) {
        TestModel osc = new TestModel("test.oscillator", List.of(signed("x"), signed("v")), List.of(), List.of(),
                (t, y, p, u, d) -> {
                    d[0] = y[1];
                    d[1] = -y[0];
                });
        double end = 20 * Math.PI;
        Trajectory tr = run(osc, new double[] {1, 0}, new double[0], end, c, 1e-10);
        double[] t = tr.times();
        double[][] s = tr.states();
        for (int k = 0; k < t.length; k++) {
            assertThat(Math.abs(s[k][0] - Math.cos(t[k]))).as("x at %s", t[k]).isLessThan(1e-7);
            assertThat(Math.abs(s[k][1] + Math.sin(t[k]))).as("v at %s", t[k]).isLessThan(1e-7);
        }
        if (c == SolverChoice.AUTO) {
            assertThat(tr.statistics().stiffSegments()).as("an oscillator is not stiff").isZero();
        }
    }
}
