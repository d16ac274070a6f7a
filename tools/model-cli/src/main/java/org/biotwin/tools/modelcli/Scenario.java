package org.biotwin.tools.modelcli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.biotwin.api.kinetics.BatchData;
import org.biotwin.api.kinetics.MeasurementSeries;
import org.biotwin.api.model.InputProfile;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.ModelInput;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.api.model.ProcessEvent;
import org.biotwin.api.model.StateVariable;

/**
 * One batch as read from a file: start time, initial-state overrides, input profiles, events and measurements. The
 * same format serves as a feed profile for {@code simulate} and {@code optimize} and as batch data for {@code fit} and
 * {@code validate}. Immutable after parsing.
 * <p>
 * CSV (long format, header required, {@code #} comments; columns {@code batch} (optional), {@code kind},
 * {@code time_h}, {@code variable}, {@code value}, {@code sd}, {@code unit}):
 * <ul>
 * <li>{@code init}: initial value of a state (all init rows share one time, the batch start; default 0);</li>
 * <li>{@code input}: the input {@code variable} takes {@code value} from {@code time_h} on (piecewise constant);</li>
 * <li>{@code bolus}: at {@code time_h}, {@code variable = volume} gives the bolus volume in L, any other variable the
 * content of that state (concentration or amount, in the state's unit);</li>
 * <li>{@code withdrawal}: {@code value} L of broth removed at {@code time_h};</li>
 * <li>{@code meas}: a measurement of an observable or state with its standard deviation and unit.</li>
 * </ul>
 * JSON: {@code {"batch", "startTime", "initialState": {name: value}, "inputs": {name: {"times": [], "values": []}},
 * "boluses": [{"time", "volume", "content": {}}], "withdrawals": [{"time", "volume"}], "measurements": [{"variable",
 * "unit", "times": [], "values": [], "sd": []}]}}.
 */
