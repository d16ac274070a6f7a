package org.biotwin.advisory.internal;

/**
 * The targets and allowed actions of one unit, parsed and checked once. Immutable.
 */
record AdvisoryPolicy(String unit, String productVariable, String volumeVariable, double titreTarget,
        String substrateVariable, double substrateMin, double substrateMax, double volumeMax, double riskLimit,
        String feedInput, double feedMin, double feedMax, int intervals, int ensembleSize, double minimumRelativeGain,
        double price, String currency, double optimisationSeconds, double harvestEarliestAge,
        double harvestLatestAge, double occupancyCostPerHour, double bolusVolume,
        java.util.Map<String, Double> bolusContent, double bolusEarliestAge, double bolusLatestAge) {

    AdvisoryPolicy {
        // insertion order kept: it is the recipe's order, shown to the operator
        bolusContent = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(bolusContent));
    }

    static final String PID = "org.biotwin.advisory.policy";

    static AdvisoryPolicy from(AdvisoryPolicyConfiguration c) {
        String unit = c.unit();
        if (unit == null || unit.isBlank()) {
            throw new IllegalArgumentException("Advisory policy: property 'unit' is required");
        }
        check(unit, "feedMax", c.feedMax() > c.feedMin(), "must be > feedMin (" + c.feedMin() + ")");
        check(unit, "feedMin", c.feedMin() >= 0, "must be >= 0");
        check(unit, "substrateMax", c.substrateMax() > c.substrateMin(), "must be > substrateMin");
        check(unit, "riskLimit", c.riskLimit() > 0 && c.riskLimit() < 1, "must be in (0, 1)");
        check(unit, "intervals", c.intervals() >= 1 && c.intervals() <= 50, "must be in [1, 50]");
        check(unit, "ensembleSize", c.ensembleSize() >= 10 && c.ensembleSize() <= 10_000, "must be in [10, 10000]");
        check(unit, "optimisationSeconds", c.optimisationSeconds() > 0, "must be > 0");
        check(unit, "volumeMax", c.volumeMax() > 0, "must be > 0");
        check(unit, "price", c.price() >= 0 && c.price() < Double.POSITIVE_INFINITY, "must be >= 0 and finite");
        check(unit, "occupancyCostPerHour", c.occupancyCostPerHour() >= 0
                && c.occupancyCostPerHour() < Double.POSITIVE_INFINITY, "must be >= 0 and finite, was "
                + c.occupancyCostPerHour());
        check(unit, "harvestEarliestAge", c.harvestEarliestAge() >= 0 && c.harvestEarliestAge() < 1e6,
                "must be >= 0 h (0 with harvestLatestAge 0 = no window), was " + c.harvestEarliestAge());
        check(unit, "harvestLatestAge", c.harvestLatestAge() >= 0 && c.harvestLatestAge() < 1e6,
                "must be >= 0 h (0 = no window), was " + c.harvestLatestAge());
        check(unit, "harvestLatestAge", c.harvestEarliestAge() == 0 || c.harvestLatestAge() > 0,
                "is required (> 0 h) when harvestEarliestAge is set");
        check(unit, "harvestEarliestAge", c.harvestLatestAge() == 0 || c.harvestEarliestAge() <= c.harvestLatestAge(),
                "must be <= harvestLatestAge (" + c.harvestLatestAge() + " h), was " + c.harvestEarliestAge() + " h");
        check(unit, "bolusVolume", c.bolusVolume() >= 0 && c.bolusVolume() < Double.POSITIVE_INFINITY,
                "must be >= 0 L and finite (0 = no bolus), was " + c.bolusVolume());
        check(unit, "bolusLatestAge", c.bolusLatestAge() >= 0 && c.bolusLatestAge() < 1e6,
                "must be >= 0 h (0 = no bolus window), was " + c.bolusLatestAge());
        check(unit, "bolusEarliestAge", c.bolusEarliestAge() >= 0 && c.bolusEarliestAge() <= Math.max(0,
                c.bolusLatestAge()), "must be within [0, bolusLatestAge] h, was " + c.bolusEarliestAge());
        check(unit, "bolusLatestAge", c.bolusVolume() == 0 || c.bolusLatestAge() > 0,
                "is required (> 0 h) when bolusVolume is set");
        java.util.Map<String, Double> content = new java.util.LinkedHashMap<>();
        for (String entry : c.bolusContent() == null ? new String[0] : c.bolusContent()) {
            String[] kv = entry.split("=", 2);
            double v;
            try {
                v = kv.length == 2 ? Double.parseDouble(kv[1].trim()) : Double.NaN;
            } catch (NumberFormatException e) {
                v = Double.NaN;
            }
            check(unit, "bolusContent", kv.length == 2 && !kv[0].isBlank() && Double.isFinite(v) && v >= 0,
                    "entries must be state=concentration >= 0, was '" + entry + "'");
            content.put(kv[0].trim(), v);
        }
        check(unit, "bolusContent", c.bolusVolume() == 0 || !content.isEmpty(),
                "is required when bolusVolume is set");
        return new AdvisoryPolicy(unit.trim(), c.productVariable(), c.volumeVariable(), c.titreTarget(),
                c.substrateVariable(), c.substrateMin(), c.substrateMax(), c.volumeMax(), c.riskLimit(),
                c.feedInput(), c.feedMin(), c.feedMax(), c.intervals(), c.ensembleSize(), c.minimumRelativeGain(),
                c.price(), c.currency(), c.optimisationSeconds(), c.harvestEarliestAge(), c.harvestLatestAge(),
                c.occupancyCostPerHour(), c.bolusVolume(), content, c.bolusEarliestAge(), c.bolusLatestAge());
    }

    /** Whether the recipe allows a bolus in a window, so that the advisor searches its time. */
    boolean bolusConfigured() {
        return bolusVolume > 0 && bolusLatestAge > 0;
    }

    /** Whether a harvest window is configured, so that the advisor searches the harvest time. */
    boolean harvestWindow() {
        return harvestLatestAge > 0;
    }

    private static void check(String unit, String property, boolean ok, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("Advisory policy of " + unit + ": property '" + property + "' " + rule);
        }
    }
}
