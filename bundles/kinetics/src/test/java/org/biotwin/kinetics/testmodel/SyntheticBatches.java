package org.biotwin.kinetics.testmodel;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.biotwin.api.kinetics.BatchData;
import org.biotwin.api.kinetics.MeasurementSeries;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.Simulator;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.model.InputProfile;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.OperatingSchedule;

/**
 * Synthetic batch records for estimation tests: a simulation at known parameters plus seeded Gaussian noise with a
 * relative standard deviation and an absolute floor. The noise is the only randomness, so a seed fixes the data.
 */
public final class SyntheticBatches {

    private SyntheticBatches() {
    }

    /** A schedule feeding {@code rate} L/h from {@code from} h on. */
    public static OperatingSchedule feedFrom(double from, double rate) {
        return new OperatingSchedule(List.of(new InputProfile("F", new double[] {0, from}, new double[] {0, rate})),
                List.of());
    }

    /**
     * One batch.
     *
     * @param relSd    relative noise standard deviation, for example 0.03
     * @param floorSd  absolute noise floor, in each variable's unit
     */
    public static BatchData batch(Simulator sim, KineticModel model, String id, double[] x0, double[] parameters,
            OperatingSchedule schedule, double[] times, List<String> variables, double relSd, double floorSd,
            long seed) {
        Trajectory tr = sim.simulate(new SimulationRequest(model, x0, parameters, 0, times[times.length - 1], times,
                schedule, SolverSettings.DEFAULT.withRelTolerance(1e-10)));
        Random rng = new Random(seed);
        List<MeasurementSeries> series = new ArrayList<>();
        for (String v : variables) {
            double[] truth = model.observables().stream().anyMatch(o -> o.name().equals(v)) ? tr.observable(v)
                    : tr.state(v);
            String unit = model.observables().stream().filter(o -> o.name().equals(v)).findFirst()
                    .map(o -> o.unit()).orElseGet(() -> model.states().get(model.stateIndex(v)).unit());
            double[] y = new double[times.length];
            double[] sd = new double[times.length];
            for (int k = 0; k < times.length; k++) {
                sd[k] = Math.max(relSd * Math.abs(truth[k]), floorSd);
                y[k] = truth[k] + sd[k] * rng.nextGaussian();
            }
            series.add(new MeasurementSeries(v, unit, times, y, sd));
        }
        return new BatchData(id, x0, 0, schedule, series);
    }

    /** Equally spaced times {@code 0, step, ..., end}. */
    public static double[] times(double end, double step) {
        int n = (int) Math.round(end / step) + 1;
        double[] t = new double[n];
        for (int k = 0; k < n; k++) {
            t[k] = k * step;
        }
        return t;
    }
}
