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
}
