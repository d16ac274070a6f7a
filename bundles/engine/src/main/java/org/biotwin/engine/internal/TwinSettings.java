package org.biotwin.engine.internal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.biotwin.api.estimation.FilterKind;
import org.biotwin.api.model.OperatingSchedule;
import org.jspecify.annotations.Nullable;

/**
 * A twin's configuration, parsed and checked once. Immutable.
 */
record TwinSettings(String unit, String modelId, @Nullable String modelVersion, List<ObservationSpec> observations,
        @Nullable OffGasSpec offGas,
        Map<String, Double> initialState, List<AdaptedParameter> adaptedParameters, double initialRelativeSd, double relativeProcessNoise, FilterKind filter,
        double fuseWindowSeconds, double historyHours, double gateSigma, OperatingSchedule schedule,
        double harvestAgeHours, double predictionIntervalSeconds, int ensembleSize, @Nullable Instant batchStart,
        double driftSlack, double driftLimit, List<String> goldenBatches, double goldenBinHours, double goldenSigma,
        String topicPrefix) {

    TwinSettings {
        observations = List.copyOf(observations);
        initialState = Map.copyOf(initialState);
        adaptedParameters = List.copyOf(adaptedParameters);
        goldenBatches = List.copyOf(goldenBatches);
    }

    /**
     * Parses a configuration.
     *
     * @throws IllegalArgumentException naming the property and the problem
     */
    static TwinSettings from(TwinConfiguration c) {
        String unit = required(c.unit(), "unit");
        String modelId = required(c.modelId(), "modelId");
        String version = c.modelVersion() == null || c.modelVersion().isBlank() ? null : c.modelVersion().trim();
        if (c.observations() == null || c.observations().length == 0) {
            throw new IllegalArgumentException("Twin " + unit + ": property 'observations' is required (at least one "
                    + "tag=observable;sd=... entry)");
        }
        List<ObservationSpec> obs = new ArrayList<>();
        Set<String> tags = new HashSet<>();
        for (String e : c.observations()) {
            ObservationSpec s = wrap(unit, "observations", () -> ObservationSpec.parse(e));
            if (!tags.add(s.tag())) {
                throw new IllegalArgumentException("Twin " + unit + ": property 'observations' maps tag '" + s.tag()
                        + "' twice");
            }
            obs.add(s);
        }
        Map<String, Double> init = new HashMap<>();
        for (String e : c.initialState()) {
            String[] kv = e.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("Twin " + unit + ": property 'initialState' entry '" + e
                        + "' is not state=value");
            }
            init.put(kv[0].trim(), wrap(unit, "initialState", () -> Double.parseDouble(kv[1].trim())));
        }
        List<AdaptedParameter> adapted = new ArrayList<>();
        for (String e : c.adaptedParameters()) {
            adapted.add(wrap(unit, "adaptedParameters", () -> AdaptedParameter.parse(e)));
        }
        positive(unit, "initialRelativeSd", c.initialRelativeSd());
        nonNegative(unit, "relativeProcessNoise", c.relativeProcessNoise());
        nonNegative(unit, "fuseWindowSeconds", c.fuseWindowSeconds());
        nonNegative(unit, "historyHours", c.historyHours());
        positive(unit, "gateSigma", c.gateSigma());
        positive(unit, "harvestAgeHours", c.harvestAgeHours());
        nonNegative(unit, "predictionIntervalSeconds", c.predictionIntervalSeconds());
        if (c.ensembleSize() < 2) {
            throw new IllegalArgumentException("Twin " + unit + ": property 'ensembleSize' must be >= 2, was "
                    + c.ensembleSize());
        }
        nonNegative(unit, "driftSlack", c.driftSlack());
        positive(unit, "goldenBinHours", c.goldenBinHours());
        positive(unit, "goldenSigma", c.goldenSigma());
        if (c.goldenBatches().length > 0 && c.goldenBatches().length < GoldenBatchEnvelope.MIN_BATCHES) {
            throw new IllegalArgumentException("Twin " + unit + ": property 'goldenBatches' needs at least "
                    + GoldenBatchEnvelope.MIN_BATCHES + " batch ids, got " + c.goldenBatches().length);
        }
        positive(unit, "driftLimit", c.driftLimit());
        OperatingSchedule schedule = wrap(unit, "schedule", () -> OperatingSchedule.parse(c.schedule()));
        Instant start = null;
        if (c.batchStart() != null && !c.batchStart().isBlank()) {
            try {
                start = Instant.parse(c.batchStart().trim());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("Twin " + unit + ": property 'batchStart' '" + c.batchStart()
                        + "' is not an ISO-8601 instant such as 2026-01-01T00:00:00Z");
            }
        }
        FilterKind filter = c.filter() == null ? FilterKind.EKF : c.filter();
        OffGasSpec offGas = c.offGas() == null || c.offGas().isBlank() ? null
                : wrap(unit, "offGas", () -> OffGasSpec.parse(c.offGas()));
        return new TwinSettings(unit, modelId, version, obs, offGas, init, adapted, c.initialRelativeSd(), c.relativeProcessNoise(),
                filter, c.fuseWindowSeconds(), c.historyHours(), c.gateSigma(), schedule, c.harvestAgeHours(),
                c.predictionIntervalSeconds(), c.ensembleSize(), start, c.driftSlack(), c.driftLimit(),
                List.of(c.goldenBatches()), c.goldenBinHours(), c.goldenSigma(), required(c.topicPrefix(), "topicPrefix"));
    }

    private interface Parse<T> {
        T get();
    }

    private static <T> T wrap(String unit, String property, Parse<T> p) {
        try {
            return p.get();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Twin " + unit + ": property '" + property + "': " + e.getMessage(), e);
        }
    }

    private static String required(@Nullable String v, String property) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("Twin configuration: property '" + property + "' is required");
        }
        return v.trim();
    }

    private static void positive(String unit, String property, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException("Twin " + unit + ": property '" + property + "' must be > 0, was " + v);
        }
    }

    private static void nonNegative(String unit, String property, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException("Twin " + unit + ": property '" + property + "' must be >= 0, was "
                    + v);
        }
    }
}
