package org.biotwin.tools.modelcli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.biotwin.api.kinetics.BatchData;
import org.biotwin.api.kinetics.MeasurementSeries;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.Simulator;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.model.KineticModel;
import org.biotwin.kinetics.internal.estimation.ModelVariable;

/**
 * Accuracy of a model against reference batches, per measured variable, pooled over batches (and per batch):
 * <ul>
 * <li>RMSE = sqrt(mean((pred - obs)^2)), in the variable's unit;</li>
 * <li>NRMSE = RMSE / (max(obs) - min(obs)), dimensionless (RMSE / |mean(obs)| when the range is 0);</li>
 * <li>bias = mean(pred - obs), in the variable's unit;</li>
 * <li>max abs error = max |pred - obs|;</li>
 * <li>R^2 = 1 - SS_res / SS_tot (coefficient of determination of obs by pred; NaN when obs are constant).</li>
 * </ul>
 * A variable passes when every limit that applies to it holds (NRMSE <= nrmse_max, R^2 >= r2_min,
 * max abs error <= max_abs_error); a metric that is NaN fails its limit. The model passes when every variable passes.
 * Predictions are simulations of each batch from its recorded initial state under its recorded schedule, with output
 * at the sampling times. Not thread-safe.
 */
final class Validation {

    /** Acceptance limits of one variable; NaN means no limit. */
    record Limits(double nrmseMax, double r2Min, double maxAbsError) {
    }

    private final KineticModel model;
    private final Limits defaults;
    private final Map<String, Limits> limits;
    /** variable -> list of {pred, obs}; per batch too. */
    private final Map<String, List<double[]>> pooled = new LinkedHashMap<>();
    private final Map<String, String> units = new LinkedHashMap<>();
    private final List<Map<String, Object>> perBatch = new ArrayList<>();
    private boolean passed = true;

    Validation(KineticModel model, Limits defaults, Map<String, Limits> limits) {
        this.model = model;
        this.defaults = defaults;
        this.limits = limits;
    }

