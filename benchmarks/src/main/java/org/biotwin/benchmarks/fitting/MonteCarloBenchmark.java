package org.biotwin.benchmarks.fitting;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.biotwin.api.kinetics.Distribution;
import org.biotwin.api.kinetics.EnsembleResult;
import org.biotwin.api.kinetics.ParameterCovariance;
import org.biotwin.api.kinetics.UncertaintyProblem;
import org.biotwin.kinetics.internal.sim.SimulatorComponent;
import org.biotwin.kinetics.internal.uncertainty.MonteCarloPropagator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time of a 1,000-member Monte Carlo ensemble of the 14-day CHO mAb fed-batch (daily boluses, rtol 1e-8) to end of
 * batch, on a pool of {@code threads} (0 = all cores; target below 0.5 s on 2 cores). Uncertain: mu_max, q_mAb, k_d
 * jointly normal (CV 5 %, correlation 0.5 between mu_max and k_d) and the inoculum Xv log-normal (sigma 0.1).
 * Output times: {@code end} = harvest only, {@code daily} = 15 times. {@code java -jar benchmarks/target/benchmarks.jar
 * MonteCarloBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MonteCarloBenchmark {

    @Param({"0"})
    public int threads;

    @Param({"end", "daily"})
    public String output;

    private MonteCarloPropagator propagator;
    private UncertaintyProblem problem;

    @Setup(Level.Trial)
    public void setUp() {
        propagator = new MonteCarloPropagator(new SimulatorComponent(), threads);
        double[] times = output.equals("end") ? new double[] {ChoScenarios.HARVEST} : daily();
        double mu = 0.029;
        double kd = 0.016;
        double q = 1.51;
        double sMu = 0.05 * mu;
        double sKd = 0.05 * kd;
        double sQ = 0.05 * q;
        ParameterCovariance cov = new ParameterCovariance(List.of("mu_max", "k_d", "q_mAb"),
                new double[] {mu, kd, q}, new double[][] {
                    {sMu * sMu, 0.5 * sMu * sKd, 0},
                    {0.5 * sMu * sKd, sKd * sKd, 0},
                    {0, 0, sQ * sQ}});
        problem = new UncertaintyProblem(ChoScenarios.batch(times), cov, Map.of(),
                Map.of("Xv", new Distribution.LogNormal(0.4, 0.1)), 1000, 42);
        EnsembleResult r = propagator.propagate(problem);
        System.out.printf("%nensemble: %d threads, %d/%d succeeded, titre at harvest p05 %.4f p50 %.4f p95 %.4f g/L%n",
                propagator.parallelism(), r.succeeded(), r.requested(), r.band("titre").orElseThrow().p05()[times.length
                        - 1], r.band("titre").orElseThrow().finalMedian(), r.band("titre").orElseThrow()
                                .p95()[times.length - 1]);
    }

    private static double[] daily() {
        double[] t = new double[15];
        for (int d = 0; d <= 14; d++) {
            t[d] = 24.0 * d;
        }
        return t;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        propagator.close();
    }

    @Benchmark
    public EnsembleResult thousandMembers() {
        return propagator.propagate(problem);
    }
}
