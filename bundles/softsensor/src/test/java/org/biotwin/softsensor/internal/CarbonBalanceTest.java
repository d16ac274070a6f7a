package org.biotwin.softsensor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.biotwin.api.estimation.CarbonBalanceReading;
import org.biotwin.api.estimation.CarbonBalanceSettings;
import org.biotwin.api.estimation.CarbonBalanceTracker;
import org.junit.jupiter.api.Test;

/**
 * The carbon balance on a Monod fed-batch whose CO2 is built forward from its own carbon: glucose consumed (6 C per
 * molecule, 180.16 g/mol) minus carbon fixed in biomass (standard composition, 24.6 g/C-mol) leaves as CO2.
 */
class CarbonBalanceTest {

    private static final double GLUCOSE_C = 6 * 1000 / 180.156; // C-mmol per g glucose
    private static final double XC = CarbonBalanceSettings.STANDARD_BIOMASS_CARBON;

    @Test
    void recoversBiomassFromFedCarbonCo2AndResidualGlucose() {
        double muMax = 0.4;
        double ks = 0.1;
        double yxs = 0.5;
        double sf = 200;
        double x = 0.5;
        double s = 10;
        double v = 2;
        double dt = 1.0 / 600; // 6 s Euler steps of the "plant"
        CarbonBalanceTracker tracker = new RespirationSoftSensorComponent()
                .carbonBalance(new CarbonBalanceSettings(XC, x, s * GLUCOSE_C, 0));
        double estimate = Double.NaN;
        for (int k = 0; k <= 16 * 600; k++) {
            double t = k * dt;
            double f = t >= 8 ? 0.01 : 0;
            double mu = muMax * s / (ks + s);
            double uptake = mu * x / yxs; // g glucose/L/h
            double cer = uptake * GLUCOSE_C - mu * x * XC; // mmol CO2/L/h
            boolean labResult = k % 600 == 0; // glucose measured hourly
            estimate = tracker.add(new CarbonBalanceReading(t, f, sf * GLUCOSE_C, cer,
                    labResult ? s * GLUCOSE_C : Double.NaN, Double.NaN, v));
            if (labResult && t > 1) {
                assertThat(estimate).as("biomass at %.0f h", t).isCloseTo(x, within(0.01 * x + 1e-3));
            }
            // advance the plant
            double d = f / v;
            x += dt * (mu * x - d * x);
            s += dt * (-uptake + d * (sf - s));
            v += dt * f;
        }
        assertThat(estimate).isPositive();
    }

    @Test
    void refusesReadingsOutOfOrderAndBadValues() {
        CarbonBalanceTracker tracker = new RespirationSoftSensorComponent()
                .carbonBalance(new CarbonBalanceSettings(XC, 1, 100, 0));
        tracker.add(new CarbonBalanceReading(1, 0, 0, 1, 100, 0, 2));
        assertThatThrownBy(() -> tracker.add(new CarbonBalanceReading(1, 0, 0, 1, 100, 0, 2)))
                .hasMessageContaining("not later");
        assertThatThrownBy(() -> new CarbonBalanceReading(2, -1, 0, 1, 100, 0, 2)).hasMessageContaining("feed rate");
        assertThatThrownBy(() -> new CarbonBalanceSettings(0, 1, 1, 0)).hasMessageContaining("biomass carbon");
    }
}
