package org.biotwin.benchmarks.estimation;

import java.util.concurrent.TimeUnit;
import org.biotwin.api.estimation.EstimatorSession;
import org.biotwin.api.estimation.EstimatorSpec;
import org.biotwin.api.estimation.FilterKind;
import org.biotwin.api.estimation.Observation;
import org.biotwin.api.estimation.UpdateResult;
import org.biotwin.api.model.InputProfile;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.models.cho.internal.ChoMabFedBatchModel;
import org.biotwin.softsensor.internal.StateEstimatorComponent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One Kalman filter update of the 8-state CHO model (Xing 2010) with one scalar observation (OUR) 1 s after the
 * previous one, as a twin fed at 1 Hz does it: prediction (RK4 with the analytic Jacobian), correction, gate.
 * Target (issue 6): EKF under 20 µs.
 * <p>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar EkfUpdateBenchmark -f 1 -wi 3 -i 5}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EkfUpdateBenchmark {

    @Param({"EKF", "UKF"})
    public FilterKind kind;

    private EstimatorSession session;
    private double time;
    private double our;

    @Setup(Level.Iteration)
    public void open() {
        KineticModel cho = new ChoMabFedBatchModel();
        int n = cho.states().size();
        double[] x0 = cho.nominalInitialState();
        double[][] p0 = new double[n][n];
        double[] q = new double[n];
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0.2 * Math.max(Math.abs(x0[i]), cho.states().get(i).absTolerance());
            p0[i][i] = s * s;
            r[i] = 0.02;
        }
        OperatingSchedule schedule = new OperatingSchedule(
                java.util.List.of(new InputProfile("F_feed", new double[] {0, 72}, new double[] {0, 1.25})),
                java.util.List.of());
        // a short history keeps the benchmark's memory flat; the update cost does not depend on it
        session = new StateEstimatorComponent().open(new EstimatorSpec(cho, cho.nominalParameters(), 24, x0, p0, q, r,
                schedule, kind, 0.05, 6));
        time = 24;
        double[] z = new double[cho.observables().size()];
        cho.observe(24, x0, cho.nominalParameters(), new double[] {0, 300, 40}, z);
        our = z[9];
    }

    @Benchmark
    public UpdateResult update() {
        time += 1.0 / 3600;
        return session.update(new Observation("OUR", time, our, 0.03 * our));
    }
}
