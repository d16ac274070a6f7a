package org.biotwin.softsensor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.biotwin.api.estimation.OffGasReading;
import org.biotwin.api.estimation.RespirationRates;
import org.biotwin.api.estimation.RespirationSettings;
import org.biotwin.api.estimation.RespirationTracker;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.model.InputProfile;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.kinetics.internal.sim.SimulatorComponent;
import org.biotwin.models.penicillin.internal.PenSimModel;
import org.junit.jupiter.api.Test;

/**
 * The respiration soft sensor on independent data: a PenSim penicillin fed-batch (Birol, Ündey and Çınar 2002), a
 * published model that no twin of the suite runs. The plant's oxygen uptake includes penicillin production
 * ({@code μ_pp/Y_po·X}), which the soft sensor's Pirt balance does not model, so its biomass is biased by design; this
 * test states the error and bounds it.
 * <p>
 * Method: simulate 400 h (batch to 45 h, then 0.045 L/h of 600 g/L glucose, PenSim's example), build the exhaust gas
 * every 6 min from the model's OUR and CER by a forward gas balance (100 NL/min air, 1 vvm: PenSim's uptake exhausts a smaller flow), add 0.5 % relative noise to the
 * O2 and CO2 analyser readings, run the tracker with the model's own yield Y_xo and maintenance m_o converted to
 * molar units, and compare its biomass with the model's biomass.
 */
class IndependentPenicillinBiomassTest {

    @Test
    void biomassFromOffGasFollowsPenSimWithinAStatedError() {
        KineticModel pensim = new PenSimModel();
        OperatingSchedule feed = new OperatingSchedule(
                List.of(new InputProfile("F_s", new double[] {0, 45}, new double[] {0, 0.045})), List.of());
        int n = 4000;
        double[] times = new double[n + 1];
        for (int k = 0; k <= n; k++) {
            times[k] = 400.0 * k / n;
        }
        Trajectory t = new SimulatorComponent().simulate(new SimulationRequest(pensim, pensim.nominalInitialState(),
                pensim.nominalParameters(), 0, 400, times, feed, SolverSettings.DEFAULT.withRelTolerance(1e-8)));
        double[] ourGrams = t.observable("OUR"); // g O2/L/h
        double[] cer = t.observable("CER"); // mmol/L/h
        double[] volume = t.observable("volume");
        double[] biomass = t.observable("biomass");
        double[] p = pensim.nominalParameters();
        double yxo = p[10] * 32.0 / 1000.0; // g X / g O2 -> g X / mmol O2
        double mo = p[14] / 32.0 * 1000.0; // g O2 / g X / h -> mmol O2 / g X / h
        RespirationTracker tracker = new RespirationSoftSensorComponent()
                .track(new RespirationSettings(RespirationSettings.NORMAL_MOLAR_VOLUME, yxo, mo, biomass[0]));
        Random rnd = new Random(2002);
        double sumSq = 0;
        double worst = 0;
        int count = 0;
        for (int k = 0; k <= n; k++) {
            double our = ourGrams[k] / 32.0 * 1000.0; // mmol/L/h
            OffGasReading exact = RespirationSoftSensorTest.exhaustFor(times[k], our, cer[k], 100, volume[k]);
            OffGasReading noisy = new OffGasReading(times[k], exact.airFlow(), exact.inletO2(), exact.inletCO2(),
                    exact.outletO2() * (1 + 0.005 * rnd.nextGaussian()),
                    exact.outletCO2() * (1 + 0.005 * rnd.nextGaussian()), volume[k]);
            RespirationRates r = tracker.add(noisy);
            if (times[k] >= 24) { // after the first day, when the biomass has grown out of the inoculum
                double rel = (r.biomass() - biomass[k]) / biomass[k];
                sumSq += rel * rel;
                worst = Math.max(worst, Math.abs(rel));
                count++;
            }
        }
        double rms = Math.sqrt(sumSq / count);
        System.out.printf("PenSim biomass from off-gas (Pirt balance, no product term): relative error after 24 h "
                + "rms %.1f %%, worst %.1f %%; biomass at 400 h %.2f g/L%n", 100 * rms, 100 * worst, biomass[n]);
        assertThat(rms).isLessThan(0.05);
        assertThat(worst).isLessThan(0.08);
    }
}
