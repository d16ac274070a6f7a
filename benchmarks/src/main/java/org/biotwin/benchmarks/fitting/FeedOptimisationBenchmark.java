package org.biotwin.benchmarks.fitting;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.biotwin.api.kinetics.Constraint;
import org.biotwin.api.kinetics.Objective;
import org.biotwin.api.kinetics.OptimizationProblem;
import org.biotwin.api.kinetics.OptimizationResult;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.kinetics.internal.optimisation.CvpFeedOptimizer;
import org.biotwin.kinetics.internal.sim.SimulatorComponent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time of a feed optimisation of the CHO mAb model (target below 5 s for 10 intervals): continuous feed F_feed from
 * day 3 to harvest in {@code intervals} pieces within [0, 3] L/h, maximise titre x volume at day 14, path
 * constraints volume <= 1400 L and glucose >= 0.5 g/L on a 200-point grid, no boluses (only the daily 0.5-L samples).
 * {@code java -jar benchmarks/target/benchmarks.jar FeedOptimisationBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class FeedOptimisationBenchmark {

    @Param({"10"})
    public int intervals;

    private final CvpFeedOptimizer optimizer = new CvpFeedOptimizer(new SimulatorComponent());
    private OptimizationProblem problem;

    @Setup
    public void setUp() {
        SimulationRequest base = new SimulationRequest(ChoScenarios.MODEL, ChoScenarios.initialState(0.4, 35),
                ChoScenarios.MODEL.nominalParameters(), 0, ChoScenarios.HARVEST, new double[] {ChoScenarios.HARVEST},
                ChoScenarios.schedule(false), ChoScenarios.SETTINGS);
        problem = OptimizationProblem.of(base, "F_feed", 72, intervals, 0, 3, 1.25,
                Objective.maximiseMass("titre", "volume"),
                List.of(Constraint.pathMax("volume", 1400), Constraint.pathMin("glucose", 0.5)));
        System.out.printf("%noptimisation: %s%n", optimizer.optimize(problem).message());
    }

    @Benchmark
    public OptimizationResult optimiseFeed() {
        return optimizer.optimize(problem);
    }
}
