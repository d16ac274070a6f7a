package org.biotwin.api.batch;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The electronic batch record context of one unit at one instant: the batch, its recipe and the ISA-88 phase.
 * Samples and twin outputs are tagged with it. Immutable.
 *
 * @param batchId          batch identifier from the MES
 * @param unitId           ISA-88 unit (the bioreactor)
 * @param product          product, for example a monoclonal antibody code
 * @param recipeId         master recipe identifier
 * @param recipeVersion    master recipe version
 * @param state            batch state at that instant
 * @param phase            ISA-88 phase at that instant, for example {@code FED_BATCH}; {@code null} before the first
 * @param batchStart       when the batch was started (time zero of the kinetic models), {@code null} if not started
 * @param recipeParameters recipe parameters as text, for example {@code targetTemperature=36.5}
 * @param materialLots     material lots charged to the batch up to that instant, in the order charged
 */
public record BatchContext(
        String batchId,
        String unitId,
        String product,
        String recipeId,
        String recipeVersion,
        BatchState state,
        @Nullable String phase,
        @Nullable Instant batchStart,
        Map<String, String> recipeParameters,
        List<MaterialLot> materialLots) {

    public BatchContext {
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(unitId, "unitId");
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(recipeId, "recipeId");
        Objects.requireNonNull(recipeVersion, "recipeVersion");
        Objects.requireNonNull(state, "state");
        recipeParameters = Map.copyOf(recipeParameters);
        materialLots = List.copyOf(materialLots);
    }

    /** A context without material lots. */
    public BatchContext(String batchId, String unitId, String product, String recipeId, String recipeVersion,
            BatchState state, @Nullable String phase, @Nullable Instant batchStart,
            Map<String, String> recipeParameters) {
        this(batchId, unitId, product, recipeId, recipeVersion, state, phase, batchStart, recipeParameters, List.of());
    }

    /**
     * Batch age at {@code time} in hours, the time axis of the kinetic models.
     *
     * @throws IllegalStateException if the batch has not started
     */
    public double batchTimeHours(Instant time) {
        if (batchStart == null) {
            throw new IllegalStateException("Batch " + batchId + " on " + unitId + " has not started");
        }
        return (time.toEpochMilli() - batchStart.toEpochMilli()) / 3_600_000.0;
    }
}
