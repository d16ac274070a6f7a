package org.biotwin.api.batch;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The electronic batch record of the units: lifecycle commands from the MES and time-to-context lookup.
 * <p>
 * Lifecycle: {@code CREATED -start-> RUNNING}; {@code RUNNING -enterPhase-> RUNNING} (ISA-88 phases such as
 * {@code INOCULATION, BATCH, FED_BATCH, TEMPERATURE_SHIFT, INDUCTION, HARVEST}); {@code RUNNING -hold-> HELD
 * -restart-> RUNNING}; {@code RUNNING|HELD -complete-> COMPLETED}; {@code CREATED|RUNNING|HELD -abort-> ABORTED}.
 * Command times of one batch must not go backwards, and a unit carries at most one open batch.
 * <p>
 * Every command is audited with the acting user and is durable when the method returns. An invalid transition (for
 * example starting a completed batch) throws {@link IllegalStateException} with a message that names the batch, its
 * state and the refused command; a malformed argument throws {@link IllegalArgumentException}. Implementations are
 * thread-safe.
 */
@ProviderType
public interface BatchRecord {

    /** Creates a batch on a unit from a recipe, now. The unit must have no open batch. */
    default BatchContext create(String actor, String batchId, String unitId, String product, String recipeId,
            String recipeVersion, Map<String, String> recipeParameters) {
        return create(actor, batchId, unitId, product, recipeId, recipeVersion, recipeParameters, List.of(),
                Instant.now());
    }

    /**
     * Creates a batch on a unit from a recipe at {@code time}, with the material lots known at creation. The unit
     * must have no open batch, and {@code time} must not precede the end of the unit's previous batch.
     */
    BatchContext create(String actor, String batchId, String unitId, String product, String recipeId,
            String recipeVersion, Map<String, String> recipeParameters, List<MaterialLot> materialLots, Instant time);

    /** Starts a created batch at {@code time} (time zero of the kinetic models). */
    BatchContext start(String actor, String batchId, Instant time);

    /** Enters an ISA-88 phase at {@code time}; the previous phase ends there. The batch must be running. */
    BatchContext enterPhase(String actor, String batchId, String phase, Instant time);

    /** Holds a running batch. */
    BatchContext hold(String actor, String batchId, String reason, Instant time);

    /** Restarts a held batch. */
    BatchContext restart(String actor, String batchId, Instant time);

    /** Completes a running or held batch. */
    BatchContext complete(String actor, String batchId, Instant time);

    /** Aborts a batch that is not terminal. */
    BatchContext abort(String actor, String batchId, String reason, Instant time);

    /** Charges a material lot to a batch that is not terminal. */
    BatchContext addMaterialLot(String actor, String batchId, MaterialLot lot, Instant time);

    /** Records a key process value of a batch (allowed in any state, for example a titre measured after harvest). */
    void recordKeyValue(String actor, String batchId, KeyValue value, String reason);

    /**
     * The context of a unit at {@code time}, by the sample's own timestamp, so that late samples land in the batch and
     * phase in which they were measured. Empty when no batch was open on the unit then. Intervals are half-open: a
     * phase entered at {@code t} owns {@code t}.
     */
    Optional<BatchContext> contextAt(String unitId, Instant time);

    /** The current batch of a unit, if one is open. */
    Optional<BatchContext> current(String unitId);

    /** A batch by id, in its current state. */
    Optional<BatchContext> batch(String batchId);

    /** Every batch of a unit, oldest first. */
    List<BatchContext> batches(String unitId);

    /** The phases a batch went through, oldest first; empty for an unknown batch. */
    List<PhaseRecord> phases(String batchId);

    /** The key values recorded for a batch, oldest first; empty for an unknown batch. */
    List<KeyValue> keyValues(String batchId);
}
