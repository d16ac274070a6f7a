package org.biotwin.kinetics.internal.estimation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.biotwin.api.kinetics.BatchData;
import org.biotwin.api.kinetics.EstimationProblem;
import org.biotwin.api.kinetics.EstimationResult;
import org.biotwin.api.kinetics.FreeParameter;
import org.biotwin.api.kinetics.MeasurementSeries;
import org.biotwin.api.kinetics.ParameterEstimate;
import org.biotwin.api.kinetics.Progress;
import org.biotwin.api.kinetics.Simulator;
import org.biotwin.kinetics.internal.sim.SimulatorComponent;
import org.biotwin.kinetics.testmodel.MonodFedBatch;
import org.biotwin.kinetics.testmodel.SyntheticBatches;
import org.junit.jupiter.api.Test;

class LeastSquaresEstimatorTest {

    private static final Simulator SIM = new SimulatorComponent();
    private static final MonodFedBatch MODEL = new MonodFedBatch();
    private static final double[] TRUE = MODEL.nominalParameters();
    private static final List<String> MEASURED = List.of("biomass", "glucose", "titre");

    private final LeastSquaresEstimator estimator = new LeastSquaresEstimator(SIM);

    static List<BatchData> threeBatches(long seed, double relSd) {
        double[] t = SyntheticBatches.times(30, 2.5);
        return List.of(
                SyntheticBatches.batch(SIM, MODEL, "B1", new double[] {0.5, 20, 0, 1.0}, TRUE,
                        SyntheticBatches.feedFrom(10, 0.02), t, MEASURED, relSd, 0.05, seed),
                SyntheticBatches.batch(SIM, MODEL, "B2", new double[] {0.3, 10, 0, 1.2}, TRUE,
                        SyntheticBatches.feedFrom(6, 0.03), t, MEASURED, relSd, 0.05, seed + 1),
                SyntheticBatches.batch(SIM, MODEL, "B3", new double[] {0.8, 30, 0, 0.8}, TRUE,
                        SyntheticBatches.feedFrom(14, 0.01), t, MEASURED, relSd, 0.05, seed + 2));
    }

    @Test
    void recoversSixParametersFromThreeBatchesWithinTheirIntervals() {
        List<FreeParameter> free = List.of(FreeParameter.of("mu_max", 0.4), FreeParameter.of("K_s", 1.0),
                FreeParameter.of("Y_xs", 0.4), FreeParameter.of("alpha", 0.3), FreeParameter.of("beta", 0.02),
                FreeParameter.of("k_d", 0.02));
        List<Progress> reports = new ArrayList<>();
        EstimationResult r = estimator.estimate(EstimationProblem.of(MODEL, threeBatches(42, 0.03), free),
                reports::add);

        assertThat(r.converged()).as(r.warnings().toString()).isTrue();
        assertThat(r.observations()).isEqualTo(3 * 13 * 3);
        assertThat(r.degreesOfFreedom()).isEqualTo(117 - 6);
        assertThat(r.reducedChiSquare()).isBetween(0.6, 1.5);
        for (FreeParameter f : free) {
            ParameterEstimate e = r.estimate(f.name());
            double truth = TRUE[index(f.name())];
            assertThat(e.ciContains(truth)).as("%s: true %s in %s", f.name(), truth, e).isTrue();
            assertThat(e.ciLower()).isLessThan(e.estimate());
            assertThat(e.ciUpper()).isGreaterThan(e.estimate());
        }
        assertThat(r.estimate("mu_max").estimate()).isCloseTo(0.30, org.assertj.core.data.Percentage.withPercentage(5));
        assertThat(r.estimate("Y_xs").estimate()).isCloseTo(0.50, org.assertj.core.data.Percentage.withPercentage(5));
        // The correlation matrix is a correlation matrix.
        double[][] c = r.correlation();
        for (int a = 0; a < 6; a++) {
            assertThat(c[a][a]).isEqualTo(1.0);
            for (int b = 0; b < 6; b++) {
                assertThat(c[a][b]).isBetween(-1.0, 1.0).isCloseTo(c[b][a], org.assertj.core.data.Offset.offset(1e-12));
            }
        }
        assertThat(r.parameters()[index("S_in")]).isEqualTo(200.0);
        assertThat(reports).isNotEmpty();
        assertThat(reports.get(0).task()).contains("test.monod.fedbatch:1.0.0");
    }

    @Test
    void intervalsCoverTheTruthAtAboutTheNominalRate() {
        // 20 independent noise realisations; a 95 % interval should miss the truth about once.
        int covered = 0;
        int fits = 20;
        for (int s = 0; s < fits; s++) {
            double[] t = SyntheticBatches.times(24, 3);
            BatchData b = SyntheticBatches.batch(SIM, MODEL, "B", new double[] {0.5, 20, 0, 1.0}, TRUE,
                    SyntheticBatches.feedFrom(10, 0.02), t, List.of("biomass", "glucose"), 0.05, 0.05, 1000 + 7L * s);
            EstimationResult r = estimator.estimate(EstimationProblem.of(MODEL, List.of(b),
                    List.of(FreeParameter.of("mu_max", 0.5), FreeParameter.of("Y_xs", 0.3))));
            if (r.estimate("mu_max").ciContains(TRUE[0]) && r.estimate("Y_xs").ciContains(TRUE[2])) {
                covered++;
            }
        }
        // Joint coverage of two 95 % intervals is about 0.90; allow sampling scatter.
        assertThat(covered).isBetween(14, 20);
    }

