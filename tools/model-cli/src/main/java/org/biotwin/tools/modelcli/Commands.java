package org.biotwin.tools.modelcli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.biotwin.api.kinetics.BatchData;
import org.biotwin.api.kinetics.Constraint;
import org.biotwin.api.kinetics.ConstraintReport;
import org.biotwin.api.kinetics.EstimationProblem;
import org.biotwin.api.kinetics.EstimationResult;
import org.biotwin.api.kinetics.FreeParameter;
import org.biotwin.api.kinetics.Objective;
import org.biotwin.api.kinetics.OptimizationProblem;
import org.biotwin.api.kinetics.OptimizationResult;
import org.biotwin.api.kinetics.ParameterEstimate;
import org.biotwin.api.kinetics.SimulationException;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.Simulator;
import org.biotwin.api.kinetics.SolverChoice;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.ModelParameter;
import org.biotwin.api.model.Observable;
import org.biotwin.api.model.StateVariable;
import org.biotwin.kinetics.internal.estimation.LeastSquaresEstimator;
import org.biotwin.kinetics.internal.optimisation.CvpFeedOptimizer;
import org.biotwin.kinetics.internal.sim.SimulatorComponent;

/** The four commands. Each returns its exit code or throws {@link CliException}. */
final class Commands {

    private static final Set<String> COMMON = Set.of("model", "model-id", "classpath", "param", "params", "rtol",
            "solver", "max-steps");

