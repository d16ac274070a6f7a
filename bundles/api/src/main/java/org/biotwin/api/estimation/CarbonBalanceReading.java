package org.biotwin.api.estimation;

/**
 * One set of readings for the carbon-balance biomass estimator. Carbon amounts are in C-mmol (millimoles of carbon
 * atoms: a glucose molecule is 6 C-mmol per mmol). Immutable.
 *
 * @param time            batch age, h
 * @param feedRate        feed flow, L/h
 * @param feedCarbon      carbon concentration of the feed, C-mmol/L (e.g. 400 g/L glucose = 13,322 C-mmol/L)
 * @param cer             carbon dioxide evolution rate, mmol/L/h
 * @param substrateCarbon measured carbon in the broth's substrate(s), C-mmol/L; NaN when not measured now (the last
 *                        measured value is used)
 * @param productCarbon   measured carbon in products and by-products (lactate, antibody...), C-mmol/L; NaN when not
 *                        measured now
 * @param volume          broth volume, L
 */
public record CarbonBalanceReading(double time, double feedRate, double feedCarbon, double cer,
        double substrateCarbon, double productCarbon, double volume) {

    public CarbonBalanceReading {
        if (!Double.isFinite(time) || !(feedRate >= 0) || !(feedCarbon >= 0) || !Double.isFinite(cer)
                || !(volume > 0) || substrateCarbon < 0 || productCarbon < 0) {
            throw new IllegalArgumentException("Carbon balance reading at " + time + " h: feed rate and feed carbon "
                    + "must be >= 0, CER finite, volume > 0 L, measured carbon >= 0 (NaN when not measured)");
        }
    }
}
