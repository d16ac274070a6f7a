package org.biotwin.plant.sim.internal;

import java.util.List;

/**
 * Noise and drift of one online measurement. The published value is
 * {@code clip(truth + sign · driftPerDay · age/24 · driftScale + N(0, hypot(noiseAbs, noiseRel · truth)) · noiseScale)},
 * with the drift's sign drawn once per batch from the reactor's seeded generator. Immutable.
 * <p>
 * The magnitudes and their justification are in the README ("Noise and drift"). They are engineering figures typical
 * of the instrument class, not a particular vendor's data sheet.
 *
 * @param tag         published tag
 * @param uom         UCUM unit of the published value
 * @param noiseAbs    absolute noise standard deviation, in {@code uom}
 * @param noiseRel    relative noise standard deviation
 * @param driftPerDay drift rate magnitude, {@code uom} per day of batch age
 * @param min         lowest value the instrument can show
 * @param max         highest value the instrument can show
 */
record SensorSpec(String tag, String uom, double noiseAbs, double noiseRel, double driftPerDay, double min,
        double max) {

    static final String DO = "DO";
    static final String PH = "pH";
    static final String TEMPERATURE = "T";
    static final String OFFGAS_O2 = "offgas.O2";
    static final String OFFGAS_CO2 = "offgas.CO2";
    static final String AIRFLOW = "airflow";
    static final String VOLUME = "volume";
    static final String WEIGHT = "weight";
    static final String OUR = "OUR";
    static final String CER = "CER";
    /** Suffix of the setpoint tag of a feed input. */
    static final String SETPOINT_SUFFIX = ".sp";

    /** The fixed online instruments; feeds are added per configured feed input by {@link #feed}. */
    static List<SensorSpec> instruments() {
        return List.of(
                new SensorSpec(DO, "%", 0.3, 0, 0.2, 0, 150),
                new SensorSpec(PH, "[pH]", 0.005, 0, 0.003, 0, 14),
                new SensorSpec(TEMPERATURE, "Cel", 0.02, 0, 0, -20, 150),
                new SensorSpec(OFFGAS_O2, "1", 1e-4, 0, 2e-5, 0, 1),
                new SensorSpec(OFFGAS_CO2, "1", 2e-5, 0, 5e-6, 0, 1),
                new SensorSpec(AIRFLOW, "L/min", 0, 0.005, 0, 0, Double.MAX_VALUE),
                new SensorSpec(VOLUME, "L", 0, 0.002, 0, 0, Double.MAX_VALUE),
                new SensorSpec(WEIGHT, "kg", 0, 0.001, 0, 0, Double.MAX_VALUE));
    }

    /** The flow meter of a feed: 1 % of reading. */
    static SensorSpec feed(String input, String uom) {
        return new SensorSpec(input, uom, 0, 0.01, 0, 0, Double.MAX_VALUE);
    }

    /** Noise standard deviation at {@code truth}. */
    double sd(double truth) {
        return Math.hypot(noiseAbs, noiseRel * truth);
    }

    double clip(double v) {
        return Math.min(max, Math.max(min, v));
    }
}
