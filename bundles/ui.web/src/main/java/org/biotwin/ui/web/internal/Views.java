package org.biotwin.ui.web.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.biotwin.api.advisory.Advisory;
import org.biotwin.api.advisory.ClosedLoopStatus;
import org.biotwin.api.advisory.Decision;
import org.biotwin.api.advisory.Outcome;
import org.biotwin.api.advisory.ProposedAction;
import org.biotwin.api.advisory.SetpointLimit;
import org.biotwin.api.advisory.SetpointWrite;
import org.biotwin.api.advisory.WhatIfResult;
import org.biotwin.api.batch.BatchContext;
import org.biotwin.api.historian.Series;
import org.biotwin.api.historian.SeriesPoint;
import org.biotwin.api.lifecycle.ModelStatus;
import org.biotwin.api.model.InputProfile;
import org.biotwin.api.twin.Lineage;
import org.biotwin.api.twin.Prediction;
import org.biotwin.api.twin.PredictionBand;
import org.biotwin.api.twin.TwinState;
import org.jspecify.annotations.Nullable;

/**
 * The JSON shapes of the panel's API (documented in the bundle README), built from the API's immutable values.
 * Non-finite numbers become {@code null}; instants are ISO-8601 UTC strings; batch ages are hours. Stateless and
 * thread-safe.
 */
final class Views {

    static final ObjectMapper JSON = new ObjectMapper();

    private Views() {
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static ObjectNode error(String message) {
        return object().put("error", message);
    }

    static void put(ObjectNode n, String key, double v) {
        if (Double.isFinite(v)) {
            n.put(key, v);
        } else {
            n.putNull(key);
        }
    }

    static void put(ObjectNode n, String key, @Nullable Instant t) {
        if (t == null) {
            n.putNull(key);
        } else {
            n.put(key, t.toString());
        }
    }

    static ArrayNode numbers(double[] v) {
        ArrayNode a = JSON.createArrayNode();
        for (double x : v) {
            if (Double.isFinite(x)) {
                a.add(x);
            } else {
                a.addNull();
            }
        }
        return a;
    }

    static ObjectNode lineage(Lineage l) {
        ObjectNode n = object().put("modelId", l.modelId()).put("modelVersion", l.modelVersion())
                .put("modelDigest", l.modelDigest()).put("estimator", l.estimator()).put("samplesUsed",
                        l.samplesUsed());
        put(n, "firstSample", l.firstSample());
        put(n, "lastSample", l.lastSample());
        return n;
    }

    /** {@code {time, batchAge_h, batch, states:[{name, unit, mean, sd}], lineage}}. */
    static ObjectNode state(TwinState s) {
        ObjectNode n = object();
        put(n, "time", s.time());
        put(n, "batchAge_h", s.batchAge());
        n.put("batch", s.batchId());
        ArrayNode states = n.putArray("states");
        double[] mean = s.mean();
        double[][] cov = s.covariance();
        for (int i = 0; i < mean.length; i++) {
            ObjectNode x = states.addObject().put("name", s.stateNames().get(i)).put("unit", s.units().get(i));
            put(x, "mean", mean[i]);
            put(x, "sd", Math.sqrt(Math.max(0, cov[i][i])));
        }
        n.set("lineage", lineage(s.lineage()));
        return n;
    }

    static ObjectNode band(PredictionBand b) {
        ObjectNode n = object().put("variable", b.variable()).put("unit", b.unit());
        n.set("times_h", numbers(b.times()));
        n.set("p05", numbers(b.p05()));
        n.set("p50", numbers(b.p50()));
        n.set("p95", numbers(b.p95()));
        return n;
    }

    /** {@code {issuedAt, predictedHarvest, ensembleSize, batch, bands:[...], lineage}}. */
    static ObjectNode prediction(Prediction p) {
        ObjectNode n = object();
        put(n, "issuedAt", p.issuedAt());
        put(n, "predictedHarvest", p.predictedHarvest());
        n.put("ensembleSize", p.ensembleSize()).put("batch", p.batchId());
        ArrayNode bands = n.putArray("bands");
        p.bands().forEach(b -> bands.add(band(b)));
        n.set("lineage", lineage(p.lineage()));
        return n;
    }

    static ObjectNode batch(BatchContext b) {
        ObjectNode n = object().put("batchId", b.batchId()).put("unit", b.unitId()).put("product", b.product())
                .put("recipeId", b.recipeId()).put("recipeVersion", b.recipeVersion()).put("state", b.state().name())
                .put("phase", b.phase());
        put(n, "batchStart", b.batchStart());
        ObjectNode params = n.putObject("recipeParameters");
        b.recipeParameters().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> params.put(e.getKey(), e.getValue()));
        ArrayNode lots = n.putArray("materialLots");
        b.materialLots().forEach(l -> lots.addObject().put("material", l.material()).put("lot", l.lot()));
        return n;
    }

    static ObjectNode modelStatus(ModelStatus m) {
        ObjectNode n = object().put("modelId", m.modelId()).put("version", m.version())
                .put("status", m.status().name()).put("reason", m.reason()).put("reportVerdict", m.reportVerdict())
                .put("digest", m.digest()).put("approvals", m.approvals().size());
        put(n, "validUntil", m.validUntil());
        put(n, "evaluatedAt", m.evaluatedAt());
        return n;
    }