    private final PrintStream out;
    private final PrintStream err;
    private final Simulator simulator = new SimulatorComponent();
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    Commands(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    private static Set<String> with(String... more) {
        Set<String> s = new java.util.HashSet<>(COMMON);
        s.addAll(List.of(more));
        return s;
    }

    // ---- simulate ------------------------------------------------------------------------------------------

    int simulate(String[] argv) throws CliException {
        Args a = Args.parse("simulate", argv, 1, with("schedule", "end", "step", "out"), Set.of());
        try (ModelLoader.LoadedModel lm = load(a)) {
            KineticModel m = lm.model();
            Scenario s = a.optional("schedule", null) == null ? null : single(Path.of(a.required("schedule")));
            double start = s == null ? 0 : s.startTime();
            double end = a.optional("end", null) != null ? a.requiredNumber("end")
                    : s != null && s.lastTime() > start ? s.lastTime() : -1;
            if (!(end > start)) {
                throw new CliException(CliException.USAGE, "simulate: --end must be after the start " + start + " h");
            }
            double step = a.number("step", 1.0);
            if (!(step > 0)) {
                throw new CliException(CliException.USAGE, "simulate: --step must be > 0 h");
            }
            double[] times = grid(start, end, step);
            SimulationRequest req = new SimulationRequest(m, s == null ? m.nominalInitialState() : s.initialState(m),
                    parameters(a, m), start, end, times, s == null ? org.biotwin.api.model.OperatingSchedule.NONE
                            : s.schedule(m), settings(a));
            Trajectory tr = compute(() -> simulator.simulate(req));
            StringBuilder csv = new StringBuilder("time_h");
            for (StateVariable v : m.states()) {
                csv.append(',').append(v.name()).append('[').append(v.unit()).append(']');
            }
            for (Observable o : m.observables()) {
                csv.append(',').append(o.name()).append('[').append(o.unit()).append(']');
            }
            csv.append('\n');
            double[][] st = tr.states();
            double[][] ob = tr.observables();
            for (int k = 0; k < times.length; k++) {
                csv.append(fmt(times[k]));
                for (double v : st[k]) {
                    csv.append(',').append(fmt(v));
                }
                for (double v : ob[k]) {
                    csv.append(',').append(fmt(v));
                }
                csv.append('\n');
            }
            write(a.optional("out", null), csv.toString());
            err.printf(Locale.ROOT, "simulated %s from %s h to %s h: %d output rows, %d RHS evaluations, %d steps%n",
                    m.descriptor().coordinates(), fmt(start), fmt(end), times.length,
                    tr.statistics().rhsEvaluations(), tr.statistics().acceptedSteps());
            return CliException.OK;
        } catch (IOException e) {
            throw new CliException(CliException.IO, e.getMessage(), e);
        }
    }

    // ---- fit -----------------------------------------------------------------------------------------------

    int fit(String[] argv) throws CliException {
        Args a = Args.parse("fit", argv, 1, with("data", "free", "fixed", "out", "csv", "max-iterations",
                "max-evaluations", "time-budget-s"), Set.of("absolute-sd", "quiet"));
        try (ModelLoader.LoadedModel lm = load(a)) {
            KineticModel m = lm.model();
            List<Path> files = a.all("data").stream().map(Path::of).toList();
            if (files.isEmpty()) {
                throw new CliException(CliException.USAGE, "fit: give batch data with --data FILE (repeatable)");
            }
            List<BatchData> batches = new ArrayList<>();
            for (Path f : files) {
                for (Scenario s : Scenario.read(f)) {
                    batches.add(s.batchData(m));
                }
            }
            List<FreeParameter> free = new ArrayList<>();
            for (String spec : a.all("free")) {
                free.add(freeParameter(spec));
            }
            if (free.isEmpty()) {
                throw new CliException(CliException.USAGE, "fit: name the parameters to estimate with --free NAME");
            }
            Map<String, Double> fixed = assignments(a, "fixed");
            fixed.putAll(fromParamsFile(a, m, free));
            EstimationProblem p;
            try {
                p = new EstimationProblem(m, batches, free, fixed, settings(a),
                        a.integer("max-iterations", EstimationProblem.DEFAULT_MAX_ITERATIONS),
                        a.integer("max-evaluations", EstimationProblem.DEFAULT_MAX_EVALUATIONS),
                        Duration.ofSeconds((long) a.number("time-budget-s", 300)), !a.flag("absolute-sd"));
            } catch (IllegalArgumentException e) {
                throw new CliException(CliException.BAD_INPUT, e.getMessage(), e);
            }
            boolean quiet = a.flag("quiet");
            EstimationResult r = compute(() -> new LeastSquaresEstimator(simulator).estimate(p, pr -> {
                if (!quiet) {
                    err.printf(Locale.ROOT, "iteration %d: %d evaluations, chi2 %.6g, %d ms%n", pr.step(),
                            pr.evaluations(), pr.objective(), pr.elapsedMillis());
                }
            }));
            // Report.
            out.printf(Locale.ROOT, "Fit of %s to %d batches, %d samples, %d parameters: chi2 %.4g, reduced %.4g, %s "
                    + "after %d iterations (%d evaluations, %d ms)%n", r.model(), batches.size(), r.observations(),
                    free.size(), r.chiSquare(), r.reducedChiSquare(), r.converged() ? "converged" : "NOT converged",
                    r.iterations(), r.evaluations(), r.elapsedMillis());
            out.printf(Locale.ROOT, "%-14s %-18s %12s %12s %12s %12s%n", "parameter", "unit", "estimate", "std.err",
                    "ci95.low", "ci95.high");
            for (ParameterEstimate e : r.estimates()) {
                out.printf(Locale.ROOT, "%-14s %-18s %12.5g %12.4g %12.5g %12.5g%n", e.name(), e.unit(), e.estimate(),
                        e.standardError(), e.ciLower(), e.ciUpper());
            }
            for (String w : r.warnings()) {
                out.println("warning: " + w);
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("tool", toolVersion());
            doc.put("model", provenance(lm));
            doc.put("data", fileDigests(files));
            doc.put("solver", solver(p.settings()));
            doc.put("converged", r.converged());
            doc.put("iterations", r.iterations());
            doc.put("evaluations", r.evaluations());
            doc.put("elapsedMs", r.elapsedMillis());
            doc.put("observations", r.observations());
            doc.put("degreesOfFreedom", r.degreesOfFreedom());
            doc.put("chiSquare", r.chiSquare());
            doc.put("reducedChiSquare", r.reducedChiSquare());
            doc.put("covarianceScaledByReducedChiSquare", p.scaleByReducedChiSquare());
            doc.put("conditionNumber", r.conditionNumber());
            List<Map<String, Object>> est = new ArrayList<>();
            for (ParameterEstimate e : r.estimates()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", e.name());
                row.put("unit", e.unit());
                row.put("start", e.start());
                row.put("estimate", e.estimate());
                row.put("standardError", e.standardError());
                row.put("ci95Lower", e.ciLower());
                row.put("ci95Upper", e.ciUpper());
                row.put("lowerBound", e.lowerBound());
                row.put("upperBound", e.upperBound());
                est.add(row);
            }
            doc.put("estimates", est);
            List<String> names = r.estimates().stream().map(ParameterEstimate::name).toList();
            doc.put("covariance", Map.of("names", names, "matrix", r.covariance()));
            doc.put("correlation", Map.of("names", names, "matrix", r.correlation()));
            Map<String, Double> all = new LinkedHashMap<>();
            double[] pv = r.parameters();
            for (int i = 0; i < pv.length; i++) {
                all.put(m.parameters().get(i).name(), pv[i]);
            }
            doc.put("parameters", all);
            doc.put("warnings", r.warnings());
            writeJson(a.optional("out", null), doc);
            String csvOut = a.optional("csv", null);
            if (csvOut != null) {
                StringBuilder csv = new StringBuilder("parameter,unit,estimate,std_error,ci95_lower,ci95_upper\n");
                for (ParameterEstimate e : r.estimates()) {
                    csv.append(e.name()).append(',').append(e.unit()).append(',').append(fmt(e.estimate())).append(',')
                            .append(fmt(e.standardError())).append(',').append(fmt(e.ciLower())).append(',')
                            .append(fmt(e.ciUpper())).append('\n');
                }
                write(csvOut, csv.toString());
            }
            return CliException.OK;
        } catch (IOException e) {
            throw new CliException(CliException.IO, e.getMessage(), e);
        }
    }

    // ---- optimize ------------------------------------------------------------------------------------------

    int optimize(String[] argv) throws CliException {
        Args a = Args.parse("optimize", argv, 1, with("schedule", "feed", "feed-start", "intervals", "rate-min",
                "rate-max", "initial-rate", "end", "objective", "path-max", "path-min", "end-max", "end-min", "grid",
                "max-evaluations", "tolerance", "time-budget-s", "out", "report"), Set.of("minimise", "minimize"));
        try (ModelLoader.LoadedModel lm = load(a)) {
            KineticModel m = lm.model();
            Scenario s = a.optional("schedule", null) == null ? null : single(Path.of(a.required("schedule")));
            double start = s == null ? 0 : s.startTime();
            double end = a.requiredNumber("end");
            String feed = a.required("feed");
            int n = a.integer("intervals", 10);
            double lo = a.number("rate-min", 0);
            double hi = a.requiredNumber("rate-max");
            double init = a.number("initial-rate", (lo + hi) / 2);
            String[] obj = a.required("objective").split("\\*");
            Objective objective = new Objective(obj[0].strip(), obj.length > 1 ? obj[1].strip() : null,
                    !(a.flag("minimise") || a.flag("minimize")));
            List<Constraint> cons = new ArrayList<>();
            try {
                for (Map.Entry<String, Double> e : assignments(a, "path-max").entrySet()) {
                    cons.add(Constraint.pathMax(e.getKey(), e.getValue()));
                }
                for (Map.Entry<String, Double> e : assignments(a, "path-min").entrySet()) {
                    cons.add(Constraint.pathMin(e.getKey(), e.getValue()));
                }
                for (Map.Entry<String, Double> e : assignments(a, "end-max").entrySet()) {
                    cons.add(Constraint.endMax(e.getKey(), e.getValue()));
                }
                for (Map.Entry<String, Double> e : assignments(a, "end-min").entrySet()) {
                    cons.add(Constraint.endMin(e.getKey(), e.getValue()));
                }
            } catch (IllegalArgumentException e) {
                throw new CliException(CliException.USAGE, "optimize: " + e.getMessage(), e);
            }
            SimulationRequest base = new SimulationRequest(m, s == null ? m.nominalInitialState() : s.initialState(m),
                    parameters(a, m), start, end, new double[] {end},
                    s == null ? org.biotwin.api.model.OperatingSchedule.NONE : s.schedule(m), settings(a));
            double[] rates = new double[n];
            java.util.Arrays.fill(rates, init);
            OptimizationProblem p;
            try {
                p = new OptimizationProblem(base, feed, a.number("feed-start", start), n, lo, hi, rates, objective,
                        cons, a.integer("grid", 200), a.number("tolerance", 1e-4), a.integer("max-evaluations", 5000),
                        Duration.ofSeconds((long) a.number("time-budget-s", 120)));
            } catch (IllegalArgumentException e) {
                throw new CliException(CliException.USAGE, e.getMessage(), e);
            }
            OptimizationResult r = compute(() -> new CvpFeedOptimizer(simulator).optimize(p, pr -> err.printf(
                    Locale.ROOT, "outer iteration %d: %d simulations, best objective %.6g, %d ms%n", pr.step(),
                    pr.evaluations(), pr.objective(), pr.elapsedMillis())));
            out.println(r.message());
            for (ConstraintReport c : r.constraints()) {
                out.printf(Locale.ROOT, "  %-40s worst %.6g at %.4g h: %s%n", c.constraint().describe(), c.worstValue(),
                        c.worstTime(), c.satisfied() ? "met" : "VIOLATED by " + fmt(c.violation()));
            }
            String unit = m.inputs().stream().filter(i -> i.name().equals(feed)).findFirst().orElseThrow().unit();
            StringBuilder csv = new StringBuilder("time_h," + feed + "[" + unit + "]\n");
            for (int k = 0; k < n; k++) {
                csv.append(fmt(p.intervalStart(k))).append(',').append(fmt(r.rates()[k])).append('\n');
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("tool", toolVersion());
            doc.put("model", provenance(lm));
            doc.put("objective", objective.describe());
            doc.put("feasible", r.feasible());
            doc.put("objectiveValue", r.objective());
            doc.put("initialObjectiveValue", r.initialObjective());
            doc.put("initialFeasible", r.initialFeasible());
            doc.put("gain", r.gain());
            doc.put("relativeGain", r.relativeGain());
            doc.put("feed", Map.of("input", feed, "unit", unit, "intervalStarts", java.util.stream.IntStream.range(0, n)
                    .mapToDouble(p::intervalStart).toArray(), "rates", r.rates()));
            List<Map<String, Object>> cr = new ArrayList<>();
            for (ConstraintReport c : r.constraints()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("constraint", c.constraint().describe());
                row.put("worstValue", c.worstValue());
                row.put("worstTimeH", c.worstTime());
                row.put("violation", c.violation());
                row.put("satisfied", c.satisfied());
                cr.add(row);
            }
            doc.put("constraints", cr);
            doc.put("simulations", r.evaluations());
            doc.put("elapsedMs", r.elapsedMillis());
            doc.put("message", r.message());
            String report = a.optional("report", null);
            if (report != null) {
                writeJson(report, doc);
            }
            if (!r.feasible()) {
                err.println("error: infeasible; no feed profile written. " + r.message());
                return CliException.NEGATIVE;
            }
            write(a.optional("out", null), csv.toString());
            return CliException.OK;
        } catch (IOException e) {
            throw new CliException(CliException.IO, e.getMessage(), e);
        }
    }

    // ---- validate ------------------------------------------------------------------------------------------

    int validate(String[] argv) throws CliException {
        Args a = Args.parse("validate", argv, 1, with("data", "nrmse-max", "r2-min", "limits", "out", "text"),
                Set.of());
        try (ModelLoader.LoadedModel lm = load(a)) {
            KineticModel m = lm.model();
            List<Path> files = a.all("data").stream().map(Path::of).toList();
            if (files.isEmpty()) {
                throw new CliException(CliException.USAGE, "validate: give reference batches with --data FILE");
            }
            Validation.Limits defaults = new Validation.Limits(a.number("nrmse-max", 0.15), a.number("r2-min", 0.80),
                    Double.NaN);
            Map<String, Validation.Limits> limits = a.optional("limits", null) == null ? Map.of()
                    : Validation.readLimits(Path.of(a.required("limits")));
            double[] par = parameters(a, m);
            SolverSettings settings = settings(a);
            Validation v = new Validation(m, defaults, limits);
            for (Path f : files) {
                for (Scenario s : Scenario.read(f)) {
                    BatchData b = s.batchData(m);
                    v.addBatch(b, f, compute(() -> Validation.simulate(simulator, m, b, par, settings)));
                }
            }
            Map<String, Object> doc = v.report(provenance(lm), fileDigests(files), solver(settings), toolVersion(),
                    par);
            String text = v.text(doc);
            out.print(text);
            writeJson(a.optional("out", null) == null ? null : a.required("out"), doc, a.optional("out", null) != null);
            String t = a.optional("text", null);
            if (t != null) {
                write(t, text);
            }
            return v.passed() ? CliException.OK : CliException.NEGATIVE;
        } catch (IOException e) {
            throw new CliException(CliException.IO, e.getMessage(), e);
        }
    }

    // ---- shared --------------------------------------------------------------------------------------------

    private ModelLoader.LoadedModel load(Args a) throws CliException {
        return ModelLoader.load(Path.of(a.required("model")), a.optional("model-id", null),
                a.all("classpath").stream().map(Path::of).toList());
    }

    private static Scenario single(Path f) throws CliException {
        List<Scenario> l = Scenario.read(f);
        if (l.size() != 1) {
            throw new CliException(CliException.BAD_INPUT, f + " holds " + l.size() + " batches; a schedule file "
                    + "must hold one");
        }
        return l.get(0);
    }

    private SolverSettings settings(Args a) throws CliException {
        String sv = a.optional("solver", "auto").toLowerCase(Locale.ROOT);
        SolverChoice c = switch (sv) {
            case "auto" -> SolverChoice.AUTO;
            case "non-stiff", "nonstiff" -> SolverChoice.NON_STIFF;
            case "stiff" -> SolverChoice.STIFF;
            default -> throw new CliException(CliException.USAGE, "--solver must be auto, non-stiff or stiff, was '"
                    + sv + "'");
        };
        try {
            return new SolverSettings(c, a.number("rtol", 1e-8), 1.0, a.integer("max-steps", 1_000_000),
                    Duration.ofSeconds(30));
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, e.getMessage(), e);
        }
    }

    /** Nominal parameters, then a {@code --params} file, then {@code --param} assignments. */
    private double[] parameters(Args a, KineticModel m) throws CliException {
        double[] p = m.nominalParameters();
        Map<String, Double> set = new LinkedHashMap<>(fromParamsFile(a, m, List.of()));
        set.putAll(assignments(a, "param"));
        for (Map.Entry<String, Double> e : set.entrySet()) {
            int i = parameterIndex(m, e.getKey());
            ModelParameter mp = m.parameters().get(i);
            if (e.getValue() < mp.lowerBound() || e.getValue() > mp.upperBound()) {
                throw new CliException(CliException.BAD_INPUT, "Parameter " + mp.name() + " = " + e.getValue() + " "
                        + mp.unit() + " outside the model's range [" + mp.lowerBound() + ", " + mp.upperBound() + "]");
            }
            p[i] = e.getValue();
        }
        return p;
    }

    /** Parameters of a fit result ({@code "parameters"} object), minus those about to be estimated. */
    private Map<String, Double> fromParamsFile(Args a, KineticModel m, List<FreeParameter> free) throws CliException {
        String f = a.optional("params", null);
        Map<String, Double> out = new LinkedHashMap<>();
        if (f == null) {
            return out;
        }
        try {
            JsonNode root = json.readTree(Path.of(f).toFile());
            JsonNode ps = root.path("parameters");
            if (!ps.isObject()) {
                throw new CliException(CliException.BAD_INPUT, f + ": no 'parameters' object (a fit result JSON)");
            }
            Set<String> freeNames = new java.util.HashSet<>();
            free.forEach(x -> freeNames.add(x.name()));
            for (Iterator<Map.Entry<String, JsonNode>> it = ps.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                parameterIndex(m, e.getKey());
                if (!e.getValue().isNumber()) {
                    throw new CliException(CliException.BAD_INPUT, f + ": parameter " + e.getKey() + " is not a number");
                }
                if (!freeNames.contains(e.getKey())) {
                    out.put(e.getKey(), e.getValue().asDouble());
                }
            }
            // Values equal to nominal need not be fixed; keep only overrides so "free and fixed" cannot clash.
            double[] nom = m.nominalParameters();
            out.entrySet().removeIf(e -> nom[parameterIndex0(m, e.getKey())] == e.getValue());
            return out;
        } catch (IOException e) {
            throw new CliException(CliException.BAD_INPUT, f + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static int parameterIndex0(KineticModel m, String name) {
        for (int i = 0; i < m.parameters().size(); i++) {
            if (m.parameters().get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static int parameterIndex(KineticModel m, String name) throws CliException {
        int i = parameterIndex0(m, name);
        if (i < 0) {
            throw new CliException(CliException.BAD_INPUT, "'" + name + "' is not a parameter of "
                    + m.descriptor().coordinates() + " (parameters: " + m.parameters().stream()
                            .map(ModelParameter::name).toList() + ")");
        }
        return i;
    }

    private static Map<String, Double> assignments(Args a, String option) throws CliException {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String s : a.all(option)) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new CliException(CliException.USAGE, "--" + option + " expects NAME=VALUE, was '" + s + "'");
            }
            try {
                out.put(s.substring(0, eq).strip(), Double.parseDouble(s.substring(eq + 1).strip()));
            } catch (NumberFormatException e) {
                throw new CliException(CliException.USAGE, "--" + option + " " + s + ": value is not a number");
            }
        }
        return out;
    }

    private static FreeParameter freeParameter(String spec) throws CliException {
        try {
            int eq = spec.indexOf('=');
            if (eq < 0) {
                return FreeParameter.of(spec.strip());
            }
            String name = spec.substring(0, eq).strip();
            String[] f = spec.substring(eq + 1).split(":");
            if (f.length == 1) {
                return FreeParameter.of(name, Double.parseDouble(f[0]));
            }
            if (f.length == 3) {
                return new FreeParameter(name, Double.parseDouble(f[0]), Double.parseDouble(f[1]),
                        Double.parseDouble(f[2]));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CliException(CliException.USAGE, "--free expects NAME, NAME=START or NAME=START:LOWER:UPPER, was '"
                + spec + "'");
    }

    /** Runs a computation, mapping its failures to exit codes. */
    private static <T> T compute(java.util.function.Supplier<T> c) throws CliException {
        try {
            return c.get();
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.BAD_INPUT, e.getMessage(), e);
        } catch (SimulationException e) {
            throw new CliException(CliException.COMPUTATION, e.getMessage(), e);
        }
    }

    static double[] grid(double start, double end, double step) {
        int n = (int) Math.floor((end - start) / step + 1e-9);
        List<Double> t = new ArrayList<>();
        for (int k = 0; k <= n; k++) {
            t.add(start + k * step);
        }
        if (end - t.get(t.size() - 1) > 1e-9 * Math.max(1, Math.abs(end))) {
            t.add(end);
        } else {
            t.set(t.size() - 1, end);
        }
        return t.stream().mapToDouble(d -> d).toArray();
    }

    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.10g", v).replaceFirst("\\.?0+(e|$)", "$1");
    }

    static Map<String, Object> provenance(ModelLoader.LoadedModel lm) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", lm.model().descriptor().id());
        m.put("version", lm.model().descriptor().version());
        m.put("name", lm.model().descriptor().name());
        m.put("source", lm.model().descriptor().source());
        m.put("implementationClass", lm.implementationClass());
        m.put("jar", lm.jar().toAbsolutePath().normalize().toString());
        m.put("jarSha256", lm.jarSha256());
        return m;
    }

    static List<Map<String, Object>> fileDigests(List<Path> files) throws CliException {
        List<Map<String, Object>> l = new ArrayList<>();
        for (Path f : files) {
            l.add(Map.of("file", f.toAbsolutePath().normalize().toString(), "sha256", ModelLoader.sha256(f)));
        }
        return l;
    }

    static Map<String, Object> solver(SolverSettings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("choice", s.choice().name());
        m.put("relTolerance", s.relTolerance());
        m.put("absToleranceScale", s.absToleranceScale());
        m.put("maxSteps", s.maxSteps());
        return m;
    }

    static Map<String, Object> toolVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "biotwin-model-cli");
        m.put("version", v == null ? "dev" : v);
        m.put("java", System.getProperty("java.version"));
        m.put("timestamp", Instant.now().toString());
        return m;
    }

    private void write(String file, String content) throws CliException {
        if (file == null || file.equals("-")) {
            out.print(content);
            out.flush();
            return;
        }
        try (Writer w = Files.newBufferedWriter(Path.of(file), StandardCharsets.UTF_8)) {
            w.write(content);
        } catch (IOException e) {
            throw new CliException(CliException.IO, "Cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private void writeJson(String file, Object doc) throws CliException {
        writeJson(file, doc, true);
    }

    private void writeJson(String file, Object doc, boolean enabled) throws CliException {
        if (!enabled || file == null) {
            return;
        }
        try {
            write(file, json.writeValueAsString(doc) + "\n");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CliException(CliException.IO, "Cannot encode JSON: " + e.getMessage(), e);
        }
    }
}
