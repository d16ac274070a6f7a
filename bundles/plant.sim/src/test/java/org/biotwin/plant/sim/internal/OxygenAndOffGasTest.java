package org.biotwin.plant.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.biotwin.api.estimation.OffGasReading;
import org.biotwin.api.estimation.RespirationRates;
import org.biotwin.softsensor.internal.RespirationSoftSensorComponent;
import org.junit.jupiter.api.Test;

class OxygenAndOffGasTest {

    static final AerationSettings AIR = new AerationSettings(40, 5, 0.2, 5, 200, 50, 8, 0.7, 0.05, 0.2095, 0.0004);

    @Test
    void exhaustCompositionInvertsBackToTheRatesWithTheSoftSensorsIndependentBalance() {
        double our = 2.0;
        double cer = 2.2;
        double volume = 1200;
        double air = 120;
        double[] y = OffGas.exhaust(air, 0.2095, 0.0004, our, cer, volume, 22.414);
        // Less O2 and more CO2 leave than enter; the inert (N2 + Ar) flow is conserved.
        assertThat(y[0]).isLessThan(0.2095);
        assertThat(y[1]).isGreaterThan(0.0004);
        double nIn = air / 22.414;
        double nOut = nIn - our * volume / 60000 + cer * volume / 60000;
        assertThat(nOut * (1 - y[0] - y[1])).isCloseTo(nIn * (1 - 0.2095 - 0.0004), within(1e-12));

        double[] back = OffGas.rates(air, 0.2095, 0.0004, y[0], y[1], volume, 22.414);
        assertThat(back[0]).isCloseTo(our, within(1e-9));
        assertThat(back[1]).isCloseTo(cer, within(1e-9));

        RespirationRates r = new RespirationSoftSensorComponent().rates(
                new OffGasReading(10, air, 0.2095, 0.0004, y[0], y[1], volume), 22.414);
        assertThat(r.our()).isCloseTo(our, within(1e-9 * our));
        assertThat(r.cer()).isCloseTo(cer, within(1e-9 * cer));
    }

    @Test
    void theControllerHoldsTheSetpointWithinItsRangeAndDoRelaxesToTheBalance() {
        double demand = 1.0; // mmol/L/h
        double q = OxygenTransfer.controllerFlow(AIR, demand, 40);
        double kla = OxygenTransfer.kla(AIR, q);
        assertThat(kla * 0.2 * 0.6).isCloseTo(demand, within(1e-9)); // OTR at 40 % = demand
        double c = OxygenTransfer.relax(AIR, 0.2, kla, demand, 10); // 10 h ≫ 1/kLa
        assertThat(c).isCloseTo(0.08, within(1e-9));
        // Out of range: the flow is clipped and DO settles below the setpoint.
        assertThat(OxygenTransfer.controllerFlow(AIR, 100, 40)).isEqualTo(200);
        assertThat(OxygenTransfer.controllerFlow(AIR, 0, 40)).isEqualTo(5);
    }

    @Test
    void belowTheCriticalLevelUptakeFallsWithDoAndMatchesTheTransferCapacity() {
        double kla = OxygenTransfer.kla(AIR, 10); // aeration loss: 5 % of 200 NL/min
        double demand = 3.0;
        double c = OxygenTransfer.relax(AIR, 0.08, kla, demand, 50);
        double crit = 0.2 * 0.05;
        assertThat(c).isLessThan(crit);
        double phi = OxygenTransfer.limitation(AIR, c);
        // At equilibrium, transfer = uptake: kLa (C* - C) = phi * demand.
        assertThat(kla * (0.2 - c)).isCloseTo(phi * demand, within(1e-9));
        assertThat(OxygenTransfer.limitation(AIR, 0.08)).isEqualTo(1.0);
    }
}
