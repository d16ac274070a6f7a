package org.biotwin.api.estimation;

/**
 * Constants of the respiration soft sensor. Immutable.
 *
 * @param molarVolume        molar volume of the gas at the flow meter's normal conditions, L/mol (22.414 at 0 °C
 *                           and 101.325 kPa; 24.055 at 20 °C)
 * @param oxygenYield        biomass yield on oxygen Y_X/O, g/mmol
 * @param oxygenMaintenance  maintenance oxygen demand m_O, mmol/g/h
 * @param initialBiomass     biomass concentration at the first reading, g/L
 */
public record RespirationSettings(double molarVolume, double oxygenYield, double oxygenMaintenance,
        double initialBiomass) {

    /** Molar volume of an ideal gas at 0 °C and 101.325 kPa, L/mol (DIN 1343 normal conditions). */
    public static final double NORMAL_MOLAR_VOLUME = 22.414;

    public RespirationSettings {
        if (!(molarVolume > 0) || !(oxygenYield > 0) || !(oxygenMaintenance >= 0) || !(initialBiomass >= 0)) {
            throw new IllegalArgumentException("Respiration settings: molar volume and yield must be > 0, "
                    + "maintenance and initial biomass >= 0");
        }
    }
}
