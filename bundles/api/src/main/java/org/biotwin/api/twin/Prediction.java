package org.biotwin.api.twin;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An end-of-batch prediction from a state estimate and the planned operation. Immutable.
 *
 * @param unitId           ISA-88 unit
 * @param batchId          batch, {@code null} without batch record context
 * @param issuedAt         when the prediction was made (time of the estimate it starts from)
 * @param predictedHarvest predicted harvest time
 * @param ensembleSize     number of ensemble members behind the bands
 * @param bands            predicted variables (titre, biomass, glucose, volume at least)
 * @param lineage          model, estimator and samples behind it
 */
public record Prediction(String unitId, @Nullable String batchId, Instant issuedAt, Instant predictedHarvest,
        int ensembleSize, List<PredictionBand> bands, Lineage lineage) {

    public Prediction {
        Objects.requireNonNull(unitId, "unitId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(predictedHarvest, "predictedHarvest");
        Objects.requireNonNull(lineage, "lineage");
        bands = List.copyOf(bands);
    }

    /** The band of a variable, if predicted. */
    public Optional<PredictionBand> band(String variable) {
        return bands.stream().filter(b -> b.variable().equals(variable)).findFirst();
    }
}
