package org.biotwin.softsensor.internal;

import org.biotwin.api.estimation.OffGasReading;

/**
 * Oxygen uptake and carbon dioxide evolution rates by the inert-gas (N2 + Ar) balance.
 * <p>
 * The exhaust flow is not measured; it follows from the inert gas, which the culture neither consumes nor produces:
 * {@code F_out = F_in · y_I,in / y_I,out} with {@code y_I = 1 − y_O2 − y_CO2} on a dry basis. Then
 * <pre>
 *   OUR = F_in/V · (y_O2,in − y_O2,out · y_I,in / y_I,out)
 *   CER = F_in/V · (y_CO2,out · y_I,in / y_I,out − y_CO2,in)
 * </pre>
 * with {@code F_in} the molar inlet flow. Source: J. Villadsen, J. Nielsen, G. Lidén, <i>Bioreaction Engineering
 * Principles</i>, 3rd ed., Springer 2011, §12 (gas balances); also Royce P.N.C., Thornhill N.F., AIChE J. 37 (1991)
 * 1680-1686. Limits: assumes dry-basis analysis, no gas hold-up dynamics (headspace delay is not compensated), and
 * negligible dissolved CO2/bicarbonate accumulation, which makes CER lag at pH changes.
 * <p>
 * Stateless and thread-safe.
 */
final class InertGasBalance {

    private InertGasBalance() {
    }

    /**
     * Rates of one reading.
     *
     * @param molarVolume L/mol at the flow meter's normal conditions
     * @return {OUR, CER} in mmol/L/h
     */
    static double[] rates(OffGasReading r, double molarVolume) {
        double inletMolarFlow = r.airFlow() / molarVolume * 60.0 * 1000.0; // NL/min -> mmol/h
        double inertIn = 1.0 - r.inletO2() - r.inletCO2();
        double inertOut = 1.0 - r.outletO2() - r.outletCO2();
        double ratio = inertIn / inertOut;
        double our = inletMolarFlow / r.volume() * (r.inletO2() - r.outletO2() * ratio);
        double cer = inletMolarFlow / r.volume() * (r.outletCO2() * ratio - r.inletCO2());
        return new double[] {our, cer};
    }
}
