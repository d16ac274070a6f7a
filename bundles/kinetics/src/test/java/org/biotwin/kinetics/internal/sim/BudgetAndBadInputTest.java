package org.biotwin.kinetics.internal.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.biotwin.kinetics.internal.sim.TestModel.input;
import static org.biotwin.kinetics.internal.sim.TestModel.parameter;
import static org.biotwin.kinetics.internal.sim.TestModel.signed;
import static org.biotwin.kinetics.internal.sim.TestModel.state;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.biotwin.api.kinetics.SimulationException;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.SolverChoice;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.model.InputProfile;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.api.model.ProcessEvent;
import org.biotwin.api.model.StateKind;
import org.biotwin.kinetics.internal.sim.testmodels.ParkRamirezModel;
import org.biotwin.kinetics.internal.sim.testmodels.RobertsonModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every bad request and broken model fails with a SimulationException naming the model and what is wrong. */
class BudgetAndBadInputTest {

    private final SimulatorComponent simulator = new SimulatorComponent();
    private static final KineticModel PR = new ParkRamirezModel();
    private static final String PR_ID = "test.park-ramirez:1.0.0";

    private static SolverSettings settings(SolverChoice c, int maxSteps, Duration budget) {
        return new SolverSettings(c, 1e-8, 1.0, maxSteps, budget);
    }

    private Trajectory pr(double[] y0, double[] p, double t0, double t1, double[] out, OperatingSchedule s) {
        return simulator.simulate(new SimulationRequest(PR, y0, p, t0, t1, out, s, SolverSettings.DEFAULT));
    }

    private static final double[] Y0 = {0, 0, 1, 5, 1};
    private static final double[] P = {20};

    @Test
    void theServiceSimulatesAValidRequest() {
        Trajectory tr = pr(Y0, P, 0, 15, new double[] {0, 15}, Schedules.parkRamirez());
        assertThat(tr.finalState()[4]).isGreaterThan(1.0);
        assertThat(tr.observableNames()).containsExactly("P_sec");
    }

    // ---- budgets -------------------------------------------------------------------------------------------------

    @Test
    void stepBudgetStopsAStiffProblemForcedOntoTheExplicitMethod() {
        KineticModel m = new RobertsonModel(true);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> simulator.simulate(new SimulationRequest(m, new double[] {1, 0, 0}, m.nominalParameters(),
                0, 1e5, new double[] {1e5}, OperatingSchedule.NONE,
                settings(SolverChoice.NON_STIFF, 5_000, Duration.ofSeconds(30)))))
                .isInstanceOf(SimulationException.class)
                .hasMessageContaining("test.robertson:1.0.0")
                .hasMessageContaining("step budget of 5000 steps exhausted")
                .hasMessageContaining("SolverChoice.STIFF");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void stepBudgetAlsoBindsTheStiffIntegrator() {
        KineticModel m = new RobertsonModel(true);
        assertThatThrownBy(() -> simulator.simulate(new SimulationRequest(m, new double[] {1, 0, 0}, m.nominalParameters(),
                0, 1e5, new double[] {1e5}, OperatingSchedule.NONE,
                settings(SolverChoice.STIFF, 50, Duration.ofSeconds(30)))))
                .isInstanceOf(SimulationException.class).hasMessageContaining("step budget of 50 steps");
    }

