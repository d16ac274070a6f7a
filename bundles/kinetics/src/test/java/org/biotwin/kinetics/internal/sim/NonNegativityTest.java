package org.biotwin.kinetics.internal.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.biotwin.kinetics.internal.sim.TestModel.parameter;
import static org.biotwin.kinetics.internal.sim.TestModel.state;

import java.time.Duration;
import java.util.List;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.SolverChoice;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.api.model.StateKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** States with lower bound 0 stay non-negative, and the model never sees a negative value. */
class NonNegativityTest {

    private final SimulationEngine engine = new SimulationEngine();

    private static SolverSettings settings(SolverChoice c) {
        return new SolverSettings(c, 1e-8, 1.0, 200_000, Duration.ofSeconds(10));
    }

    /**
     * {@code S' = -k sqrt(S)} is NaN for S < 0, so the run fails unless the model only ever sees S >= 0. Exact solution
     * {@code S = (sqrt(S0) - k t / 2)^2} until depletion at {@code t = 2 sqrt(S0) / k}, then 0.
     */
    @ParameterizedTest
    @EnumSource(SolverChoice.class)
    void squareRootConsumptionDepletesToZeroWithoutNaN(SolverChoice c) {
        TestModel m = new TestModel("test.sqrt", List.of(state("S", StateKind.CONCENTRATION)),
                List.of(parameter("k", 1.0)), List.of(), (t, y, p, u, d) -> d[0] = -p[0] * Math.sqrt(y[0]));
        double[] out = Schedules.grid(0, 0.05, 61);
        Trajectory tr = engine.simulate(new SimulationRequest(m, new double[] {1.0}, new double[] {1.0}, 0, 3, out,
                OperatingSchedule.NONE, settings(c)));
        double[] s = tr.state("S");
        for (int k = 0; k < out.length; k++) {
            assertThat(s[k]).as("S at %s h", out[k]).isGreaterThanOrEqualTo(0.0);
            double exact = out[k] < 2 ? Math.pow(1 - out[k] / 2, 2) : 0;
            assertThat(s[k]).as("S at %s h", out[k]).isCloseTo(exact, within(1e-6));
        }
    }

    /**
     * A maintenance term that does not vanish at zero ({@code S' = -m}) would drive S negative; the simulator holds a
     * depleted state at zero while the other states carry on.
     */
    @ParameterizedTest
    @EnumSource(SolverChoice.class)
    void depletedStateIsHeldAtZero(SolverChoice c) {
        TestModel m = new TestModel("test.maintenance",
                List.of(state("S", StateKind.CONCENTRATION), state("X", StateKind.CONCENTRATION)),
                List.of(parameter("m", 1.0)), List.of(), (t, y, p, u, d) -> {
                    d[0] = -p[0];
                    d[1] = 0.1 * y[1];
                });
        double[] out = Schedules.grid(0, 0.1, 31);
        Trajectory tr = engine.simulate(new SimulationRequest(m, new double[] {1.0, 1.0}, new double[] {1.0}, 0, 3,
                out, OperatingSchedule.NONE, settings(c)));
        double[] s = tr.state("S");
        double[] x = tr.state("X");
        for (int k = 0; k < out.length; k++) {
            assertThat(s[k]).as("S at %s h", out[k]).isGreaterThanOrEqualTo(0.0)
                    .isCloseTo(Math.max(0, 1 - out[k]), within(1e-6));
            assertThat(x[k]).isCloseTo(Math.exp(0.1 * out[k]), within(1e-6));
        }
    }

    /** Monod uptake with a tiny half-saturation constant: a sharp depletion corner, no negative output anywhere. */
    @ParameterizedTest
    @EnumSource(SolverChoice.class)
    void sharpMonodDepletionNeverReportsNegativeValues(SolverChoice c) {
        TestModel m = new TestModel("test.monod",
                List.of(state("X", StateKind.CONCENTRATION), state("S", StateKind.CONCENTRATION)),
                List.of(parameter("mu", 0.5), parameter("Ks", 1e-6)), List.of(), (t, y, p, u, d) -> {
                    double mu = p[0] * y[1] / (p[1] + y[1]);
                    d[0] = mu * y[0];
                    d[1] = -2 * mu * y[0];
                });
        double[] out = Schedules.grid(0, 0.01, 1001);
        Trajectory tr = engine.simulate(new SimulationRequest(m, new double[] {0.1, 10}, new double[] {0.5, 1e-6}, 0,
                10, out, OperatingSchedule.NONE, settings(c)));
        for (double[] row : tr.states()) {
            assertThat(row[0]).isGreaterThanOrEqualTo(0.0);
            assertThat(row[1]).isGreaterThanOrEqualTo(0.0);
        }
        // Mass balance X + S/2 is conserved: 0.1 + 5.
        double[] fin = tr.finalState();
        assertThat(fin[0] + fin[1] / 2).isCloseTo(5.1, within(1e-5));
        assertThat(fin[1]).isLessThan(1e-6);
    }
}
