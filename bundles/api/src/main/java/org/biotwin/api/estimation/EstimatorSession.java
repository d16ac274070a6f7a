package org.biotwin.api.estimation;

import org.biotwin.api.model.OperatingSchedule;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A running filter for one batch. Not thread-safe: a twin confines its session to one thread.
 */
@ProviderType
public interface EstimatorSession {

    /**
     * Offers an observation. One at or after the latest time is filtered normally. One older than the latest time but
     * within the history window (a late lab result) is filtered at its own sampling time and every later observation
     * is re-filtered, so the result equals filtering in time order. One older than the history window is rejected.
     */
    UpdateResult update(Observation observation);

    /** Predicts the estimate forward to {@code time} (h) without changing the session. */
    Estimate predict(double time);

    /** The latest estimate. */
    Estimate current();

    /** Replaces the schedule (for example after a recorded feed change); re-filters from its first change. */
    void updateSchedule(OperatingSchedule schedule);

    /** The settings of this session, for lineage. */
    EstimatorSpec spec();
}