    @ParameterizedTest
    @EnumSource(SolverChoice.class)
    void wallClockBudgetStopsASlowModel(SolverChoice c) {
        // 50 us per evaluation and a problem that needs many steps: far more than the 200 ms budget.
        TestModel slow = new TestModel("test.slow", List.of(signed("x"), signed("v")), List.of(), List.of(),
                (t, y, p, u, d) -> {
                    LockSupport.parkNanos(50_000);
                    d[0] = y[1];
                    d[1] = -y[0];
                });
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> simulator.simulate(new SimulationRequest(slow, new double[] {1, 0}, new double[0], 0,
                1e4, new double[] {1e4}, OperatingSchedule.NONE,
                settings(c, 10_000_000, Duration.ofMillis(200)))))
                .isInstanceOf(SimulationException.class)
                .hasMessageContaining("test.slow:1.0.0")
                .hasMessageContaining("wall-clock budget of 200 ms exhausted");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    }

    // ---- broken model contract -----------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(SolverChoice.class)
    void nanDerivativeNamesModelAndState(SolverChoice c) {
        TestModel m = new TestModel("test.nan", List.of(signed("a"), signed("glucose")), List.of(), List.of(),
                (t, y, p, u, d) -> {
                    d[0] = -y[0];
                    d[1] = t > 0.5 ? Double.NaN : 1;
                });
        assertThatThrownBy(() -> simulator.simulate(new SimulationRequest(m, new double[] {1, 1}, new double[0], 0, 1,
                new double[] {1}, OperatingSchedule.NONE, settings(c, 10_000, Duration.ofSeconds(5)))))
                .isInstanceOf(SimulationException.class)
                .hasMessageContaining("test.nan:1.0.0")
                .hasMessageContaining("derivative of state 'glucose' is NaN");
    }

    @Test
    void infiniteDerivativeNamesModelAndState() {
        TestModel m = new TestModel("test.inf", List.of(signed("lactate")), List.of(), List.of(),
                (t, y, p, u, d) -> d[0] = 1.0 / 0.0);
        assertThatThrownBy(() -> simulator.simulate(new SimulationRequest(m, new double[] {1}, new double[0], 0, 1,
                new double[] {1}, OperatingSchedule.NONE, SolverSettings.DEFAULT)))
                .isInstanceOf(SimulationException.class)
                .hasMessageContaining("test.inf:1.0.0")
                .hasMessageContaining("derivative of state 'lactate' is Infinity");
    }

    /** A model that writes past its derivative array (it declares fewer states than it computes). */
    @ParameterizedTest
    @EnumSource(SolverChoice.class)
    void modelThatThrowsIsReportedWithItsName(SolverChoice c) {
        TestModel m = new TestModel("test.short", List.of(signed("a")), List.of(), List.of(),
                (t, y, p, u, d) -> {
                    d[0] = -y[0];
                    d[1] = y[0];
                });
        assertThatThrownBy(() -> simulator.simulate(new SimulationRequest(m, new double[] {1}, new double[0], 0, 1,
                new double[] {1}, OperatingSchedule.NONE, settings(c, 10_000, Duration.ofSeconds(5)))))
                .isInstanceOf(SimulationException.class)
                .hasMessageContaining("Model test.short:1.0.0: its right-hand side threw")
                .hasMessageContaining("ArrayIndexOutOfBoundsException")
                .hasMessageContaining("state vector of length 1");
    }

    /**
     * y' = y^2, y(0) = 1 blows up at t = 1: no integrator can meet the tolerance past it (AUTO hands the collapse over
     * to RODAS4, which then fails too).
     */
    @ParameterizedTest
    @EnumSource(SolverChoice.class)
    void toleranceThatCannotBeMetFails(SolverChoice c) {
        TestModel m = new TestModel("test.blowup", List.of(signed("y")), List.of(), List.of(),
                (t, y, p, u, d) -> d[0] = y[0] * y[0]);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> simulator.simulate(new SimulationRequest(m, new double[] {1}, new double[0], 0, 2,
                new double[] {2}, OperatingSchedule.NONE, settings(c, 1_000_000, Duration.ofSeconds(10)))))
                .isInstanceOf(SimulationException.class)
                .hasMessageContaining("test.blowup:1.0.0")
                .hasMessageMatching("(?s).*(cannot meet the tolerance|tolerance cannot be met).*")
                .satisfies(e -> System.out.println(c + ": " + e.getMessage()));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void nonFiniteAnalyticJacobianNamesTheEntry() {
        KineticModel m = new RobertsonModel(true) {
            @Override
            public void jacobian(double t, double[] y, double[] p, double[] u, double[][] j) {
                super.jacobian(t, y, p, u, j);
                j[1][2] = Double.NaN;
            }
        };
        assertThatThrownBy(() -> simulator.simulate(new SimulationRequest(m, new double[] {1, 0, 0},
                m.nominalParameters(), 0, 1, new double[] {1}, OperatingSchedule.NONE,
                SolverSettings.DEFAULT.withChoice(SolverChoice.STIFF))))
                .isInstanceOf(SimulationException.class)
                .hasMessageContaining("test.robertson:1.0.0")
                .hasMessageContaining("Jacobian entry d(y2)'/d(y3) is NaN");
    }

    // ---- bad requests --------------------------------------------------------------------------------------------

    @Test
    void wrongInitialStateLength() {
        assertThatThrownBy(() -> pr(new double[] {1, 2}, P, 0, 1, new double[] {1}, OperatingSchedule.NONE))
                .isInstanceOf(SimulationException.class)
                .hasMessage("Model " + PR_ID + ": initial state has 2 values but the model has 5 states "
                        + "[x1, x2, x3, x4, x5]");
    }

    @Test
    void wrongParameterLength() {
        assertThatThrownBy(() -> pr(Y0, new double[] {20, 1}, 0, 1, new double[] {1}, OperatingSchedule.NONE))
                .isInstanceOf(SimulationException.class)
                .hasMessage("Model " + PR_ID + ": parameter vector has 2 values but the model has 1 parameters [S_F]");
    }

    @Test
    void nonFiniteOrNegativeInitialValuesAndParameters() {
        assertThatThrownBy(() -> pr(new double[] {0, 0, Double.NaN, 5, 1}, P, 0, 1, new double[] {1},
                OperatingSchedule.NONE)).hasMessageContaining(PR_ID).hasMessageContaining("initial value of state 'x3' is NaN");
        assertThatThrownBy(() -> pr(new double[] {0, 0, 1, -5, 1}, P, 0, 1, new double[] {1},
                OperatingSchedule.NONE)).hasMessageContaining("state 'x4' is -5.0 g/L but the state cannot be negative");
        assertThatThrownBy(() -> pr(Y0, new double[] {Double.POSITIVE_INFINITY}, 0, 1, new double[] {1},
                OperatingSchedule.NONE)).hasMessageContaining("parameter 'S_F' is Infinity");
    }

    @Test
    void unknownInputInTheSchedule() {
        OperatingSchedule s = OperatingSchedule.NONE.with(InputProfile.constant("F_glc", 0.1));
        assertThatThrownBy(() -> pr(Y0, P, 0, 1, new double[] {1}, s))
                .isInstanceOf(SimulationException.class)
                .hasMessage("Model " + PR_ID + ": the schedule has a profile for unknown input 'F_glc'; the model's "
                        + "inputs are [u]");
    }

    @Test
    void outputTimesOutOfRangeNotIncreasingOrMissing() {
        assertThatThrownBy(() -> pr(Y0, P, 0, 15, new double[] {0, 16}, OperatingSchedule.NONE))
                .hasMessage("Model " + PR_ID + ": output time 16.0 h at index 1 is outside the simulated window "
                        + "[0.0, 15.0] h");
        assertThatThrownBy(() -> pr(Y0, P, 0, 15, new double[] {-1}, OperatingSchedule.NONE))
                .hasMessageContaining("output time -1.0 h at index 0 is outside");
        assertThatThrownBy(() -> pr(Y0, P, 0, 15, new double[] {1, 1}, OperatingSchedule.NONE))
                .hasMessageContaining("output times are not strictly increasing at index 1 (1.0 h, 1.0 h)");
        assertThatThrownBy(() -> pr(Y0, P, 0, 15, new double[] {}, OperatingSchedule.NONE))
                .hasMessageContaining("no output times requested");
        assertThatThrownBy(() -> pr(Y0, P, 5, 5, new double[] {5}, OperatingSchedule.NONE))
                .hasMessageContaining("time window [5.0, 5.0] h is empty");
    }

    @Test
    void bolusesThatTheModelCannotTake() {
        assertThatThrownBy(() -> pr(Y0, P, 0, 15, new double[] {15},
                new OperatingSchedule(List.of(), List.of(new ProcessEvent.Bolus(1, 0.1, Map.of("glc", 1.0))))))
                .hasMessageContaining(PR_ID)
                .hasMessageContaining("bolus of 0.1 L at t = 1.0 h carries unknown state 'glc'");
        assertThatThrownBy(() -> pr(Y0, P, 0, 15, new double[] {15},
                new OperatingSchedule(List.of(), List.of(new ProcessEvent.Bolus(1, 0.1, Map.of("x5", 1.0))))))
                .hasMessageContaining("carries state 'x5' of kind VOLUME");
        assertThatThrownBy(() -> pr(Y0, P, 0, 15, new double[] {15},
                new OperatingSchedule(List.of(), List.of(new ProcessEvent.Bolus(1, 0.1, Map.of("x4", -3.0))))))
                .hasMessageContaining("has content -3.0 g/L of state 'x4'");
        TestModel noVolume = new TestModel("test.novolume", List.of(state("S", StateKind.CONCENTRATION)), List.of(),
                List.of(input("u")), (t, y, p, u, d) -> d[0] = 0);
        assertThatThrownBy(() -> simulator.simulate(new SimulationRequest(noVolume, new double[] {1}, new double[0], 0,
                2, new double[] {2}, new OperatingSchedule(List.of(), List.of(new ProcessEvent.Withdrawal(1, 0.1))),
                SolverSettings.DEFAULT)))
                .hasMessage("Model test.novolume:1.0.0: the schedule has a withdrawal of 0.1 L at t = 1.0 h but the "
                        + "model has no state of kind VOLUME");
    }
}
