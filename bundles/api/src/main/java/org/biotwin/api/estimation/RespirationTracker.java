package org.biotwin.api.estimation;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Turns successive off-gas readings of one batch into OUR, CER, RQ, cumulative uptake and a biomass estimate. Not
 * thread-safe: one tracker per batch, used from one thread.
 */
@ProviderType
public interface RespirationTracker {

    /**
     * Adds a reading.
     *
     * @throws IllegalArgumentException if the reading is not later than the previous one
     */
    RespirationRates add(OffGasReading reading);
}
