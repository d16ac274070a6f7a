package org.biotwin.benchmarks.fitting;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.biotwin.api.kinetics.BatchData;
import org.biotwin.api.kinetics.MeasurementSeries;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.Simulator;
import org.biotwin.api.kinetics.SolverChoice;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.api.model.ProcessEvent;
import org.biotwin.models.cho.internal.ChoMabFedBatchModel;

/**
 * Scenarios of the estimation, Monte Carlo and optimisation benchmarks, on the CHO mAb model bundle
 * (cho.mab.fedbatch 1.0.0) and its reference operation: 14 days, V0 1000 L, daily 0.5-L samples at 24d+1 h, daily
 * 30-L boluses of 300 mM glucose and 40 mM glutamine at 24d+2 h from day 3.
 */
final class ChoScenarios {

    static final KineticModel MODEL = new ChoMabFedBatchModel();
    static final double HARVEST = 336;
    static final SolverSettings SETTINGS = new SolverSettings(SolverChoice.AUTO, 1e-8, 1.0, 1_000_000,
            Duration.ofSeconds(60));
    /** The six parameters of the fit benchmark. */
    static final List<String> FIT_PARAMETERS = List.of("mu_max", "k_d", "q_mAb", "Y_X_glc", "Y_lac_glc", "KI_lac");
    /** Observables sampled in the fit benchmark. */
    static final List<String> OBSERVED = List.of("VCD", "glucose", "lactate", "titre");

    private ChoScenarios() {
    }

    /** The reference schedule; boluses only when {@code boluses}. */
    static OperatingSchedule schedule(boolean boluses) {
        List<ProcessEvent> events = new ArrayList<>();
        for (int d = 1; d <= 13; d++) {
            events.add(new ProcessEvent.Withdrawal(24.0 * d + 1, 0.5));
        }
        if (boluses) {
            for (int d = 3; d <= 13; d++) {
                events.add(new ProcessEvent.Bolus(24.0 * d + 2, 30.0, Map.of("GLC", 300.0, "GLN", 40.0)));
            }
        }
        return new OperatingSchedule(List.of(), events);
    }

    static double[] initialState(double xv, double glc) {
        return new double[] {xv, 0.02, glc, 6.0, 2.0, 1.0, 0.0, 1000.0};
    }

    /** The 14-day batch simulated to harvest with output at {@code times}. */
    static SimulationRequest batch(double[] times) {
        return new SimulationRequest(MODEL, initialState(0.4, 35), MODEL.nominalParameters(), 0, HARVEST, times,
                schedule(true), SETTINGS);
    }

    /** "True" parameters of the synthetic data: nominal with the fitted six moved by +5 to +10 %. */
    static double[] trueParameters() {
        double[] p = MODEL.nominalParameters();
        double[] factor = {1.07, 0.93, 1.10, 1.05, 0.95, 1.08};
        for (int j = 0; j < FIT_PARAMETERS.size(); j++) {
            p[index(FIT_PARAMETERS.get(j))] *= factor[j];
        }
        return p;
    }

    /**
     * Three synthetic batches of 20 samples each (4 observables at days 3, 6, 9, 12 and 14) at {@link #trueParameters},
     * with 5 % seeded Gaussian noise, from three different inocula and start glucose levels.
     */
    static List<BatchData> threeBatches(Simulator sim, long seed) {
        double[] times = {72, 144, 216, 288, 336};
        double[][] starts = {{0.4, 35}, {0.3, 40}, {0.5, 30}};
        Random rng = new Random(seed);
        List<BatchData> out = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            double[] x0 = initialState(starts[b][0], starts[b][1]);
            Trajectory tr = sim.simulate(new SimulationRequest(MODEL, x0, trueParameters(), 0, HARVEST, times,
                    schedule(true), SETTINGS.withRelTolerance(1e-10)));
            List<MeasurementSeries> series = new ArrayList<>();
            for (String v : OBSERVED) {
                double[] truth = tr.observable(v);
                double[] y = new double[truth.length];
                double[] sd = new double[truth.length];
                for (int k = 0; k < truth.length; k++) {
                    sd[k] = Math.max(0.05 * Math.abs(truth[k]), 1e-3);
                    y[k] = truth[k] + sd[k] * rng.nextGaussian();
                }
                String unit = MODEL.observables().stream().filter(o -> o.name().equals(v)).findFirst().orElseThrow()
                        .unit();
                series.add(new MeasurementSeries(v, unit, times, y, sd));
            }
            out.add(new BatchData("SYN-" + (b + 1), x0, 0, schedule(true), series));
        }
        return out;
    }

    static int index(String parameter) {
        for (int i = 0; i < MODEL.parameters().size(); i++) {
            if (MODEL.parameters().get(i).name().equals(parameter)) {
                return i;
            }
        }
        throw new IllegalArgumentException(parameter);
    }
}
