package org.biotwin.plant.sim.internal;

/**
 * An offline assay: the tag it is published as, the model observable it measures, and its noise. Immutable.
 *
 * @param tag        published tag, for example {@code GLC_lab}
 * @param observable model observable, for example {@code glucose}
 * @param sdAbs      absolute standard deviation, in the observable's unit
 * @param sdRel      relative standard deviation, dimensionless
 */
record LabAssay(String tag, String observable, double sdAbs, double sdRel) {

    /** Parses {@code tag=observable;sd=<abs>;rel=<rel>} (sd and rel optional, default 0). */
    static LabAssay parse(String entry) {
        String[] parts = entry.split(";");
        String[] kv = parts[0].split("=", 2);
        if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
            throw new IllegalArgumentException("'" + entry + "': expected tag=observable[;sd=<abs>][;rel=<rel>]");
        }
        double sd = 0;
        double rel = 0;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.startsWith("sd=")) {
                sd = ConfigNumbers.finite(p.substring(3));
            } else if (p.startsWith("rel=")) {
                rel = ConfigNumbers.finite(p.substring(4));
            } else {
                throw new IllegalArgumentException("'" + entry + "': unknown option '" + p + "' (sd=, rel=)");
            }
        }
        if (sd < 0 || rel < 0) {
            throw new IllegalArgumentException("'" + entry + "': sd and rel must be >= 0");
        }
        return new LabAssay(ReactorSettings.requireTag(kv[0].trim(), entry), kv[1].trim(), sd, rel);
    }

    /** Standard deviation of one result of true value {@code v}. */
    double sd(double v) {
        return Math.hypot(sdAbs, sdRel * v);
    }
}