    @Test
    void warnsAboutACorrelatedPairThatTheDataCannotSeparate() {
        // Short exponential phase with excess substrate: mu ~ mu_max is constant, so alpha*mu + beta acts as one
        // number and alpha and beta are almost perfectly correlated.
        double[] t = SyntheticBatches.times(6, 0.5);
        BatchData b = SyntheticBatches.batch(SIM, MODEL, "EXP", new double[] {0.5, 40, 0, 1.0}, TRUE,
                SyntheticBatches.feedFrom(100, 0.0), t, List.of("titre"), 0.01, 0.001, 7);
        EstimationResult r = estimator.estimate(EstimationProblem.of(MODEL, List.of(b),
                List.of(FreeParameter.of("alpha", 0.3), FreeParameter.of("beta", 0.02))));
        assertThat(Math.abs(r.correlation()[0][1])).isGreaterThan(0.95);
        assertThat(r.warnings()).anyMatch(w -> w.contains("alpha and beta are strongly correlated"));
        assertThat(r.warnings()).anyMatch(w -> w.contains("wider than the estimate")
                || w.contains("near-singular"));
    }

    @Test
    void notConvergedWithinAnIterationBudgetReportsTheBestPointAndWarns() {
        EstimationProblem p = EstimationProblem.of(MODEL, threeBatches(3, 0.03),
                List.of(FreeParameter.of("mu_max", 0.6), FreeParameter.of("Y_xs", 0.2)))
                .withBudgets(1, 100, Duration.ofMinutes(1));
        EstimationResult r = estimator.estimate(p);
        assertThat(r.converged()).isFalse();
        assertThat(r.warnings()).anyMatch(w -> w.startsWith("Not converged"));
        assertThat(r.estimates()).hasSize(2);
    }

    @Test
    void covarianceScalesWithTheReducedChiSquareOnlyWhenAsked() {
        List<BatchData> data = threeBatches(5, 0.03);
        List<FreeParameter> free = List.of(FreeParameter.of("mu_max", 0.35), FreeParameter.of("Y_xs", 0.45));
        EstimationResult scaled = estimator.estimate(EstimationProblem.of(MODEL, data, free));
        EstimationResult absolute = estimator.estimate(EstimationProblem.of(MODEL, data, free)
                .withScaleByReducedChiSquare(false));
        double ratio = scaled.covariance()[0][0] / absolute.covariance()[0][0];
        assertThat(ratio).isCloseTo(scaled.reducedChiSquare(), org.assertj.core.data.Percentage.withPercentage(1));
    }