    static Map<String, Limits> readLimits(Path file) throws CliException {
        Map<String, Limits> out = new LinkedHashMap<>();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            boolean header = true;
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i).strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                if (header) {
                    if (!l.replace(" ", "").equalsIgnoreCase("variable,nrmse_max,r2_min,max_abs_error")) {
                        throw new CliException(CliException.BAD_INPUT, file + " line " + (i + 1)
                                + ": header must be variable,nrmse_max,r2_min,max_abs_error");
                    }
                    header = false;
                    continue;
                }
                String[] f = l.split(",", -1);
                if (f.length != 4) {
                    throw new CliException(CliException.BAD_INPUT, file + " line " + (i + 1) + ": 4 fields expected");
                }
                out.put(f[0].strip(), new Limits(num(f[1], file, i), num(f[2], file, i), num(f[3], file, i)));
            }
        } catch (IOException e) {
            throw new CliException(CliException.BAD_INPUT, "Cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static double num(String s, Path f, int line) throws CliException {
        if (s.isBlank()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            throw new CliException(CliException.BAD_INPUT, f + " line " + (line + 1) + ": '" + s + "' is not a number");
        }
    }

    /** Simulates a batch at its union of sampling times. */
    static Trajectory simulate(Simulator sim, KineticModel m, BatchData b, double[] par, SolverSettings s) {
        TreeSet<Double> t = new TreeSet<>();
        for (MeasurementSeries ms : b.measurements()) {
            for (double x : ms.times()) {
                t.add(x);
            }
        }
        double[] times = t.stream().mapToDouble(d -> d).toArray();
        double end = Math.max(times[times.length - 1], b.startTime() + 1e-9);
        return sim.simulate(new SimulationRequest(m, b.initialState(), par, b.startTime(), end, times, b.schedule(), s));
    }

    void addBatch(BatchData b, Path file, Trajectory tr) throws CliException {
        double[] times = tr.times();
        double[][] st = tr.states();
        double[][] ob = tr.observables();
        Map<String, Object> batch = new LinkedHashMap<>();
        batch.put("batch", b.batchId());
        batch.put("file", file.toString());
        Map<String, Object> vars = new LinkedHashMap<>();
        for (MeasurementSeries ms : b.measurements()) {
            ModelVariable v;
            try {
                v = ModelVariable.resolve(model, ms.variable(), file + ", batch " + b.batchId());
            } catch (IllegalArgumentException e) {
                throw new CliException(CliException.BAD_INPUT, e.getMessage(), e);
            }
            if (!v.unit().equals(ms.unit())) {
                throw new CliException(CliException.BAD_INPUT, file + ", batch " + b.batchId() + ": " + ms.variable()
                        + " measured in '" + ms.unit() + "' but the model declares '" + v.unit() + "'; convert the data");
            }
            units.put(ms.variable(), v.unit());
            List<double[]> pairs = new ArrayList<>();
            double[] mt = ms.times();
            double[] mv = ms.values();
            for (int i = 0; i < mt.length; i++) {
                int k = Arrays.binarySearch(times, mt[i]);
                pairs.add(new double[] {v.value(st, ob, k), mv[i]});
            }
            pooled.computeIfAbsent(ms.variable(), x -> new ArrayList<>()).addAll(pairs);
            vars.put(ms.variable(), metrics(pairs));
        }
        batch.put("variables", vars);
        perBatch.add(batch);
    }

    static Map<String, Object> metrics(List<double[]> pairs) {
        int n = pairs.size();
        double sse = 0;
        double bias = 0;
        double maxAbs = 0;
        double mean = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] p : pairs) {
            double e = p[0] - p[1];
            sse += e * e;
            bias += e;
            maxAbs = Math.max(maxAbs, Math.abs(e));
            mean += p[1];
            min = Math.min(min, p[1]);
            max = Math.max(max, p[1]);
        }
        mean /= n;
        double sst = 0;
        for (double[] p : pairs) {
            sst += (p[1] - mean) * (p[1] - mean);
        }
        double rmse = Math.sqrt(sse / n);
        double range = max - min;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", n);
        m.put("rmse", rmse);
        m.put("nrmse", range > 0 ? rmse / range : rmse / Math.abs(mean));
        m.put("bias", bias / n);
        m.put("maxAbsError", maxAbs);
        m.put("r2", sst > 0 ? 1 - sse / sst : Double.NaN);
        return m;
    }

    boolean passed() {
        return passed;
    }

    Map<String, Object> report(Map<String, Object> model, List<Map<String, Object>> data, Map<String, Object> solver,
            Map<String, Object> tool, double[] parameters) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("report", "BioTwin model validation");
        doc.put("tool", tool);
        doc.put("model", model);
        doc.put("data", data);
        doc.put("solver", solver);
        Map<String, Double> par = new LinkedHashMap<>();
        for (int i = 0; i < parameters.length; i++) {
            par.put(this.model.parameters().get(i).name(), parameters[i]);
        }
        doc.put("parameters", par);
        doc.put("metricDefinitions", Map.of(
                "rmse", "sqrt(mean((pred-obs)^2)), variable unit",
                "nrmse", "rmse / (max(obs)-min(obs)), dimensionless",
                "bias", "mean(pred-obs), variable unit",
                "maxAbsError", "max |pred-obs|, variable unit",
                "r2", "1 - SS_res/SS_tot"));
        List<Map<String, Object>> vars = new ArrayList<>();
        passed = true;
        for (Map.Entry<String, List<double[]>> e : pooled.entrySet()) {
            Map<String, Object> m = metrics(e.getValue());
            Limits l = limits.getOrDefault(e.getKey(), defaults);
            List<String> failures = new ArrayList<>();
            check(failures, "nrmse", (double) m.get("nrmse"), l.nrmseMax(), true);
            check(failures, "r2", (double) m.get("r2"), l.r2Min(), false);
            check(failures, "maxAbsError", (double) m.get("maxAbsError"), l.maxAbsError(), true);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("variable", e.getKey());
            row.put("unit", units.get(e.getKey()));
            row.putAll(m);
            Map<String, Object> lim = new LinkedHashMap<>();
            // null = no limit on that metric
            lim.put("nrmseMax", Double.isNaN(l.nrmseMax()) ? null : l.nrmseMax());
            lim.put("r2Min", Double.isNaN(l.r2Min()) ? null : l.r2Min());
            lim.put("maxAbsError", Double.isNaN(l.maxAbsError()) ? null : l.maxAbsError());
            row.put("limits", lim);
            row.put("pass", failures.isEmpty());
            row.put("failures", failures);
            passed &= failures.isEmpty();
            vars.add(row);
        }
        doc.put("variables", vars);
        doc.put("batches", perBatch);
        doc.put("verdict", passed ? "PASS" : "FAIL");
        return doc;
    }

    private static void check(List<String> failures, String name, double value, double limit, boolean upper) {
        if (Double.isNaN(limit)) {
            return;
        }
        if (Double.isNaN(value) || (upper ? value > limit : value < limit)) {
            failures.add(String.format(Locale.ROOT, "%s %.4g %s limit %.4g", name, value, upper ? ">" : "<", limit));
        }
    }

    @SuppressWarnings("unchecked")
    String text(Map<String, Object> doc) {
        StringBuilder sb = new StringBuilder();
        Map<String, Object> m = (Map<String, Object>) doc.get("model");
        sb.append("BioTwin model validation report\n");
        sb.append("model:   ").append(m.get("id")).append(' ').append(m.get("version")).append(" (")
                .append(m.get("name")).append(")\n");
        sb.append("jar:     ").append(m.get("jar")).append("\n         sha256 ").append(m.get("jarSha256"))
                .append('\n');
        for (Map<String, Object> d : (List<Map<String, Object>>) doc.get("data")) {
            sb.append("data:    ").append(d.get("file")).append("\n         sha256 ").append(d.get("sha256"))
                    .append('\n');
        }
        sb.append(String.format(Locale.ROOT, "%-12s %-16s %4s %11s %8s %11s %11s %8s  %s%n", "variable", "unit", "n",
                "RMSE", "NRMSE", "bias", "max|err|", "R2", "result"));
        for (Map<String, Object> r : (List<Map<String, Object>>) doc.get("variables")) {
            sb.append(String.format(Locale.ROOT, "%-12s %-16s %4d %11.4g %8.4f %11.4g %11.4g %8.4f  %s%n",
                    r.get("variable"), r.get("unit"), (int) r.get("n"), (double) r.get("rmse"),
                    (double) r.get("nrmse"), (double) r.get("bias"), (double) r.get("maxAbsError"),
                    (double) r.get("r2"), (boolean) r.get("pass") ? "PASS" : "FAIL " + r.get("failures")));
        }
        sb.append("verdict: ").append(doc.get("verdict")).append('\n');
        return sb.toString();
    }
}
