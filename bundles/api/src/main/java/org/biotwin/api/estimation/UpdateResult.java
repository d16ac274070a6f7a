package org.biotwin.api.estimation;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of offering one observation to a filter. Immutable.
 *
 * @param estimate             the estimate after the update (at the latest time the session has reached)
 * @param fused                whether the observation was fused; if not, {@code rejection} says why
 * @param rejection            why the observation was not fused, {@code null} if it was
 * @param innovation           observed minus predicted value, in the observable's unit (NaN if not computed)
 * @param innovationVariance   predicted variance of the innovation (NaN if not computed)
 * @param outOfSequence        whether the observation was older than the latest one and was filtered at its own time
 * @param refiltered           number of later observations re-filtered because of it
 */
public record UpdateResult(Estimate estimate, boolean fused, @Nullable String rejection, double innovation,
        double innovationVariance, boolean outOfSequence, int refiltered) {

    /** Normalised innovation squared (NIS), the drift-watch statistic; NaN if not computed. */
    public double normalisedInnovationSquared() {
        return innovation * innovation / innovationVariance;
    }
}
