package org.biotwin.api.advisory;

import java.util.Map;
import java.util.Objects;
import org.biotwin.api.model.InputProfile;
import org.jspecify.annotations.Nullable;

/**
 * An action on a batch, in the model's terms. Immutable.
 *
 * @param kind         kind of action
 * @param description  what a person would do, in words, for example "Feed F_feed at 1.6 L/h from 80 h to 120 h"
 * @param profile      for FEED_PROFILE and SETPOINT_CHANGE: the input profile from now on (replaces the plan's)
 * @param time         for BOLUS and SETPOINT_CHANGE: batch age of the action, h; for HARVEST_TIME: the new harvest
 *                     age, h
 * @param volume       for BOLUS: volume added, L
 * @param content      for BOLUS: content by state name (as in {@code ProcessEvent.Bolus})
 */
public record ProposedAction(ActionKind kind, String description, @Nullable InputProfile profile, double time,
        double volume, Map<String, Double> content) {

    public ProposedAction {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        content = Map.copyOf(content);
        switch (kind) {
            case FEED_PROFILE, SETPOINT_CHANGE -> {
                if (profile == null) {
                    throw new IllegalArgumentException(kind + " action needs an input profile");
                }
            }
            case HARVEST_TIME -> {
                if (!(time > 0)) {
                    throw new IllegalArgumentException("HARVEST_TIME action needs a harvest age > 0 h");
                }
            }
            case BOLUS -> {
                if (!(volume > 0) || !Double.isFinite(time)) {
                    throw new IllegalArgumentException("BOLUS action needs a time and a volume > 0 L");
                }
            }
        }
    }

    /** A new feed profile. */
    public static ProposedAction feed(InputProfile profile, String description) {
        return new ProposedAction(ActionKind.FEED_PROFILE, description, profile, Double.NaN, 0, Map.of());
    }

    /** Another harvest age. */
    public static ProposedAction harvestAt(double age, String description) {
        return new ProposedAction(ActionKind.HARVEST_TIME, description, null, age, 0, Map.of());
    }

    /** A bolus. */
    public static ProposedAction bolus(double time, double volume, Map<String, Double> content, String description) {
        return new ProposedAction(ActionKind.BOLUS, description, null, time, volume, content);
    }
}
