package org.biotwin.softsensor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.biotwin.api.estimation.OffGasReading;
import org.biotwin.api.estimation.RespirationRates;
import org.biotwin.api.estimation.RespirationSettings;
import org.biotwin.api.estimation.RespirationTracker;
import org.junit.jupiter.api.Test;

class RespirationSoftSensorTest {

    private static final double VM = RespirationSettings.NORMAL_MOLAR_VOLUME;
    private final RespirationSoftSensorComponent sensor = new RespirationSoftSensorComponent();

    /**
     * Builds the exhaust composition forward from known rates by balancing each species in mmol/h, the inverse of
     * what the soft sensor does, so the test does not reuse the formula under test.
     */
    static OffGasReading exhaustFor(double t, double our, double cer, double airFlow, double volume) {
        double inMolar = airFlow / VM * 60_000; // mmol/h
        double o2In = 0.2095 * inMolar;
        double co2In = 0.0004 * inMolar;
        double inert = inMolar - o2In - co2In;
        double o2Out = o2In - our * volume;
        double co2Out = co2In + cer * volume;
        double total = o2Out + co2Out + inert;
        return new OffGasReading(t, airFlow, 0.2095, 0.0004, o2Out / total, co2Out / total, volume);
    }

    @Test
    void inertGasBalanceRecoversTheRatesThatProducedTheExhaust() {
        RespirationRates r = sensor.rates(exhaustFor(1, 12.5, 11.0, 1.5, 2.0), VM);
        assertThat(r.our()).isCloseTo(12.5, within(1e-9));
        assertThat(r.cer()).isCloseTo(11.0, within(1e-9));
        assertThat(r.rq()).isCloseTo(11.0 / 12.5, within(1e-9));
    }

    @Test
    void oxygenBalanceFollowsExponentialGrowth() {
        double mu = 0.03; // /h, CHO-like
        double x0 = 0.4; // g/L
        double yxo = 0.03; // g/mmol
        double mo = 0.2; // mmol/g/h
        double volume = 2.0;
        RespirationTracker tracker = sensor.track(new RespirationSettings(VM, yxo, mo, x0));
        RespirationRates last = null;
        for (int k = 0; k <= 72 * 60; k++) { // one reading a minute for 72 h
            double t = k / 60.0;
            double x = x0 * Math.exp(mu * t);
            double our = (mu / yxo + mo) * x;
            last = tracker.add(exhaustFor(t, our, 0.9 * our, 1.0, volume));
        }
        double expected = x0 * Math.exp(mu * 72);
        assertThat(last.biomass()).isCloseTo(expected, within(1e-4 * expected));
        assertThat(last.growthRate()).isCloseTo(mu, within(1e-6));
        assertThat(last.rq()).isCloseTo(0.9, within(1e-9));
        // cumulative uptake: integral of OUR*V = V (mu/yxo + mo) x0 (e^(mu t) - 1) / mu
        double cumulative = volume * (mu / yxo + mo) * x0 * (Math.exp(mu * 72) - 1) / mu;
        assertThat(last.cumulativeO2()).isCloseTo(cumulative, within(1e-5 * cumulative));
    }

    @Test
    void readingsOutOfOrderAndPercentagesAreRefused() {
        RespirationTracker tracker = sensor.track(new RespirationSettings(VM, 0.03, 0.2, 0.4));
        tracker.add(exhaustFor(1, 5, 5, 1, 2));
        assertThatThrownBy(() -> tracker.add(exhaustFor(1, 5, 5, 1, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not later");
        assertThatThrownBy(() -> new OffGasReading(1, 1, 20.95, 0.04, 19.5, 1.2, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inlet O2 mole fraction");
        assertThatThrownBy(() -> new OffGasReading(1, Double.NaN, 0.2, 0, 0.19, 0.01, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("air flow");
    }
}