    @Test
    void concurrentFitsOnOneEstimatorGiveTheSequentialResult() throws Exception {
        EstimationProblem p = EstimationProblem.of(MODEL, threeBatches(9, 0.03),
                List.of(FreeParameter.of("mu_max", 0.35), FreeParameter.of("Y_xs", 0.45)));
        EstimationResult sequential = estimator.estimate(p);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<EstimationResult>> fs = pool.invokeAll(List.of(() -> estimator.estimate(p),
                    () -> estimator.estimate(p)), 60, java.util.concurrent.TimeUnit.SECONDS);
            for (java.util.concurrent.Future<EstimationResult> f : fs) {
                assertThat(f.get().parameters()).containsExactly(sequential.parameters());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- bad input -------------------------------------------------------------------------------------------

    @Test
    void rejectsEmptyData() {
        assertThatThrownBy(() -> EstimationProblem.of(MODEL, List.of(), List.of(FreeParameter.of("mu_max"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no batch data");
        assertThatThrownBy(() -> new BatchData("B9", new double[] {1, 1, 0, 1}, 0,
                SyntheticBatches.feedFrom(1, 0), List.of()))
                .hasMessageContaining("Batch B9: no measurements");
        assertThatThrownBy(() -> new MeasurementSeries("biomass", "g/L", new double[0], new double[0], new double[0]))
                .hasMessageContaining("Measurements of biomass: no samples");
    }

    @Test
    void rejectsInconsistentData() {
        assertThatThrownBy(() -> new MeasurementSeries("titre", "g/L", new double[] {0, 1}, new double[] {1},
                new double[] {1, 1})).hasMessageContaining("titre").hasMessageContaining("2 times, 1 values");
        assertThatThrownBy(() -> MeasurementSeries.withConstantSd("titre", "g/L", new double[] {0, 1},
                new double[] {1, 2}, 0)).hasMessageContaining("standard deviation").hasMessageContaining("> 0");
        assertThatThrownBy(() -> MeasurementSeries.withConstantSd("titre", "g/L", new double[] {2, 1},
                new double[] {1, 2}, 1)).hasMessageContaining("times decrease");
        BatchData wrongDim = new BatchData("B7", new double[] {1, 1}, 0, SyntheticBatches.feedFrom(1, 0),
                List.of(MeasurementSeries.withConstantSd("biomass", "g/L", new double[] {0, 1, 2},
                        new double[] {1, 2, 3}, 0.1)));
        assertThatThrownBy(() -> estimator.estimate(EstimationProblem.of(MODEL, List.of(wrongDim),
                List.of(FreeParameter.of("mu_max"))))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch B7: initial state has 2 entries but the model has 4 states");
        BatchData before = new BatchData("B8", new double[] {1, 1, 0, 1}, 5, SyntheticBatches.feedFrom(1, 0),
                List.of(MeasurementSeries.withConstantSd("biomass", "g/L", new double[] {6, 7}, new double[] {1, 2}, 1)));
        assertThatThrownBy(() -> new BatchData("B8", new double[] {1, 1, 0, 1}, 5, SyntheticBatches.feedFrom(1, 0),
                List.of(MeasurementSeries.withConstantSd("biomass", "g/L", new double[] {4, 7}, new double[] {1, 2},
                        1)))).hasMessageContaining("Batch B8: measurement of biomass at 4.0 h precedes");
        assertThatThrownBy(() -> estimator.estimate(EstimationProblem.of(MODEL, List.of(before),
                List.of(FreeParameter.of("mu_max"), FreeParameter.of("Y_xs"))))).hasMessageContaining(
                        "2 samples for 2 free parameters");
    }

    @Test
    void rejectsUnknownObservableNamingTheChoices() {
        BatchData b = single("lactate", "g/L");
        assertThatThrownBy(() -> estimator.estimate(EstimationProblem.of(MODEL, List.of(b),
                List.of(FreeParameter.of("mu_max"))))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch B: model test.monod.fedbatch:1.0.0 has no observable or state named "
                        + "'lactate'")
                .hasMessageContaining("titre");
    }

    @Test
    void rejectsUnitMismatch() {
        BatchData b = single("titre", "mg/L");
        assertThatThrownBy(() -> estimator.estimate(EstimationProblem.of(MODEL, List.of(b),
                List.of(FreeParameter.of("mu_max"))))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("measurements of titre are in 'mg/L' but the model declares 'g/L'");
    }

    @Test
    void acceptsAStateByName() {
        BatchData b = single("X", "g/L");
        EstimationResult r = estimator.estimate(EstimationProblem.of(MODEL, List.of(b),
                List.of(FreeParameter.of("mu_max"))));
        assertThat(r.estimates()).hasSize(1);
    }

    @Test
    void rejectsInfeasibleBoundsAndStartsOutside() {
        BatchData b = single("biomass", "g/L");
        assertThatThrownBy(() -> estimator.estimate(EstimationProblem.of(MODEL, List.of(b),
                List.of(new FreeParameter("mu_max", 0.3, 1.0, 0.5))))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bounds of mu_max are infeasible: lower 1.0 >= upper 0.5");
        assertThatThrownBy(() -> estimator.estimate(EstimationProblem.of(MODEL, List.of(b),
                List.of(new FreeParameter("mu_max", 0.9, 0.1, 0.5))))).hasMessageContaining(
                        "start 0.9 /h of mu_max is not strictly inside its bounds (0.1, 0.5)");
        assertThatThrownBy(() -> estimator.estimate(EstimationProblem.of(MODEL, List.of(b),
                List.of(FreeParameter.of("mu_max", 0.0))))).hasMessageContaining("not strictly inside");
        assertThatThrownBy(() -> estimator.estimate(EstimationProblem.of(MODEL, List.of(b),
                List.of(FreeParameter.of("mu_maximum"))))).hasMessageContaining(
                        "free parameter 'mu_maximum' is not a parameter of the model");
        assertThatThrownBy(() -> EstimationProblem.of(MODEL, List.of(b), List.of(FreeParameter.of("mu_max")))
                .withFixedValues(Map.of("mu_max", 0.2))).hasMessageContaining("mu_max is both free and fixed");
        assertThatThrownBy(() -> estimator.estimate(EstimationProblem.of(MODEL, List.of(b),
                List.of(FreeParameter.of("mu_max"))).withFixedValues(Map.of("K_s", -1.0))))
                .hasMessageContaining("fixed value -1.0 g/L of K_s outside the model's bounds");
    }

    private static BatchData single(String variable, String unit) {
        double[] t = SyntheticBatches.times(20, 2);
        BatchData truth = SyntheticBatches.batch(SIM, MODEL, "B", new double[] {0.5, 20, 0, 1.0}, TRUE,
                SyntheticBatches.feedFrom(10, 0.02), t, List.of("biomass"), 0.03, 0.05, 1);
        MeasurementSeries m = truth.measurements().get(0);
        return new BatchData("B", truth.initialState(), 0, truth.schedule(), List.of(
                new MeasurementSeries(variable, unit, m.times(), m.values(), m.standardDeviations())));
    }

    private static int index(String name) {
        for (int i = 0; i < MODEL.parameters().size(); i++) {
            if (MODEL.parameters().get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(name);
    }
}
