package org.biotwin.engine.internal;

/**
 * A model parameter the twin re-estimates online as a random-walk state. Immutable.
 *
 * @param name       parameter name in the model
 * @param relativeSd prior standard deviation, relative to the nominal value
 * @param drift      random-walk intensity, relative to the nominal value per square-root hour
 */
record AdaptedParameter(String name, double relativeSd, double drift) {

    /** Parses {@code name;sd=0.2;drift=0.01}. */
    static AdaptedParameter parse(String entry) {
        String[] parts = entry.split(";");
        String name = parts[0].trim();
        if (name.isEmpty()) {
            throw new IllegalArgumentException("adaptedParameters entry '" + entry + "': expected name;sd=..;drift=..");
        }
        double sd = 0.2;
        double drift = 0.0;
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].trim().split("=", 2);
            double v;
            try {
                v = Double.parseDouble(kv[1].trim());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("adaptedParameters entry '" + entry + "': bad number in '"
                        + parts[i] + "'");
            }
            if (!(v >= 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException("adaptedParameters entry '" + entry + "': '" + parts[i]
                        + "' must be finite and >= 0");
            }
            switch (kv[0].trim()) {
                case "sd" -> sd = v;
                case "drift" -> drift = v;
                default -> throw new IllegalArgumentException("adaptedParameters entry '" + entry
                        + "': unknown option '" + kv[0] + "'");
            }
        }
        return new AdaptedParameter(name, sd, drift);
    }

    /** State name of the parameter in the augmented model. */
    String stateName() {
        return "p." + name;
    }
}
