package org.biotwin.api.twin;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The live twin of one bioreactor unit. Thread-safe. */
@ProviderType
public interface Twin {

    /** The ISA-88 unit this twin mirrors. */
    String unitId();

    /** The latest state estimate, once the twin has one. */
    Optional<TwinState> state();

    /** The latest end-of-batch prediction, once the twin has one. */
    Optional<Prediction> prediction();

    /** The basis for simulating this batch forward (what-if, advice), once the twin has an estimate. */
    Optional<PlanningBasis> planningBasis();

    /** Coordinates {@code id:version} of the model the twin runs, if it has one. */
    Optional<String> activeModel();

    /** Alarms raised so far (drift, missing model), oldest first. */
    java.util.List<String> alarms();

    /** The golden-batch envelope the live batch is compared with, one band per tag; empty when none is configured. */
    java.util.List<GoldenBatchBand> goldenBatch();

    /** Samples of the unit the twin has processed (each exactly once), whether or not they were fused. */
    long samplesProcessed();

    /** Versions of the twin's model id that it may bind now (behind an approval gate: the approved ones). */
    java.util.List<String> availableModelVersions();

    /**
     * Makes a version of the twin's model the active one. The switch happens between two samples and hands the state
     * over by name with its covariance; the choice holds until the next call (or until that version disappears, when
     * the twin falls back to the highest available version and raises an alarm). Callers authorise, sign and audit
     * the change; the twin audits the switch itself.
     *
     * @return coordinates of the previously active model, or {@code none}
     * @throws IllegalArgumentException if that version is not available to the twin
     */
    String activateModel(String version);
}
