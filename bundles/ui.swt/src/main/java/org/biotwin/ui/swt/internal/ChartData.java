package org.biotwin.ui.swt.internal;

import org.jspecify.annotations.Nullable;

/**
 * What one trajectory chart shows, on a batch-age axis (h). Immutable by convention: arrays are not modified after
 * construction (built fresh on each refresh by {@link PanelData}).
 *
 * @param variable   observable name, for example {@code titre}
 * @param unit       its UCUM unit
 * @param measuredT  batch age of measured values, h
 * @param measuredV  measured values
 * @param estimatedT batch age of the twin's estimates, h
 * @param estimatedV estimated observable (the model's measurement function at the estimated state)
 * @param band       predicted 5/50/95 % band to harvest, or null before the first prediction
 * @param advised    median with the selected advisory's action, or null
 * @param nowAge     batch age of the latest estimate, h (NaN if none)
 * @param harvestAge planned harvest age, h (NaN if unknown)
 */
record ChartData(String variable, String unit, double[] measuredT, double[] measuredV, double[] estimatedT,
        double[] estimatedV, @Nullable Band band, @Nullable Band advised, double nowAge, double harvestAge) {

    /** A band over batch age; for an advised course p05 and p95 may equal p50. */
    record Band(double[] t, double[] p05, double[] p50, double[] p95) {
    }

    static ChartData empty(String variable) {
        double[] none = new double[0];
        return new ChartData(variable, "", none, none, none, none, null, null, Double.NaN, Double.NaN);
    }

    boolean hasData() {
        return measuredT.length > 0 || estimatedT.length > 0 || band != null;
    }
}
