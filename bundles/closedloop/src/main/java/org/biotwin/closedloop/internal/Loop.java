package org.biotwin.closedloop.internal;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.biotwin.api.advisory.ActionKind;
import org.biotwin.api.advisory.Advisory;
import org.biotwin.api.advisory.AdvisoryStatus;
import org.biotwin.api.advisory.ClosedLoopStatus;
import org.biotwin.api.advisory.SetpointWrite;
import org.biotwin.api.model.InputProfile;
import org.jspecify.annotations.Nullable;

/**
 * Closed loop of one unit while it is enabled: which accepted advisory it carries out and what it wrote. Decides the
 * next write from the batch age; the caller writes, audits and reports back. Not thread-safe: the component guards
 * each loop with its monitor, so that a switch-off waits for a write in progress and no write follows it.
 */
final class Loop {

    /** Writes kept for the status. */
    static final int KEEP = 50;

    /** The next write: this value of the executing advisory's profile, at this batch age. */
    record Step(Advisory advisory, double batchAge, double value, double previous, @Nullable String violation) {
    }

    final UnitLimitsComponent limits;
    final String enabledBy;
    final String enabledByName;
    final Instant enabledAt;
    final String signatureId;
    private @Nullable Advisory executing;
    private double lastWritten = Double.NaN;
    private final Set<String> refused = new HashSet<>();
    private final ArrayDeque<SetpointWrite> writes = new ArrayDeque<>();
    private @Nullable String lastRefusal;

    Loop(UnitLimitsComponent limits, String enabledBy, String enabledByName, Instant enabledAt, String signatureId) {
        this.limits = limits;
        this.enabledBy = enabledBy;
        this.enabledByName = enabledByName;
        this.enabledAt = enabledAt;
        this.signatureId = signatureId;
    }

    /**
     * The advisory to carry out now: the newest one of the live batch that was accepted after the enablement and
     * changes this loop's input, unless its writes were refused.
     *
     * @param advisories the unit's advisories, newest first
     */
    @Nullable
    Advisory select(List<Advisory> advisories, @Nullable String batchId) {
        for (Advisory a : advisories) {
            if (a.status() != AdvisoryStatus.ACCEPTED || a.decision() == null
                    || a.decision().time().isBefore(enabledAt) || !Objects.equals(a.batchId(), batchId)) {
                continue;
            }
            InputProfile p = a.whatIf().action().profile();
            ActionKind k = a.whatIf().action().kind();
            if ((k == ActionKind.FEED_PROFILE || k == ActionKind.SETPOINT_CHANGE) && p != null
                    && p.input().equals(limits.limit().input())) {
                return refused.contains(a.id()) ? null : a;
            }
        }
        return null;
    }

    /** Whether {@code a} replaces the advisory carried out so far. */
    boolean switchTo(@Nullable Advisory a) {
        if (a == null || (executing != null && executing.id().equals(a.id()))) {
            return false;
        }
        executing = a;
        return true;
    }

    /**
     * The write due at {@code batchAge}, or {@code null} when the profile's value there was written already (or the
     * profile has not begun).
     *
     * @param planned the planned value at this age, for the step check of the first write (NaN if unknown)
     */
    @Nullable
    Step due(double batchAge, double planned) {
        Advisory a = executing;
        if (a == null) {
            return null;
        }
        InputProfile p = Objects.requireNonNull(a.whatIf().action().profile());
        double v = limits.limit().round(p.valueAt(batchAge, Double.NaN));
        if (Double.isNaN(v) || Double.compare(v, lastWritten) == 0) {
            return null;
        }
        double previous = Double.isNaN(lastWritten) ? planned : lastWritten;
        return new Step(a, batchAge, v, previous, limits.limit().violation(v, previous));
    }

    void written(SetpointWrite w) {
        lastWritten = w.value();
        writes.addLast(w);
        while (writes.size() > KEEP) {
            writes.removeFirst();
        }
    }

    /** Stops carrying out the advisory: a person must act on it. */
    void refuse(Advisory a, String reason) {
        refused.add(a.id());
        lastRefusal = reason;
        if (executing != null && executing.id().equals(a.id())) {
            executing = null;
        }
    }

    ClosedLoopStatus status() {
        Advisory a = executing;
        return new ClosedLoopStatus(limits.unit(), true, enabledBy, enabledByName, enabledAt, signatureId,
                List.of(limits.limit()), a == null ? null : a.id(), List.copyOf(writes), lastRefusal);
    }
}
