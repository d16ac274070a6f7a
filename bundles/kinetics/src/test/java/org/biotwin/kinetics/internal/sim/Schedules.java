package org.biotwin.kinetics.internal.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.biotwin.api.model.InputProfile;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.api.model.ProcessEvent;

/** The operating schedules of the reference cases, identical to those of the SciPy scripts in {@code reference/}. */
final class Schedules {
    private Schedules() {
    }

    /** {@code reference/park_ramirez.py}: feed profile, two boluses and a sample. */
    static OperatingSchedule parkRamirez() {
        return new OperatingSchedule(
                List.of(new InputProfile("u", new double[] {0, 2, 5, 9, 12}, new double[] {0, 0.4, 1.0, 0.6, 0.1})),
                List.of(new ProcessEvent.Bolus(7.0, 0.5, Map.of("x4", 20.0)), new ProcessEvent.Withdrawal(10.5, 0.25),
                        new ProcessEvent.Bolus(12.0, 0.2, Map.of("x4", 40.0))));
    }

    /** {@code reference/cho_like.py}: daily boluses of glucose and glutamine at 24, 48, ..., 312 h. */
    static OperatingSchedule choLikeDailyBoluses() {
        List<ProcessEvent> events = new ArrayList<>();
        for (int k = 1; k <= 13; k++) {
            events.add(new ProcessEvent.Bolus(24.0 * k, 0.025, Map.of("Glc", 300.0, "Gln", 60.0)));
        }
        return new OperatingSchedule(List.of(), events);
    }

    static double[] grid(double start, double step, int count) {
        double[] t = new double[count];
        for (int k = 0; k < count; k++) {
            t[k] = start + step * k;
        }
        return t;
    }
}
