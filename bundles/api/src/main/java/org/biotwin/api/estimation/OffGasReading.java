package org.biotwin.api.estimation;

/**
 * One synchronous set of off-gas analysis and aeration readings, dry basis. Immutable.
 *
 * @param time      batch age, h
 * @param airFlow   inlet gas flow at normal conditions, NL/min (L at 0 °C, 101.325 kPa per minute)
 * @param inletO2   O2 mole fraction of the inlet gas, dry (air: 0.2095)
 * @param inletCO2  CO2 mole fraction of the inlet gas, dry (air: about 0.0004)
 * @param outletO2  O2 mole fraction of the exhaust gas, dry
 * @param outletCO2 CO2 mole fraction of the exhaust gas, dry
 * @param volume    broth volume, L
 */
public record OffGasReading(double time, double airFlow, double inletO2, double inletCO2, double outletO2,
        double outletCO2, double volume) {

    public OffGasReading {
        check(time, "time", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        check(airFlow, "air flow (NL/min)", 0, Double.POSITIVE_INFINITY);
        check(inletO2, "inlet O2 mole fraction", 0, 1);
        check(inletCO2, "inlet CO2 mole fraction", 0, 1);
        check(outletO2, "outlet O2 mole fraction", 0, 1);
        check(outletCO2, "outlet CO2 mole fraction", 0, 1);
        if (!(volume > 0)) {
            throw new IllegalArgumentException("Off-gas reading at " + time + " h: broth volume must be > 0 L, was "
                    + volume);
        }
        if (inletO2 + inletCO2 >= 1 || outletO2 + outletCO2 >= 1) {
            throw new IllegalArgumentException("Off-gas reading at " + time
                    + " h: O2 + CO2 mole fractions leave no inert gas (check units: fractions, not %)");
        }
    }

    private static void check(double v, String what, double min, double max) {
        if (!Double.isFinite(v) || v < min || v > max) {
            throw new IllegalArgumentException("Off-gas reading: " + what + " must be finite in [" + min + ", " + max
                    + "], was " + v);
        }
    }
}
