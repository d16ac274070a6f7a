package org.biotwin.engine.internal;

/**
 * How one plant tag feeds the filter. Immutable.
 *
 * @param tag         plant tag of the unit
 * @param observable  model observable or state it measures
 * @param absoluteSd  absolute standard deviation, in the observable's unit
 * @param relativeSd  relative standard deviation (adds in quadrature)
 * @param offline     a lab result: fused on its own at its sampling time (possibly late)
 */
record ObservationSpec(String tag, String observable, double absoluteSd, double relativeSd, boolean offline) {

    /** Standard deviation of a measured value. */
    double sd(double value) {
        double rel = relativeSd * Math.abs(value);
        return Math.sqrt(absoluteSd * absoluteSd + rel * rel);
    }

    /**
     * Parses {@code tag=observable;sd=0.1[;rel=0.02][;offline]}.
     *
     * @throws IllegalArgumentException naming the entry and what is wrong
     */
    static ObservationSpec parse(String entry) {
        String[] parts = entry.split(";");
        String[] head = parts[0].split("=", 2);
        if (head.length != 2 || head[0].isBlank() || head[1].isBlank()) {
            throw new IllegalArgumentException("observations entry '" + entry + "': expected tag=observable;sd=<value>");
        }
        double sd = Double.NaN;
        double rel = 0;
        boolean offline = false;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.equals("offline")) {
                offline = true;
            } else if (p.startsWith("sd=")) {
                sd = number(entry, p.substring(3));
            } else if (p.startsWith("rel=")) {
                rel = number(entry, p.substring(4));
            } else if (!p.isEmpty()) {
                throw new IllegalArgumentException("observations entry '" + entry + "': unknown option '" + p + "'");
            }
        }
        if (!(sd > 0) && !(rel > 0)) {
            throw new IllegalArgumentException("observations entry '" + entry
                    + "': needs sd=<absolute sd> > 0 or rel=<relative sd> > 0");
        }
        return new ObservationSpec(head[0].trim(), head[1].trim(), Double.isNaN(sd) ? 0 : sd, rel, offline);
    }

    private static double number(String entry, String text) {
        try {
            double v = Double.parseDouble(text.trim());
            if (!Double.isFinite(v) || v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("observations entry '" + entry + "': '" + text
                    + "' is not a finite non-negative number");
        }
    }
}