    static ObjectNode action(ProposedAction a) {
        ObjectNode n = object().put("kind", a.kind().name()).put("description", a.description());
        put(n, "time", a.time());
        put(n, "volume", a.volume());
        ObjectNode content = n.putObject("content");
        a.content().forEach((k, v) -> put(content, k, v));
        InputProfile p = a.profile();
        if (p != null) {
            ObjectNode pn = n.putObject("profile").put("input", p.input());
            pn.set("times_h", numbers(p.times()));
            pn.set("values", numbers(p.values()));
        }
        return n;
    }

    static ObjectNode outcome(Outcome o) {
        ObjectNode n = object().put("objective", o.objective()).put("objectiveUnit", o.objectiveUnit());
        put(n, "p05", o.p05());
        put(n, "p50", o.p50());
        put(n, "p95", o.p95());
        put(n, "harvestAge_h", o.harvestAge());
        ObjectNode risk = n.putObject("violationRisk");
        o.violationRisk().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> put(risk, e.getKey(), e.getValue()));
        ArrayNode t = n.putArray("trajectories");
        o.trajectories().forEach(b -> t.add(band(b)));
        return n;
    }

    /** The comparison of a what-if (or of an advisory's action) with the current plan. */
    static ObjectNode whatIf(WhatIfResult w) {
        ObjectNode n = object().put("unit", w.unitId());
        put(n, "computedAt", w.computedAt());
        put(n, "batchAge_h", w.batchAge());
        n.set("action", action(w.action()));
        n.set("baseline", outcome(w.baseline()));
        n.set("withAction", outcome(w.withAction()));
        ObjectNode gain = n.putObject("gain");
        put(gain, "p05", w.gainP05());
        put(gain, "p50", w.gainP50());
        put(gain, "p95", w.gainP95());
        gain.put("unit", w.baseline().objectiveUnit());
        put(n, "value", w.value());
        n.put("currency", w.currency());
        return n;
    }

    static ObjectNode advisory(Advisory a) {
        ObjectNode n = object().put("id", a.id()).put("unit", a.unitId()).put("batch", a.batchId())
                .put("model", a.model()).put("status", a.status().name());
        put(n, "createdAt", a.createdAt());
        ArrayNode triggers = n.putArray("triggers");
        a.triggers().forEach(triggers::add);
        n.set("whatIf", whatIf(a.whatIf()));
        Decision d = a.decision();
        if (d == null) {
            n.putNull("decision");
        } else {
            ObjectNode dn = n.putObject("decision").put("userId", d.userId()).put("printedName", d.printedName())
                    .put("accepted", d.accepted()).put("reason", d.reason()).put("signatureId", d.signatureId());
            put(dn, "time", d.time());
        }
        return n;
    }

    static ArrayNode advisories(List<Advisory> list) {
        ArrayNode a = JSON.createArrayNode();
        list.forEach(x -> a.add(advisory(x)));
        return a;
    }

    /**
     * Where closed loop stands for a unit: {@code {unit, available: true, configured: true, enabled, enabledBy,
     * enabledByName, enabledAt, signatureId, limits[{input, min, max, maxStep, resolution}], executing, writes[{time, batchAge_h, input, value,
     * topic, advisoryId}] (newest first), lastRefusal}}.
     */
    static ObjectNode closedLoop(ClosedLoopStatus c) {
        ObjectNode n = object().put("unit", c.unitId()).put("available", true).put("configured", true)
                .put("enabled", c.enabled()).put("enabledBy", c.enabledBy())
                .put("enabledByName", c.enabledByName());
        put(n, "enabledAt", c.enabledAt());
        n.put("signatureId", c.signatureId());
        ArrayNode limits = n.putArray("limits");
        for (SetpointLimit l : c.limits()) {
            ObjectNode x = limits.addObject().put("input", l.input());
            put(x, "min", l.min());
            put(x, "max", l.max());
            put(x, "maxStep", l.maxStep());
            put(x, "resolution", l.resolution());
        }
        n.put("executing", c.executing());
        ArrayNode writes = n.putArray("writes");
        List<SetpointWrite> w = c.writes();
        for (int i = w.size() - 1; i >= 0; i--) {
            SetpointWrite x = w.get(i);
            ObjectNode o = writes.addObject();
            put(o, "time", x.time());
            put(o, "batchAge_h", x.batchAge());
            o.put("input", x.input());
            put(o, "value", x.value());
            o.put("topic", x.topic()).put("advisoryId", x.advisoryId());
        }
        n.put("lastRefusal", c.lastRefusal());
        return n;
    }

    /** Closed loop cannot be used for a unit: {@code {unit, available, configured: false, enabled: false, reason}}. */
    static ObjectNode closedLoopUnavailable(String unit, boolean serviceAvailable, String reason) {
        return object().put("unit", unit).put("available", serviceAvailable).put("configured", false)
                .put("enabled", false).put("reason", reason);
    }

    /** A measured series on the batch-age axis ({@code batchStart} = age 0). */
    static ObjectNode series(Series s, @Nullable Instant batchStart, @Nullable String variable) {
        ObjectNode n = object().put("tag", s.tag()).put("uom", s.uom()).put("variable", variable);
        ArrayNode times = n.putArray("times");
        ArrayNode ages = n.putArray("batchAge_h");
        ArrayNode values = n.putArray("values");
        ArrayNode quality = n.putArray("quality");
        for (SeriesPoint p : s.points()) {
            times.add(p.time().toString());
            if (batchStart == null) {
                ages.addNull();
            } else {
                ages.add((p.time().toEpochMilli() - batchStart.toEpochMilli()) / 3.6e6);
            }
            if (Double.isFinite(p.value())) {
                values.add(p.value());
            } else {
                values.addNull();
            }
            quality.add(p.quality().name());
        }
        return n;
    }
}
