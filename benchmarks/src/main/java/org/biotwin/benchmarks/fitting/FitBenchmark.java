package org.biotwin.benchmarks.fitting;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.biotwin.api.kinetics.BatchData;
import org.biotwin.api.kinetics.EstimationProblem;
import org.biotwin.api.kinetics.EstimationResult;
import org.biotwin.api.kinetics.FreeParameter;
import org.biotwin.api.kinetics.Simulator;
import org.biotwin.kinetics.internal.estimation.LeastSquaresEstimator;
import org.biotwin.kinetics.internal.sim.SimulatorComponent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time of a 6-parameter weighted least-squares fit of the CHO mAb model to 3 synthetic batches of 20 samples each
 * (target below 2 s), from nominal start values. {@code java -jar benchmarks/target/benchmarks.jar FitBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FitBenchmark {

    private final Simulator simulator = new SimulatorComponent();
    private final LeastSquaresEstimator estimator = new LeastSquaresEstimator(simulator);
    private EstimationProblem problem;

    @Setup
    public void setUp() {
        List<BatchData> data = ChoScenarios.threeBatches(simulator, 2026);
        problem = EstimationProblem.of(ChoScenarios.MODEL, data,
                ChoScenarios.FIT_PARAMETERS.stream().map(FreeParameter::of).toList())
                .withSettings(ChoScenarios.SETTINGS);
        EstimationResult r = estimator.estimate(problem);
        System.out.printf("%nfit: converged %s, %d iterations, %d evaluations, reduced chi2 %.3f, estimates %s%n",
                r.converged(), r.iterations(), r.evaluations(), r.reducedChiSquare(), r.estimates());
    }

    @Benchmark
    public EstimationResult fitSixParametersThreeBatches() {
        return estimator.estimate(problem);
    }
}
