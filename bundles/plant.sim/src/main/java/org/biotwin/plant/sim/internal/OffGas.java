package org.biotwin.plant.sim.internal;

/**
 * Exhaust-gas composition from the uptake and evolution rates, and back, by the inert-gas (N2 + Ar) balance on a dry
 * basis: {@code n_in (1 - yO2_in - yCO2_in) = n_out (1 - yO2_out - yCO2_out)}, {@code OTR V = n_in yO2_in - n_out
 * yO2_out}, {@code CTR V = n_out yCO2_out - n_in yCO2_in}, with {@code n = Q / V_m} (Q in NL/min at the flow meter's
 * normal conditions). Standard off-gas analysis, for example Heinzle, Dunn, Ingham (2006) "Biological Reaction
 * Engineering", 2nd ed., Wiley-VCH, chapter on gas balances. Stripping into the liquid and water vapour are outside the
 * dry balance. Stateless; thread-safe.
 */
final class OffGas {

    private OffGas() {
    }

    /**
     * Exhaust mole fractions.
     *
     * @param airFlow     inlet flow, NL/min
     * @param our         O2 uptake, mmol/L/h
     * @param cer         CO2 evolution, mmol/L/h
     * @param volume      broth volume, L
     * @param molarVolume L/mol at the flow meter's normal conditions
     * @return {O2, CO2} dry exhaust mole fractions
     */
    static double[] exhaust(double airFlow, double inO2, double inCO2, double our, double cer, double volume,
            double molarVolume) {
        double nIn = airFlow / molarVolume; // mol/min
        double rO2 = our * volume / 1000 / 60; // mol/min
        double rCO2 = cer * volume / 1000 / 60;
        double nOut = nIn - rO2 + rCO2; // the inert flow is conserved, so total out = in - O2 taken + CO2 given
        if (!(nOut > 0)) {
            return new double[] {0, 1 - 1e-9};
        }
        double yO2 = Math.max(0, (nIn * inO2 - rO2) / nOut);
        double yCO2 = Math.max(0, (nIn * inCO2 + rCO2) / nOut);
        return new double[] {yO2, yCO2};
    }

    /** OUR and CER, mmol/L/h, from the inert-gas balance (the off-gas analyser's calculation). */
    static double[] rates(double airFlow, double inO2, double inCO2, double outO2, double outCO2, double volume,
            double molarVolume) {
        double nIn = airFlow / molarVolume;
        double nOut = nIn * (1 - inO2 - inCO2) / (1 - outO2 - outCO2);
        double rO2 = nIn * inO2 - nOut * outO2;
        double rCO2 = nOut * outCO2 - nIn * inCO2;
        return new double[] {rO2 * 60 * 1000 / volume, rCO2 * 60 * 1000 / volume};
    }
}
