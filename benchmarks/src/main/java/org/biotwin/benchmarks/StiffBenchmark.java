package org.biotwin.benchmarks;

import java.util.concurrent.TimeUnit;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.SolverChoice;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.kinetics.internal.sim.SimulationEngine;
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

/** Robertson to t = 1e5 (stiff) and Park-Ramirez (non-stiff, 7 segments), by integrator choice and tolerance. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class StiffBenchmark {

    @Param({"robertson", "park-ramirez"})
    public String model;

    @Param({"AUTO", "STIFF"})
    public SolverChoice solver;

    @Param({"1e-6", "1e-8"})
    public double rtol;

    private final SimulationEngine engine = new SimulationEngine();
    private SimulationRequest request;

    @Setup
    public void setUp() {
        request = Cases.request(model, solver, rtol);
    }

    @Benchmark
    public Trajectory simulate() {
        return engine.simulate(request);
    }
}
