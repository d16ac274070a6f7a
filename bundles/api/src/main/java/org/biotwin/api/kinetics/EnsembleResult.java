package org.biotwin.api.kinetics;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.biotwin.api.twin.PredictionBand;

/**
 * The outcome of a Monte Carlo propagation: 5/50/95 % quantile bands, at the nominal request's output times, over the
 * members that succeeded. Failed members are counted, never silently dropped. Immutable.
 *
 * @param model           model coordinates {@code id:version}
 * @param requested       members requested
 * @param succeeded       members whose simulation succeeded and whose bands are shown
 * @param failed          members that failed ({@code requested - succeeded})
 * @param failures        the first failures (at most 20), in member order
 * @param stateBands      one band per state, in model order
 * @param observableBands one band per observable, in model order
 * @param seed            seed used
 * @param elapsedMillis   wall-clock time, ms
 */
public record EnsembleResult(String model, int requested, int succeeded, int failed, List<MemberFailure> failures,
        List<PredictionBand> stateBands, List<PredictionBand> observableBands, long seed, long elapsedMillis) {

    public EnsembleResult {
        Objects.requireNonNull(model, "model");
        failures = List.copyOf(failures);
        stateBands = List.copyOf(stateBands);
        observableBands = List.copyOf(observableBands);
        if (succeeded + failed != requested) {
            throw new IllegalArgumentException("Ensemble of " + model + ": " + succeeded + " succeeded + " + failed
                    + " failed != " + requested + " requested");
        }
    }

    /** The band of a state or observable (observables first). */
    public Optional<PredictionBand> band(String variable) {
        return Stream.concat(observableBands.stream(), stateBands.stream())
                .filter(b -> b.variable().equals(variable)).findFirst();
    }
}
