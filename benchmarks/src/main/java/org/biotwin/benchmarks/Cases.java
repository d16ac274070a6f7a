package org.biotwin.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.SolverChoice;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.model.InputProfile;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.api.model.ProcessEvent;
import org.biotwin.kinetics.internal.sim.testmodels.ChoLikeModel;
import org.biotwin.kinetics.internal.sim.testmodels.ParkRamirezModel;
import org.biotwin.kinetics.internal.sim.testmodels.RobertsonModel;
import org.biotwin.models.cho.internal.ChoMabFedBatchModel;

/**
 * The simulation cases of the benchmarks, each identical to a SciPy case in
 * {@code bundles/kinetics/reference/} (same equations, schedule and per-state absolute tolerances), so that
 * right-hand-side counts can be compared.
 */
public final class Cases {

    private Cases() {
    }

    /** Case names: {@code cho-mab-1.0.0}, {@code cho-like}, {@code park-ramirez}, {@code robertson}. */
    public static final List<String> NAMES = List.of("cho-mab-1.0.0", "cho-like", "park-ramirez", "robertson");

    public static SimulationRequest request(String name, SolverChoice choice, double rtol) {
        SolverSettings s = new SolverSettings(choice, rtol, 1.0, 10_000_000, Duration.ofSeconds(60));
        return switch (name) {
            case "cho-mab-1.0.0" -> choMab(s);
            case "cho-like" -> choLike(s);
            case "park-ramirez" -> parkRamirez(s);
            case "robertson" -> robertson(s);
            default -> throw new IllegalArgumentException("Unknown case " + name + "; cases are " + NAMES);
        };
    }

    /**
     * The CHO mAb model bundle (cho.mab.fedbatch 1.0.0, Xing et al. 2010) on its reference batch
     * ({@code bundles/models.cho/reference}): 14 days, V0 1000 L, daily 0.5 L samples at 24d+1 h (d = 1..13), daily
     * 30 L boluses of 300 mM glucose and 40 mM glutamine at 24d+2 h (d = 3..13), output every 4 h: 25 segments.
     */
    static SimulationRequest choMab(SolverSettings s) {
        KineticModel m = new ChoMabFedBatchModel();
        List<ProcessEvent> events = new ArrayList<>();
        for (int d = 1; d <= 13; d++) {
            events.add(new ProcessEvent.Withdrawal(24.0 * d + 1, 0.5));
        }
        for (int d = 3; d <= 13; d++) {
            events.add(new ProcessEvent.Bolus(24.0 * d + 2, 30.0, Map.of("GLC", 300.0, "GLN", 40.0)));
        }
        return new SimulationRequest(m, new double[] {0.4, 0.02, 35.0, 6.0, 2.0, 1.0, 0.0, 1000.0},
                m.nominalParameters(), 0, 336, grid(0, 4, 85), new OperatingSchedule(List.of(), events), s);
    }

    /** The 8-state CHO-like test model: 14 days, boluses every 24 h (13), hourly output: 14 segments. */
    static SimulationRequest choLike(SolverSettings s) {
        KineticModel m = new ChoLikeModel();
        List<ProcessEvent> events = new ArrayList<>();
        for (int k = 1; k <= 13; k++) {
            events.add(new ProcessEvent.Bolus(24.0 * k, 0.025, Map.of("Glc", 300.0, "Gln", 60.0)));
        }
        return new SimulationRequest(m, m.nominalInitialState(), m.nominalParameters(), 0, 336, grid(0, 1, 337),
                new OperatingSchedule(List.of(), events), s);
    }

    /** Park and Ramirez (1988) with the feed profile and events of {@code reference/park_ramirez.py}. */
    static SimulationRequest parkRamirez(SolverSettings s) {
        KineticModel m = new ParkRamirezModel();
        OperatingSchedule sched = new OperatingSchedule(
                List.of(new InputProfile("u", new double[] {0, 2, 5, 9, 12}, new double[] {0, 0.4, 1.0, 0.6, 0.1})),
                List.of(new ProcessEvent.Bolus(7.0, 0.5, Map.of("x4", 20.0)), new ProcessEvent.Withdrawal(10.5, 0.25),
                        new ProcessEvent.Bolus(12.0, 0.2, Map.of("x4", 40.0))));
        return new SimulationRequest(m, new double[] {0, 0, 1, 5, 1}, m.nominalParameters(), 0, 15, grid(0, 0.25, 61),
                sched, s);
    }

    /** Robertson to t = 1e5 with the analytic Jacobian, outputs at 0 and 41 log-spaced times. */
    static SimulationRequest robertson(SolverSettings s) {
        KineticModel m = new RobertsonModel(true);
        double[] t = new double[42];
        for (int k = 0; k < 41; k++) {
            t[k + 1] = Math.pow(10, -5 + 0.25 * k);
        }
        t[41] = 1e5;
        return new SimulationRequest(m, new double[] {1, 0, 0}, m.nominalParameters(), 0, 1e5, t,
                OperatingSchedule.NONE, s);
    }

    static double[] grid(double start, double step, int count) {
        double[] t = new double[count];
        for (int k = 0; k < count; k++) {
            t[k] = start + step * k;
        }
        return t;
    }
}