record Scenario(String batchId, Path file, double startTime, Map<String, Double> initial,
        Map<String, TreeMap<Double, Double>> inputs, List<ProcessEvent> events, Map<String, Series> measurements) {

    /** Measurements of one variable, before conversion to the API type. */
    record Series(String unit, List<double[]> samples) {
    }

    // ---- reading --------------------------------------------------------------------------------------------

    /** Reads every batch in a file (a CSV may hold several, told apart by its {@code batch} column). */
    static List<Scenario> read(Path file) throws CliException {
        if (!Files.isRegularFile(file)) {
            throw new CliException(CliException.BAD_INPUT, "File " + file + " does not exist");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".json")) {
                return List.of(readJson(file));
            }
            return readCsv(file);
        } catch (IOException e) {
            throw new CliException(CliException.BAD_INPUT, "File " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static String stem(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    private static List<Scenario> readCsv(Path file) throws IOException, CliException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String[] header = null;
        Map<String, Integer> col = new LinkedHashMap<>();
        Map<String, Builder> batches = new LinkedHashMap<>();
        for (int ln = 0; ln < lines.size(); ln++) {
            String line = lines.get(ln).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(",", -1);
            String where = file + " line " + (ln + 1);
            if (header == null) {
                header = f;
                for (int i = 0; i < f.length; i++) {
                    col.put(f[i].strip().toLowerCase(Locale.ROOT), i);
                }
                for (String req : List.of("kind", "time_h", "variable", "value")) {
                    if (!col.containsKey(req)) {
                        throw new CliException(CliException.BAD_INPUT, where + ": header lacks column '" + req
                                + "' (expected batch,kind,time_h,variable,value,sd,unit)");
                    }
                }
                continue;
            }
            if (f.length != header.length) {
                throw new CliException(CliException.BAD_INPUT, where + ": " + f.length + " fields, header has "
                        + header.length);
            }
            String batch = field(f, col, "batch");
            if (batch.isEmpty()) {
                batch = stem(file);
            }
            Builder b = batches.computeIfAbsent(batch, k -> new Builder(k, file));
            String kind = field(f, col, "kind").toLowerCase(Locale.ROOT);
            double t = number(field(f, col, "time_h"), where, "time_h");
            String var = field(f, col, "variable");
            double value = number(field(f, col, "value"), where, "value");
            String unit = field(f, col, "unit");
            switch (kind) {
                case "init" -> b.init(var, t, value, where);
                case "input" -> b.input(var, t, value, where);
                case "bolus" -> b.bolus(var, t, value);
                case "withdrawal" -> b.withdrawal(t, value);
                case "meas" -> {
                    String sd = field(f, col, "sd");
                    if (sd.isEmpty() || unit.isEmpty()) {
                        throw new CliException(CliException.BAD_INPUT, where + ": a measurement needs sd and unit");
                    }
                    b.measurement(var, unit, t, value, number(sd, where, "sd"), where);
                }
                default -> throw new CliException(CliException.BAD_INPUT, where + ": unknown kind '" + kind
                        + "' (init, input, bolus, withdrawal, meas)");
            }
        }
        if (batches.isEmpty()) {
            throw new CliException(CliException.BAD_INPUT, file + ": no data rows");
        }
        List<Scenario> out = new ArrayList<>();
        for (Builder b : batches.values()) {
            out.add(b.build());
        }
        return out;
    }

    private static Scenario readJson(Path file) throws IOException, CliException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CliException(CliException.BAD_INPUT, file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        String where = file.toString();
        Builder b = new Builder(root.path("batch").asText(stem(file)), file);
        double start = root.path("startTime").asDouble(0);
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("initialState").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            b.init(e.getKey(), start, num(e.getValue(), where + " initialState." + e.getKey()), where);
        }
        b.start = start;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("inputs").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode t = e.getValue().path("times");
            JsonNode v = e.getValue().path("values");
            if (!t.isArray() || !v.isArray() || t.size() != v.size() || t.isEmpty()) {
                throw new CliException(CliException.BAD_INPUT, where + ": inputs." + e.getKey()
                        + " needs arrays 'times' and 'values' of equal, non-zero length");
            }
            for (int i = 0; i < t.size(); i++) {
                b.input(e.getKey(), num(t.get(i), where + " inputs." + e.getKey() + ".times"),
                        num(v.get(i), where + " inputs." + e.getKey() + ".values"), where);
            }
        }
        for (JsonNode bo : root.path("boluses")) {
            double t = num(bo.path("time"), where + " boluses[].time");
            b.bolus("volume", t, num(bo.path("volume"), where + " boluses[].volume"));
            for (Iterator<Map.Entry<String, JsonNode>> it = bo.path("content").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                b.bolus(e.getKey(), t, num(e.getValue(), where + " boluses[].content"));
            }
        }
        for (JsonNode w : root.path("withdrawals")) {
            b.withdrawal(num(w.path("time"), where + " withdrawals[].time"),
                    num(w.path("volume"), where + " withdrawals[].volume"));
        }
        for (JsonNode m : root.path("measurements")) {
            String var = m.path("variable").asText("");
            String unit = m.path("unit").asText("");
            JsonNode t = m.path("times");
            JsonNode v = m.path("values");
            JsonNode sd = m.path("sd");
            if (var.isEmpty() || unit.isEmpty() || t.size() != v.size() || t.size() != sd.size()) {
                throw new CliException(CliException.BAD_INPUT, where + ": measurement of '" + var
                        + "' needs variable, unit and arrays times, values, sd of equal length");
            }
            for (int i = 0; i < t.size(); i++) {
                b.measurement(var, unit, num(t.get(i), where), num(v.get(i), where), num(sd.get(i), where), where);
            }
        }
        return b.build();
    }

    private static double num(JsonNode n, String where) throws CliException {
        if (n == null || !n.isNumber() || !Double.isFinite(n.asDouble())) {
            throw new CliException(CliException.BAD_INPUT, where + ": expected a finite number, found " + n);
        }
        return n.asDouble();
    }

    private static String field(String[] f, Map<String, Integer> col, String name) {
        Integer i = col.get(name);
        return i == null ? "" : f[i].strip();
    }

    private static double number(String s, String where, String what) throws CliException {
        try {
            double d = Double.parseDouble(s);
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CliException(CliException.BAD_INPUT, where + ": " + what + " '" + s + "' is not a finite number");
    }

    /** Accumulates rows of one batch. */
    private static final class Builder {
        final String id;
        final Path file;
        Double start;
        final Map<String, Double> init = new LinkedHashMap<>();
        final Map<String, TreeMap<Double, Double>> inputs = new LinkedHashMap<>();
        final TreeMap<Double, Map<String, Double>> boluses = new TreeMap<>();
        final List<ProcessEvent> events = new ArrayList<>();
        final Map<String, Series> meas = new LinkedHashMap<>();

        Builder(String id, Path file) {
            this.id = id;
            this.file = file;
        }

        void init(String var, double t, double v, String where) throws CliException {
            if (start != null && start != t) {
                throw new CliException(CliException.BAD_INPUT, where + ": initial value of " + var + " at " + t
                        + " h, but other initial values are at " + start + " h");
            }
            start = t;
            if (init.put(var, v) != null) {
                throw new CliException(CliException.BAD_INPUT, where + ": initial value of " + var + " given twice");
            }
        }

        void input(String var, double t, double v, String where) throws CliException {
            if (inputs.computeIfAbsent(var, k -> new TreeMap<>()).put(t, v) != null) {
                throw new CliException(CliException.BAD_INPUT, where + ": input " + var + " set twice at " + t + " h");
            }
        }

        void bolus(String var, double t, double v) {
            boluses.computeIfAbsent(t, k -> new LinkedHashMap<>()).put(var, v);
        }

        void withdrawal(double t, double v) {
            events.add(new ProcessEvent.Withdrawal(t, v));
        }

        void measurement(String var, String unit, double t, double v, double sd, String where) throws CliException {
            Series s = meas.computeIfAbsent(var, k -> new Series(unit, new ArrayList<>()));
            if (!s.unit().equals(unit)) {
                throw new CliException(CliException.BAD_INPUT, where + ": " + var + " in '" + unit
                        + "' but earlier rows use '" + s.unit() + "'");
            }
            s.samples().add(new double[] {t, v, sd});
        }

        Scenario build() throws CliException {
            for (Map.Entry<Double, Map<String, Double>> e : boluses.entrySet()) {
                Map<String, Double> content = new LinkedHashMap<>(e.getValue());
                Double vol = content.remove("volume");
                if (vol == null) {
                    throw new CliException(CliException.BAD_INPUT, file + ", batch " + id + ": bolus at " + e.getKey()
                            + " h has content but no 'volume' row");
                }
                try {
                    events.add(new ProcessEvent.Bolus(e.getKey(), vol, content));
                } catch (IllegalArgumentException ex) {
                    throw new CliException(CliException.BAD_INPUT, file + ", batch " + id + ": " + ex.getMessage(), ex);
                }
            }
            for (Series s : meas.values()) {
                s.samples().sort((a, b) -> Double.compare(a[0], b[0]));
            }
            return new Scenario(id, file, start == null ? 0 : start, init, inputs, events, meas);
        }
    }

    // ---- conversion against a model --------------------------------------------------------------------------

    /** The initial state: the model's nominal one with this file's overrides. */
    double[] initialState(KineticModel model) throws CliException {
        double[] x = model.nominalInitialState();
        for (Map.Entry<String, Double> e : initial.entrySet()) {
            int i = model.stateIndex(e.getKey());
            if (i < 0) {
                throw new CliException(CliException.BAD_INPUT, file + ", batch " + batchId + ": initial value for '"
                        + e.getKey() + "', which is not a state of " + model.descriptor().coordinates() + " (states: "
                        + model.states().stream().map(StateVariable::name).toList() + ")");
            }
            x[i] = e.getValue();
        }
        return x;
    }

    /** The operating schedule, with every input name and value checked against the model. */
    OperatingSchedule schedule(KineticModel model) throws CliException {
        List<InputProfile> profiles = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Double, Double>> e : inputs.entrySet()) {
            ModelInput in = model.inputs().stream().filter(i -> i.name().equals(e.getKey())).findFirst()
                    .orElseThrow(() -> new CliException(CliException.BAD_INPUT, file + ", batch " + batchId
                            + ": input '" + e.getKey() + "' is not an input of " + model.descriptor().coordinates()
                            + " (inputs: " + model.inputs().stream().map(ModelInput::name).toList() + ")"));
            for (Map.Entry<Double, Double> v : e.getValue().entrySet()) {
                if (v.getValue() < in.lowerBound() || v.getValue() > in.upperBound()) {
                    throw new CliException(CliException.BAD_INPUT, file + ", batch " + batchId + ": input "
                            + in.name() + " = " + v.getValue() + " " + in.unit() + " at " + v.getKey()
                            + " h outside its range [" + in.lowerBound() + ", " + in.upperBound() + "]");
                }
            }
            profiles.add(new InputProfile(e.getKey(), e.getValue().keySet().stream().mapToDouble(d -> d).toArray(),
                    e.getValue().values().stream().mapToDouble(d -> d).toArray()));
        }
        for (ProcessEvent ev : events) {
            if (ev instanceof ProcessEvent.Bolus b) {
                for (String s : b.content().keySet()) {
                    if (model.stateIndex(s) < 0) {
                        throw new CliException(CliException.BAD_INPUT, file + ", batch " + batchId + ": bolus at "
                                + b.time() + " h adds '" + s + "', which is not a state of "
                                + model.descriptor().coordinates());
                    }
                }
            }
        }
        return new OperatingSchedule(profiles, events);
    }

    /** The batch as estimation data. */
    BatchData batchData(KineticModel model) throws CliException {
        if (measurements.isEmpty()) {
            throw new CliException(CliException.BAD_INPUT, file + ", batch " + batchId + ": no measurements (kind meas)");
        }
        List<MeasurementSeries> series = new ArrayList<>();
        try {
            for (Map.Entry<String, Series> e : measurements.entrySet()) {
                List<double[]> s = e.getValue().samples();
                series.add(new MeasurementSeries(e.getKey(), e.getValue().unit(),
                        s.stream().mapToDouble(a -> a[0]).toArray(), s.stream().mapToDouble(a -> a[1]).toArray(),
                        s.stream().mapToDouble(a -> a[2]).toArray()));
            }
            return new BatchData(batchId, initialState(model), startTime, schedule(model), series);
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.BAD_INPUT, file + ", batch " + batchId + ": " + e.getMessage(), e);
        }
    }

    /** Latest time mentioned anywhere in the file, h. */
    double lastTime() {
        double end = startTime;
        for (Series s : measurements.values()) {
            for (double[] a : s.samples()) {
                end = Math.max(end, a[0]);
            }
        }
        for (TreeMap<Double, Double> p : inputs.values()) {
            end = Math.max(end, p.lastKey());
        }
        for (ProcessEvent e : events) {
            end = Math.max(end, e.time());
        }
        return end;
    }
}
