package org.biotwin.api.kinetics;

import java.util.Objects;

/**
 * A progress report of a long-running task (a fit, an ensemble, an optimisation). Immutable.
 *
 * @param task          what runs, for example {@code fit cho.mab:1.0.0}
 * @param step          iteration of a fit or an optimisation, members completed of an ensemble
 * @param evaluations   model evaluations so far (simulations of all batches at one parameter vector)
 * @param objective     current best objective (weighted sum of squares of a fit, objective of an optimisation), NaN
 *                      for an ensemble
 * @param elapsedMillis wall-clock time since the task started, ms
 */
public record Progress(String task, int step, int evaluations, double objective, long elapsedMillis) {
    public Progress {
        Objects.requireNonNull(task, "task");
    }
}
