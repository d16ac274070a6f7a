package org.biotwin.api.estimation;

/**
 * Constants of the carbon-balance biomass estimator. Immutable.
 *
 * @param biomassCarbon          carbon content of the biomass, C-mmol/g (40.65 for the standard composition
 *                               CH1.8O0.5N0.2 of 24.6 g/C-mol; Villadsen, Nielsen, Lidén, Bioreaction Engineering
 *                               Principles, 3rd ed. 2011, Table 3.1)
 * @param initialBiomass         biomass at the first reading, g/L
 * @param initialSubstrateCarbon substrate carbon at the first reading, C-mmol/L
 * @param initialProductCarbon   product carbon at the first reading, C-mmol/L
 */
public record CarbonBalanceSettings(double biomassCarbon, double initialBiomass, double initialSubstrateCarbon,
        double initialProductCarbon) {

    /** Carbon content of standard biomass CH1.8O0.5N0.2 (24.6 g/C-mol), C-mmol/g. */
    public static final double STANDARD_BIOMASS_CARBON = 1000.0 / 24.6;

    public CarbonBalanceSettings {
        if (!(biomassCarbon > 0) || !(initialBiomass >= 0) || !(initialSubstrateCarbon >= 0)
                || !(initialProductCarbon >= 0)) {
            throw new IllegalArgumentException("Carbon balance settings: biomass carbon must be > 0, initial values "
                    + ">= 0");
        }
    }
}
