package org.biotwin.api.estimation;

import org.osgi.annotation.versioning.ProviderType;

/** Respiration soft sensor by the inert-gas balance, and biomass by the oxygen and carbon balances. Thread-safe. */
@ProviderType
public interface RespirationSoftSensor {

    /** OUR, CER and RQ of one reading, without history (cumulative values and biomass are NaN). */
    RespirationRates rates(OffGasReading reading, double molarVolume);

    /** A tracker for one batch. */
    RespirationTracker track(RespirationSettings settings);

    /** A carbon-balance biomass estimator for one batch (carbon fed − CO2 evolved − carbon left in broth). */
    CarbonBalanceTracker carbonBalance(CarbonBalanceSettings settings);
}
