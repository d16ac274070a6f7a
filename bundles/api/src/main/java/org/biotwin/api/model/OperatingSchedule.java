package org.biotwin.api.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a batch is operated: piecewise-constant input profiles (feeds, temperature and pH setpoints) and discrete
 * events (boluses, sampling). Immutable.
 *
 * @param profiles at most one profile per input
 * @param events   discrete events, sorted by time on construction
 */
public record OperatingSchedule(List<InputProfile> profiles, List<ProcessEvent> events) {

    /** No profiles and no events: every input at its default. */
    public static final OperatingSchedule NONE = new OperatingSchedule(List.of(), List.of());

    public OperatingSchedule {
        Map<String, InputProfile> seen = new HashMap<>();
        for (InputProfile p : profiles) {
            if (seen.put(p.input(), p) != null) {
                throw new IllegalArgumentException("Two profiles for input " + p.input());
            }
        }
        profiles = List.copyOf(profiles);
        List<ProcessEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingDouble(ProcessEvent::time));
        events = List.copyOf(sorted);
    }

    /**
     * Reads the text form used in configurations and recipes, entries separated by {@code ;}:
     * {@code profile:F_feed=0@0,1.25@72} (piecewise-constant input, value@batch age h), {@code bolus:72=50{GLC=300}}
     * (at 72 h, 50 L with this content per state, in the state's unit), {@code withdrawal:24=0.01} (L at h).
     *
     * @return {@link #NONE} for null or blank text
     * @throws IllegalArgumentException naming the entry and what is wrong with it
     * @since 1.1
     */
    public static OperatingSchedule parse(@org.jspecify.annotations.Nullable String text) {
        return ScheduleParser.parse(text);
    }

    /** The profile of an input, if any. */
    public Optional<InputProfile> profile(String input) {
        return profiles.stream().filter(p -> p.input().equals(input)).findFirst();
    }

    /** A copy with {@code profile} replacing any profile of the same input. */
    public OperatingSchedule with(InputProfile profile) {
        List<InputProfile> next = new ArrayList<>(profiles);
        next.removeIf(p -> p.input().equals(profile.input()));
        next.add(profile);
        return new OperatingSchedule(next, events);
    }

    /** A copy with one more event. */
    public OperatingSchedule with(ProcessEvent event) {
        List<ProcessEvent> next = new ArrayList<>(events);
        next.add(event);
        return new OperatingSchedule(profiles, next);
    }
}
