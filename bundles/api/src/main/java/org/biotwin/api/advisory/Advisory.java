package org.biotwin.api.advisory;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A next-best-action proposal for one batch. Immutable; a decision produces a new instance.
 *
 * @param id          unique id
 * @param unitId      the unit
 * @param batchId     the batch, {@code null} without batch record context
 * @param createdAt   when it was computed
 * @param model       model coordinates it was computed with
 * @param triggers    why the advisor looked: targets missed or constraints threatened by the current prediction
 * @param whatIf      the action with its predicted effect against the current plan (why: both trajectories)
 * @param status      where it stands
 * @param decision    the signed decision, once there is one
 */
public record Advisory(String id, String unitId, @Nullable String batchId, Instant createdAt, String model,
        List<String> triggers, WhatIfResult whatIf, AdvisoryStatus status, @Nullable Decision decision) {

    public Advisory {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(whatIf, "whatIf");
        Objects.requireNonNull(status, "status");
        triggers = List.copyOf(triggers);
    }

    /** The same advisory with another status and decision. */
    public Advisory with(AdvisoryStatus s, @Nullable Decision d) {
        return new Advisory(id, unitId, batchId, createdAt, model, triggers, whatIf, s, d);
    }
}
