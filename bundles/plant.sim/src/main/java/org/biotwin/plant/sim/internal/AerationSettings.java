package org.biotwin.plant.sim.internal;

/**
 * Constants of the plant's aeration and oxygen transfer ({@link OxygenTransfer}). Immutable.
 *
 * @param doSetpointPct   initial DO setpoint, % air saturation
 * @param doCriticalPct   critical DO below which uptake falls in proportion, % air saturation
 * @param saturation      dissolved O2 at 100 % air saturation, mmol/L
 * @param airMin          lower limit of the air flow, NL/min
 * @param airMax          upper limit of the air flow, NL/min
 * @param airRef          air flow of the reference kLa, NL/min
 * @param klaRef          kLa at {@code airRef}, 1/h
 * @param klaExponent     exponent of kLa on the air flow, dimensionless
 * @param lossFraction    fraction of {@code airMax} reaching the sparger during an aeration loss
 * @param inletO2         O2 mole fraction of the dry inlet gas
 * @param inletCO2        CO2 mole fraction of the dry inlet gas
 */
record AerationSettings(double doSetpointPct, double doCriticalPct, double saturation, double airMin, double airMax,
        double airRef, double klaRef, double klaExponent, double lossFraction, double inletO2, double inletCO2) {

    /** Molar volume at the flow meter's normal conditions (0 °C, 101.325 kPa, DIN 1343), L/mol. */
    static final double NORMAL_MOLAR_VOLUME = 22.414;
}
