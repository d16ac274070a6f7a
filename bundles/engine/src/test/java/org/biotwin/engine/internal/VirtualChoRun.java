package org.biotwin.engine.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.api.sample.Sample;
import org.biotwin.kinetics.internal.sim.SimulatorComponent;

/**
 * A simulated CHO fed-batch as the plant: the true trajectory by the kinetic core's simulator (an integrator
 * independent of the filter's), and the samples a plant would send — OUR and the broth volume (from the weight) every minute with 3 % and 0.5 % noise, and lab results
 * (glucose every 12 h, VCD and titre every 24 h) that arrive 4 h after sampling. Samples are in arrival order.
 */
final class VirtualChoRun {

    static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
    static final String UNIT = "BR-101";
    static final double LAB_DELAY_H = 4;

    final Trajectory truth;
    final List<Sample> samplesInArrivalOrder;
    final double[] times;

    VirtualChoRun(KineticModel plant, double[] parameters, OperatingSchedule schedule, double hours, long seed,
            double aerationLossAt) {
        this(plant, parameters, schedule, hours, seed, aerationLossAt, false);
    }

    /**
     * @param rawOffGas publish the exhaust O2 and CO2 mole fractions and the air flow (50 NL/min) instead of the
     *                  analyser's OUR, built forward by a gas balance from the model's OUR and CER
     */
    VirtualChoRun(KineticModel plant, double[] parameters, OperatingSchedule schedule, double hours, long seed,
            double aerationLossAt, boolean rawOffGas) {
        int n = (int) Math.round(hours * 60);
        times = new double[n + 1];
        for (int k = 0; k <= n; k++) {
            times[k] = k / 60.0;
        }
        truth = new SimulatorComponent().simulate(new SimulationRequest(plant, plant.nominalInitialState(),
                parameters, 0, hours, times, schedule, SolverSettings.DEFAULT.withRelTolerance(1e-8)));
        Random rnd = new Random(seed);
        double[] our = truth.observable("OUR");
        double[] glucose = truth.observable("glucose");
        double[] vcd = truth.observable("VCD");
        double[] titre = truth.observable("titre");
        double[] cer = truth.observable("CER");
        double[] volume = truth.observable("volume");
        record Arrival(double at, Sample sample) { }
        List<Arrival> arrivals = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            double t = times[k];
            double o = our[k] * (t >= aerationLossAt ? 0.3 : 1.0); // aeration loss: uptake collapses
            if (rawOffGas) {
                double[] y = exhaust(o, cer[k], 50, volume[k]);
                arrivals.add(new Arrival(t, Sample.of(UNIT, "offgas.O2", at(t), y[0] + 1e-4 * rnd.nextGaussian(), "1")));
                arrivals.add(new Arrival(t, Sample.of(UNIT, "offgas.CO2", at(t), y[1] + 2e-5 * rnd.nextGaussian(),
                        "1")));
                arrivals.add(new Arrival(t, Sample.of(UNIT, "airflow", at(t), 50, "L/min")));
            } else {
                arrivals.add(new Arrival(t, Sample.of(UNIT, "OUR", at(t), o * (1 + 0.03 * rnd.nextGaussian()),
                        "mmol/L/h")));
            }
            arrivals.add(new Arrival(t, Sample.of(UNIT, "weight", at(t), volume[k] * (1 + 0.005 * rnd.nextGaussian()),
                    "L")));
            if (k % (12 * 60) == 0) {
                arrivals.add(new Arrival(t + LAB_DELAY_H, Sample.of(UNIT, "GLC_lab", at(t),
                        glucose[k] + 0.05 * rnd.nextGaussian(), "g/L")));
            }
            if (k % (24 * 60) == 0) {
                arrivals.add(new Arrival(t + LAB_DELAY_H, Sample.of(UNIT, "VCD_lab", at(t),
                        vcd[k] * (1 + 0.05 * rnd.nextGaussian()), "10*6{cells}/mL")));
                arrivals.add(new Arrival(t + LAB_DELAY_H, Sample.of(UNIT, "titre_lab", at(t),
                        titre[k] * (1 + 0.05 * rnd.nextGaussian()), "g/L")));
            }
        }
        arrivals.sort(Comparator.comparingDouble(Arrival::at));
        samplesInArrivalOrder = arrivals.stream().map(Arrival::sample).toList();
    }

    /** Dry exhaust mole fractions {O2, CO2} for given rates, mmol/L/h, by balancing each species in mmol/h. */
    static double[] exhaust(double our, double cer, double airNlPerMin, double volume) {
        double in = airNlPerMin / 22.414 * 60_000;
        double o2 = 0.2095 * in - our * volume;
        double co2 = 0.0004 * in + cer * volume;
        double inert = in * (1 - 0.2095 - 0.0004);
        double total = o2 + co2 + inert;
        return new double[] {o2 / total, co2 / total};
    }

    static Instant at(double hours) {
        return START.plusMillis(Math.round(hours * 3.6e6));
    }

    /** Index of the output time nearest to {@code hours}. */
    int index(double hours) {
        return (int) Math.round(hours * 60);
    }
}
