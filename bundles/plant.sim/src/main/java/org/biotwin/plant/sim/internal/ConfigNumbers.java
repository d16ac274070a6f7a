package org.biotwin.plant.sim.internal;

/** Numbers in configuration text. Stateless. */
final class ConfigNumbers {

    private ConfigNumbers() {
    }

    /**
     * A finite decimal number.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code s}
     */
    static double finite(String s) {
        double v;
        try {
            v = Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s.trim() + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("'" + s.trim() + "' is not finite");
        }
        return v;
    }
}
