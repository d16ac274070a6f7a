package org.biotwin.api.estimation;

/**
 * Respiration soft-sensor output at one time. Immutable.
 *
 * @param time          batch age, h
 * @param our           oxygen uptake rate, mmol/L/h
 * @param cer           carbon dioxide evolution rate, mmol/L/h
 * @param rq            respiratory quotient CER/OUR, dimensionless (NaN while OUR is ~0)
 * @param cumulativeO2  oxygen consumed since the first reading, mmol (trapezoidal integral of OUR·V)
 * @param cumulativeCO2 carbon dioxide evolved since the first reading, mmol
 * @param biomass       biomass concentration from the oxygen balance, g/L
 * @param growthRate    specific growth rate from the oxygen balance, /h
 */
public record RespirationRates(double time, double our, double cer, double rq, double cumulativeO2,
        double cumulativeCO2, double biomass, double growthRate) {
}
