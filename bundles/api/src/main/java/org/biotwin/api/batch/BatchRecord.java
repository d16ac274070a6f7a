package org.biotwin.api.batch;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The electronic batch record of the units: lifecycle commands from the MES and time-to-context lookup.
 * <p>
 * Every command is audited with the acting user. An invalid transition (for example starting a completed batch)
 * throws {@link IllegalStateException} with a message that names the batch, its state and the refused command.
 * Implementations are thread-safe.
 */
@ProviderType
public interface BatchRecord {

    /** Creates a batch on a unit from a recipe. The unit must have no open batch. */
    BatchContext create(String actor, String batchId, String unitId, String product, String recipeId,
            String recipeVersion, Map<String, String> recipeParameters);

    /** Starts a created batch at {@code time} (time zero of the kinetic models). */
    BatchContext start(String actor, String batchId, Instant time);

    /** Enters an ISA-88 phase at {@code time}; the previous phase ends there. */
    BatchContext enterPhase(String actor, String batchId, String phase, Instant time);

    /** Holds a running batch. */
    BatchContext hold(String actor, String batchId, String reason, Instant time);

    /** Restarts a held batch. */
    BatchContext restart(String actor, String batchId, Instant time);

    /** Completes a running or held batch. */
    BatchContext complete(String actor, String batchId, Instant time);

    /** Aborts a batch that is not terminal. */
    BatchContext abort(String actor, String batchId, String reason, Instant time);

    /**
     * The context of a unit at {@code time}, by the sample's own timestamp, so that late samples land in the batch and
     * phase in which they were measured. Empty when no batch was open on the unit then.
     */
    Optional<BatchContext> contextAt(String unitId, Instant time);

    /** The current batch of a unit, if one is open. */
    Optional<BatchContext> current(String unitId);

    /** A batch by id, in its current state. */
    Optional<BatchContext> batch(String batchId);

    /** Every batch of a unit, oldest first. */
    List<BatchContext> batches(String unitId);
}
