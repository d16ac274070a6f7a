package org.biotwin.plant.sim.internal;

import java.util.Locale;

/**
 * A fault and, when configured, the window of batch age in which it is active. Immutable.
 * <p>
 * Names: {@code aeration_loss}, {@code feed_pump_failure}, {@code freeze:<tag>}. Text form
 * {@code <name>[@<from h>[-<to h>]]}.
 *
 * @param name  the fault's canonical name
 * @param fromH batch age from which it is active, h (0 = from the start)
 * @param toH   batch age from which it is inactive again, h ({@code +Infinity} = never)
 */
record FaultSpec(String name, double fromH, double toH) {

    static final String AERATION_LOSS = "aeration_loss";
    static final String FEED_PUMP_FAILURE = "feed_pump_failure";
    static final String FREEZE = "freeze:";

    /** Parses a fault name without window, as given by commands; returns the canonical name. */
    static String canonicalName(String text) {
        String t = text.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.equals(AERATION_LOSS) || lower.equals(FEED_PUMP_FAILURE)) {
            return lower;
        }
        if (lower.startsWith(FREEZE) && t.length() > FREEZE.length()) {
            return FREEZE + ReactorSettings.requireTag(t.substring(FREEZE.length()).trim(), t);
        }
        throw new IllegalArgumentException("unknown fault '" + t + "' (aeration_loss, feed_pump_failure, freeze:<tag>)");
    }

    static FaultSpec parse(String text) {
        int at = text.indexOf('@');
        String name = canonicalName(at < 0 ? text : text.substring(0, at));
        if (at < 0) {
            return new FaultSpec(name, 0, Double.POSITIVE_INFINITY);
        }
        String window = text.substring(at + 1).trim();
        int dash = window.indexOf('-', 1);
        double from = ConfigNumbers.finite(dash < 0 ? window : window.substring(0, dash));
        double to = dash < 0 ? Double.POSITIVE_INFINITY : ConfigNumbers.finite(window.substring(dash + 1));
        if (from < 0 || !(to > from)) {
            throw new IllegalArgumentException("fault '" + text + "': window must be <from h>=0 or later, <to h> after it");
        }
        return new FaultSpec(name, from, to);
    }

    boolean activeAt(double ageH) {
        return ageH >= fromH && ageH < toH;
    }

    /** The tag of a {@code freeze:<tag>} fault, or null. */
    String frozenTag() {
        return name.startsWith(FREEZE) ? name.substring(FREEZE.length()) : null;
    }
}
