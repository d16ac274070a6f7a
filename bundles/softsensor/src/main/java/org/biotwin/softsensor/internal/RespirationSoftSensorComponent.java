package org.biotwin.softsensor.internal;

import org.biotwin.api.estimation.CarbonBalanceSettings;
import org.biotwin.api.estimation.CarbonBalanceTracker;
import org.biotwin.api.estimation.OffGasReading;
import org.biotwin.api.estimation.RespirationRates;
import org.biotwin.api.estimation.RespirationSettings;
import org.biotwin.api.estimation.RespirationSoftSensor;
import org.biotwin.api.estimation.RespirationTracker;
import org.osgi.service.component.annotations.Component;

/**
 * The respiration soft sensor service: inert-gas balance, oxygen- and carbon-balance biomass. Thread-safe (stateless).
 */
@Component(service = RespirationSoftSensor.class)
public final class RespirationSoftSensorComponent implements RespirationSoftSensor {

    @Override
    public RespirationRates rates(OffGasReading reading, double molarVolume) {
        if (!(molarVolume > 0)) {
            throw new IllegalArgumentException("Molar volume must be > 0 L/mol, was " + molarVolume);
        }
        double[] r = InertGasBalance.rates(reading, molarVolume);
        return new RespirationRates(reading.time(), r[0], r[1], OxygenBalanceTracker.rq(r[0], r[1]), Double.NaN,
                Double.NaN, Double.NaN, Double.NaN);
    }

    @Override
    public RespirationTracker track(RespirationSettings settings) {
        return new OxygenBalanceTracker(settings);
    }

    @Override
    public CarbonBalanceTracker carbonBalance(CarbonBalanceSettings settings) {
        return new CarbonBalance(settings);
    }
}
