package org.biotwin.api.model;

import java.util.Map;

/**
 * A discrete event of a fed-batch that changes the state instantly. The simulator stops the integration at the
 * event, applies it using each state's {@link StateKind}, and restarts.
 */
public sealed interface ProcessEvent permits ProcessEvent.Bolus, ProcessEvent.Withdrawal {

    /** Batch age of the event, h. */
    double time();

    /**
     * A bolus addition of {@code volume} L. For a {@link StateKind#CONCENTRATION} state, {@code content} gives the
     * concentration in the bolus (state unit); for an {@link StateKind#AMOUNT} state, the amount added (state unit).
     * States absent from {@code content} receive nothing.
     */
    record Bolus(double time, double volume, Map<String, Double> content) implements ProcessEvent {
        public Bolus {
            if (!Double.isFinite(time) || !(volume >= 0)) {
                throw new IllegalArgumentException("Bolus at " + time + " h: volume must be >= 0 L, was " + volume);
            }
            content = Map.copyOf(content);
        }
    }

    /** Removal of {@code volume} L of broth, for example an offline sample or a bleed. */
    record Withdrawal(double time, double volume) implements ProcessEvent {
        public Withdrawal {
            if (!Double.isFinite(time) || !(volume >= 0)) {
                throw new IllegalArgumentException("Withdrawal at " + time + " h: volume must be >= 0 L, was " + volume);
            }
        }
    }
}
