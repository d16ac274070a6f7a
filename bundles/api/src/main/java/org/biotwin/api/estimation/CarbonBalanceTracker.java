package org.biotwin.api.estimation;

import org.osgi.annotation.versioning.ProviderType;

/** Biomass of one batch from its carbon balance. Not thread-safe: one tracker per batch. */
@ProviderType
public interface CarbonBalanceTracker {

    /**
     * Adds a reading and returns the biomass estimate, g/L.
     *
     * @throws IllegalArgumentException if the reading is not later than the previous one
     */
    double add(CarbonBalanceReading reading);
}
