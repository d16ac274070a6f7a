package org.biotwin.kinetics.internal.optimisation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.biotwin.api.kinetics.Constraint;
import org.biotwin.api.kinetics.ConstraintReport;
import org.biotwin.api.kinetics.Objective;
import org.biotwin.api.kinetics.OptimizationProblem;
import org.biotwin.api.kinetics.OptimizationResult;
import org.biotwin.api.kinetics.Progress;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.Simulator;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.model.InputProfile;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.kinetics.internal.sim.SimulatorComponent;
import org.biotwin.kinetics.testmodel.MonodFedBatch;
import org.junit.jupiter.api.Test;

class CvpFeedOptimizerTest {

    private static final Simulator SIM = new SimulatorComponent();
    private static final MonodFedBatch MODEL = new MonodFedBatch();
    private static final double END = 40;
    private static final double FEED_START = 8;

    private final CvpFeedOptimizer optimizer = new CvpFeedOptimizer(SIM);

    private static SimulationRequest base() {
        return new SimulationRequest(MODEL, new double[] {0.5, 20, 0, 1.0}, MODEL.nominalParameters(), 0, END,
                new double[] {END}, OperatingSchedule.NONE, SolverSettings.DEFAULT.withRelTolerance(1e-8));
    }

    @Test
    void withoutConstraintsMaximalVolumeMeansFeedingAtTheUpperBound() {
        // Analytic optimum: V(end) = V0 + sum(F_k * dt) is largest with every F_k at its bound: 1 + 0.05*32 = 2.6 L.
        OptimizationResult r = optimizer.optimize(OptimizationProblem.of(base(), "F", FEED_START, 4, 0, 0.05, 0.01,
                Objective.maximise("V"), List.of()));
        assertThat(r.feasible()).isTrue();
        assertThat(r.objective()).isCloseTo(2.6, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(java.util.Arrays.stream(r.rates()).boxed().toList()).allSatisfy(f -> assertThat(f).isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-7)));
        assertThat(r.initialObjective()).isCloseTo(1 + 0.01 * 32, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void aMaximumVolumeIsMetExactlyAtTheOptimum() {
        // Analytic optimum: max V(end) subject to V <= 1.5 L is 1.5 L.
        OptimizationResult r = optimizer.optimize(OptimizationProblem.of(base(), "F", FEED_START, 5, 0, 0.05, 0.01,
                Objective.maximise("V"), List.of(Constraint.pathMax("V", 1.5))));
        assertThat(r.feasible()).as(r.message()).isTrue();
        assertThat(r.objective()).isCloseTo(1.5, org.assertj.core.data.Offset.offset(1.5e-3));
        ConstraintReport c = r.constraints().get(0);
        assertThat(c.satisfied()).isTrue();
        assertThat(c.worstTime()).isEqualTo(END);
    }

    @Test
    void twoIntervalOptimumIsAtLeastAsGoodAsABruteForceGrid() {
        List<Constraint> cons = List.of(Constraint.pathMax("V", 1.8));
        Objective obj = Objective.maximiseMass("titre", "V");
        OptimizationResult r = optimizer.optimize(OptimizationProblem.of(base(), "F", FEED_START, 2, 0, 0.05, 0.005,
                obj, cons));
        assertThat(r.feasible()).as(r.message()).isTrue();

        // Brute force on a 21 x 21 grid of the two rates, feasibility checked on the same 200-point grid.
        double best = Double.NEGATIVE_INFINITY;
        double[] grid = new double[200];
        for (int k = 0; k < 200; k++) {
            grid[k] = END * k / 199;
        }
        for (int a = 0; a <= 20; a++) {
            for (int b = 0; b <= 20; b++) {
                double f1 = 0.05 * a / 20;
                double f2 = 0.05 * b / 20;
                OperatingSchedule s = OperatingSchedule.NONE.with(new InputProfile("F",
                        new double[] {FEED_START, (FEED_START + END) / 2}, new double[] {f1, f2}));
                Trajectory t = SIM.simulate(new SimulationRequest(MODEL, base().initialState(),
                        MODEL.nominalParameters(), 0, END, grid, s, base().settings()));
                double[] v = t.state("V");
                if (v[v.length - 1] <= 1.8 * (1 + 1e-3)) {
                    best = Math.max(best, t.observable("product_mass")[199]);
                }
            }
        }
        assertThat(r.objective()).isGreaterThanOrEqualTo(best * (1 - 1e-4));
        assertThat(r.gain()).isPositive();
    }

    @Test
    void tenIntervalsWithPathAndEndConstraints() {
        List<Progress> progress = new ArrayList<>();
        OptimizationResult r = optimizer.optimize(OptimizationProblem.of(base(), "F", FEED_START, 10, 0, 0.05, 0.01,
                Objective.maximiseMass("titre", "V"),
                List.of(Constraint.pathMax("V", 1.8), Constraint.endMax("glucose", 2.0))), progress::add);
        assertThat(r.feasible()).as(r.message()).isTrue();
        assertThat(r.initialFeasible()).isTrue();
        assertThat(r.objective()).isGreaterThan(r.initialObjective());
        assertThat(r.relativeGain()).isPositive();
        assertThat(r.constraints()).allSatisfy(c -> assertThat(c.satisfied()).isTrue());
        assertThat(r.optimalProfile().times()).hasSize(10).startsWith(FEED_START);
        assertThat(java.util.Arrays.stream(r.rates()).boxed().toList()).allSatisfy(f -> assertThat(f).isBetween(0.0, 0.05));
        assertThat(progress).isNotEmpty();
        assertThat(r.message()).contains("max titre*V at end");
    }

    @Test
    void anInfeasibleProblemIsReportedWithTheViolatedConstraint() {
        // Glucose starts at 20 g/L: it can never be at or above 30 g/L at every grid point.
        OptimizationResult r = optimizer.optimize(OptimizationProblem.of(base(), "F", FEED_START, 3, 0, 0.05, 0.01,
                Objective.maximiseMass("titre", "V"), List.of(Constraint.pathMin("glucose", 30))));
        assertThat(r.feasible()).isFalse();
        assertThat(r.message()).startsWith("Infeasible").contains("path: 30.0 <= glucose");
        assertThat(r.constraints().get(0).satisfied()).isFalse();
        assertThat(r.constraints().get(0).violation()).isGreaterThan(0);
    }

    @Test
    void anExhaustedEvaluationBudgetReturnsTheBestProfileSoFar() {
        OptimizationProblem p = OptimizationProblem.of(base(), "F", FEED_START, 4, 0, 0.05, 0.01,
                Objective.maximise("V"), List.of());
        OptimizationProblem small = new OptimizationProblem(p.base(), "F", FEED_START, 4, 0, 0.05, p.initialRates(),
                p.objective(), p.constraints(), 50, 1e-4, 15, java.time.Duration.ofSeconds(30));
        OptimizationResult r = optimizer.optimize(small);
        assertThat(r.evaluations()).isEqualTo(15);
        assertThat(r.message()).contains("evaluation budget of 15 simulations exhausted");
        assertThat(r.objective()).isGreaterThanOrEqualTo(r.initialObjective());
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> optimizer.optimize(OptimizationProblem.of(base(), "F_glc", FEED_START, 3, 0, 0.05,
                0.01, Objective.maximise("V"), List.of()))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model has no input 'F_glc' (inputs: [F])");
        assertThatThrownBy(() -> optimizer.optimize(OptimizationProblem.of(base(), "F", FEED_START, 3, 0, 0.9,
                0.01, Objective.maximise("V"), List.of()))).hasMessageContaining("exceed the declared range of F");
        assertThatThrownBy(() -> optimizer.optimize(OptimizationProblem.of(base(), "F", FEED_START, 3, 0, 0.05,
                0.01, Objective.maximise("mAb"), List.of()))).hasMessageContaining("no observable or state named 'mAb'");
        assertThatThrownBy(() -> optimizer.optimize(OptimizationProblem.of(base(), "F", FEED_START, 3, 0, 0.05,
                0.01, Objective.maximise("V"), List.of(Constraint.pathMin("lactate", 1)))))
                .hasMessageContaining("constraint path: 1.0 <= lactate");
        assertThatThrownBy(() -> OptimizationProblem.of(base(), "F", FEED_START, 3, 0.05, 0.01, 0.02,
                Objective.maximise("V"), List.of())).hasMessageContaining("infeasible (lower > upper");
        assertThatThrownBy(() -> OptimizationProblem.of(base(), "F", FEED_START, 3, 0, 0.05, 0.07,
                Objective.maximise("V"), List.of())).hasMessageContaining("initial rate 0.07 of interval 0 outside");
        assertThatThrownBy(() -> Constraint.pathMax("V", Double.NaN)).hasMessageContaining("Constraint on V");
        assertThatThrownBy(() -> OptimizationProblem.of(base(), "F", END, 3, 0, 0.05, 0.01,
                Objective.maximise("V"), List.of())).hasMessageContaining("feed start 40.0 h outside");
    }
}
