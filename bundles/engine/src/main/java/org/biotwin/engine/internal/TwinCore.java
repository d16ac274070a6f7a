package org.biotwin.engine.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.biotwin.api.batch.BatchContext;
import org.biotwin.api.estimation.Estimate;
import org.biotwin.api.estimation.EstimatorSession;
import org.biotwin.api.estimation.EstimatorSpec;
import org.biotwin.api.estimation.Observation;
import org.biotwin.api.estimation.OffGasReading;
import org.biotwin.api.estimation.RespirationRates;
import org.biotwin.api.estimation.RespirationSoftSensor;
import org.biotwin.api.estimation.ScreenSettings;
import org.biotwin.api.estimation.ScreenVerdict;
import org.biotwin.api.estimation.SignalScreen;
import org.biotwin.api.estimation.SignalScreening;
import org.biotwin.api.estimation.StateEstimator;
import org.biotwin.api.estimation.UpdateResult;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.Observable;
import org.biotwin.api.model.StateVariable;
import org.biotwin.api.sample.Quality;
import org.biotwin.api.sample.Sample;
import org.biotwin.api.twin.Lineage;
import org.biotwin.api.twin.PlanningBasis;
import org.biotwin.api.twin.TwinState;
import org.jspecify.annotations.Nullable;

/**
 * The twin of one unit, without OSGi: turns the unit's samples into state estimates with the active model, watches
 * the innovations for drift, and hands the state over when the model changes.
 * <p>
 * Processing: each sample is screened (spike, freeze, gap) and, if usable, either fused on its own (offline lab
 * results, at their sampling time, even when late) or accumulated into a window mean (online signals) that is fused
 * when the window closes. Each fused observation's normalised innovation feeds a two-sided CUSUM per observable; the
 * first crossing of its limit raises a drift alarm — the continuous validation of the model in production.
 * <p>
 * Not thread-safe by itself: {@link TwinComponent} serialises every call under one lock, so that a model swap happens
 * between two samples.
 */
final class TwinCore {

    private final TwinSettings settings;
    private final StateEstimator estimator;
    private final SignalScreening screening;
    private final TwinOutputs outputs;
    private final RespirationSoftSensor respiration;
    /** Latest raw off-gas values by tag, each with its time stamp. */
    private final Map<String, Sample> offGasLatest = new HashMap<>();
    private final Map<String, ObservationSpec> byTag = new HashMap<>();
    private final Map<String, SignalScreen> tagScreens = new HashMap<>();
    private final Map<String, SignalScreen> driftScreens = new HashMap<>();
    private final Map<String, Window> windows = new HashMap<>();

    private @Nullable BoundModel model;
    /** The model the filter runs: the bound model, augmented with the adapted parameters when there are any. */
    private @Nullable KineticModel filterModel;
    private @Nullable EstimatorSession session;
    private @Nullable String batchId;
    private @Nullable Instant batchStart;
    private @Nullable Instant firstSample;
    private @Nullable Instant lastSample;
    private long samplesUsed;
    private long samplesWithoutModel;
    private boolean driftAlarmed;
    private boolean noModelAlarmed;
    private volatile @Nullable TwinState latest;

    TwinCore(TwinSettings settings, StateEstimator estimator, SignalScreening screening,
            RespirationSoftSensor respiration, TwinOutputs outputs) {
        this.settings = settings;
        this.estimator = estimator;
        this.screening = screening;
        this.respiration = respiration;
        this.outputs = outputs;
        for (ObservationSpec s : settings.observations()) {
            byTag.put(s.tag(), s);
        }
        OffGasSpec g = settings.offGas();
        if (g != null) {
            // the derived rates enter as online observations of the model's OUR and CER
            byTag.putIfAbsent(DERIVED_OUR, new ObservationSpec(DERIVED_OUR, "OUR", 0.01, g.relativeSd(), false));
            byTag.putIfAbsent(DERIVED_CER, new ObservationSpec(DERIVED_CER, "CER", 0.01, g.relativeSd(), false));
        }
    }

    /** Tags of the rates the twin derives from raw off-gas. */
    static final String DERIVED_OUR = "OUR(offgas)";
    static final String DERIVED_CER = "CER(offgas)";

    Optional<TwinState> state() {
        return Optional.ofNullable(latest);
    }

    Optional<BoundModel> model() {
        return Optional.ofNullable(model);
    }

    @Nullable EstimatorSession session() {
        return session;
    }

    @Nullable Instant batchStart() {
        return batchStart;
    }

    @Nullable String batchId() {
        return batchId;
    }

    long samplesWithoutModel() {
        return samplesWithoutModel;
    }

    /**
     * Makes {@code next} the active model. With a running estimate, the states are handed over by name with their
     * covariance; states the old model lacks start at their nominal value with the prior uncertainty.
     *
     * @throws IllegalArgumentException if the configuration does not fit the model (unknown observable, initial
     *                                  state or schedule input); the previous model stays active
     */
    void activate(BoundModel next) {
        checkFits(next.model());
        KineticModel nextFilterModel = settings.adaptedParameters().isEmpty() ? next.model()
                : new ParameterAugmentedModel(next.model(), settings.adaptedParameters());
        KineticModel previous = filterModel;
        EstimatorSession old = session;
        model = next;
        filterModel = nextFilterModel;
        noModelAlarmed = false;
        if (old != null && previous != null) {
            Estimate e = old.current();
            session = estimator.open(handover(previous, e, nextFilterModel));
            resetDrift();
            publish();
        } else {
            session = null; // opened at the first sample, when the batch start is known
        }
    }

    /** The active model went away: hold the last estimate and raise an alarm. */
    void deactivate(String reason) {
        model = null;
        filterModel = null;
        session = null;
        outputs.alarm(settings.unit(), "model", "Twin " + settings.unit() + " has no model: " + reason
                + "; holding the last estimate");
        noModelAlarmed = true;
    }

    /**
     * Processes samples of the unit, in order.
     *
     * @param context the batch record lookup (unit, time) or a function that always answers empty
     */
    void onSamples(List<Sample> samples, BiFunction<String, Instant, Optional<BatchContext>> context) {
        boolean updated = false;
        for (Sample raw : samples) {
            if (!raw.unitId().equals(settings.unit())) {
                continue;
            }
            List<Sample> expanded = expandOffGas(raw);
            for (Sample s : expanded) {
                updated |= onSample(s, context);
            }
        }
        if (updated) {
            publish();
        }
    }

    /** The sample itself, plus derived OUR and CER once all three off-gas values of one instant are in. */
    private List<Sample> expandOffGas(Sample s) {
        OffGasSpec g = settings.offGas();
        if (g == null || !g.isOffGasTag(s.tag()) || s.quality() == Quality.BAD) {
            return List.of(s);
        }
        offGasLatest.put(s.tag(), s);
        Sample o2 = offGasLatest.get(g.o2Tag());
        Sample co2 = offGasLatest.get(g.co2Tag());
        Sample air = offGasLatest.get(g.airTag());
        EstimatorSession sess = session;
        if (o2 == null || co2 == null || air == null || sess == null || filterModel == null
                || !o2.timestamp().equals(co2.timestamp()) || !o2.timestamp().equals(air.timestamp())) {
            return List.of(s);
        }
        int v = volumeIndex(filterModel);
        if (v < 0) {
            return List.of(s);
        }
        try {
            double volume = sess.current().mean()[v];
            RespirationRates r = respiration.rates(new OffGasReading(0, air.value(), g.inletO2(), g.inletCO2(),
                    o2.value(), co2.value(), volume), g.molarVolume());
            offGasLatest.clear();
            return List.of(s, Sample.of(s.unitId(), DERIVED_OUR, o2.timestamp(), r.our(), "mmol/L/h"),
                    Sample.of(s.unitId(), DERIVED_CER, o2.timestamp(), r.cer(), "mmol/L/h"));
        } catch (IllegalArgumentException e) {
            outputs.exclusion(s, "off-gas balance: " + e.getMessage());
            offGasLatest.clear();
            return List.of(s);
        }
    }

    private static int volumeIndex(KineticModel km) {
        List<StateVariable> states = km.states();
        for (int i = 0; i < states.size(); i++) {
            if (states.get(i).kind() == org.biotwin.api.model.StateKind.VOLUME) {
                return i;
            }
        }
        return -1;
    }

    /** Screens and fuses (or accumulates) one sample; returns whether the estimate changed. */
    private boolean onSample(Sample s, BiFunction<String, Instant, Optional<BatchContext>> context) {
        ObservationSpec spec = byTag.get(s.tag());
        if (spec == null) {
            return false; // a tag the model does not observe (pH, stirrer speed...): historian only
        }
        if (model == null) {
            samplesWithoutModel++;
            if (!noModelAlarmed) {
                noModelAlarmed = true;
                outputs.alarm(settings.unit(), "model", "Twin " + settings.unit() + ": no model '"
                        + settings.modelId() + "' is available; samples are stored but not estimated");
            }
            return false;
        }
        if (s.quality() == Quality.BAD) {
            outputs.exclusion(s, "quality BAD");
            return false;
        }
        enterBatch(s, context);
        double age = age(s.timestamp());
        if (age < 0) {
            outputs.exclusion(s, "sampled before the batch started");
            return false;
        }
        if (spec.offline()) {
            return fuse(spec, s, new Observation(spec.observable(), age, s.value(), spec.sd(s.value())));
        }
        SignalScreen screen = tagScreens.computeIfAbsent(s.tag(),
                t -> screening.open(settings.unit() + "/" + t, ScreenSettings.ONLINE_1HZ));
        ScreenVerdict v = screen.check(age, s.value());
        if (!v.accepted()) {
            outputs.exclusion(s, String.valueOf(v.reason()));
            return false;
        }
        return accumulate(spec, s, age);
    }

    private void enterBatch(Sample s, BiFunction<String, Instant, Optional<BatchContext>> context) {
        Optional<BatchContext> ctx = context.apply(settings.unit(), s.timestamp());
        String id = ctx.map(BatchContext::batchId).orElse(null);
        Instant start = ctx.map(BatchContext::batchStart).orElse(null);
        if (start == null) {
            start = settings.batchStart() != null ? settings.batchStart()
                    : batchStart != null ? batchStart : s.timestamp();
        }
        boolean newBatch = session == null || (id != null && !id.equals(batchId));
        if (newBatch) {
            batchId = id;
            batchStart = start;
            firstSample = null;
            samplesUsed = 0;
            windows.clear();
            resetDrift();
            session = estimator.open(initialSpec(filterModel, age(s.timestamp())));
        }
    }

    private boolean accumulate(ObservationSpec spec, Sample s, double age) {
        double width = settings.fuseWindowSeconds() / 3600.0;
        if (width == 0) {
            return fuse(spec, s, new Observation(spec.observable(), age, s.value(), spec.sd(s.value())));
        }
        Window w = windows.get(spec.tag());
        boolean updated = false;
        if (w != null && age >= w.start + width) {
            updated = flush(spec, w);
            w = null;
        }
        if (w == null) {
            w = new Window(Math.floor(age / width) * width);
            windows.put(spec.tag(), w);
        }
        if (age < w.start) {
            // a late online value from an earlier window: fuse it on its own at its time
            return fuse(spec, s, new Observation(spec.observable(), age, s.value(), spec.sd(s.value()))) || updated;
        }
        w.add(age, s);
        return updated;
    }

    private boolean flush(ObservationSpec spec, Window w) {
        double mean = w.sum / w.count;
        // A mean of correlated sensor noise is not sqrt(n) better than one value: keep the single-value sd.
        Observation o = new Observation(spec.observable(), w.sumTime / w.count, mean, spec.sd(mean));
        return fuse(spec, w.last, o);
    }

    private boolean fuse(ObservationSpec spec, Sample s, Observation o) {
        EstimatorSession sess = session;
        UpdateResult r = sess.update(o);
        if (!r.fused()) {
            outputs.exclusion(s, String.valueOf(r.rejection()));
        }
        if (firstSample == null || s.timestamp().isBefore(firstSample)) {
            firstSample = s.timestamp();
        }
        if (lastSample == null || s.timestamp().isAfter(lastSample)) {
            lastSample = s.timestamp();
        }
        samplesUsed++;
        double nis = r.normalisedInnovationSquared();
        if (Double.isFinite(nis)) {
            double z = Math.signum(r.innovation()) * Math.sqrt(nis);
            SignalScreen drift = driftScreens.computeIfAbsent(spec.observable(), k -> screening.open(
                    settings.unit() + "/" + k, new ScreenSettings(31, 6, Integer.MAX_VALUE, 0, 1e9,
                            settings.driftSlack(), settings.driftLimit())));
            ScreenVerdict v = drift.checkInnovation(o.time(), z);
            if (!v.accepted() && !driftAlarmed) {
                driftAlarmed = true;
                outputs.alarm(settings.unit(), "drift", "Model " + model.coordinates() + " no longer explains unit "
                        + settings.unit() + ": " + v.reason());
            }
        }
        return true;
    }

    /** What a prediction starts from, or empty before the first estimate. Call under the twin's lock. */
    Optional<PredictionInput> predictionInput() {
        TwinState ts = latest;
        BoundModel m = model;
        EstimatorSession sess = session;
        if (ts == null || m == null || sess == null) {
            return Optional.empty();
        }
        Estimate e = sess.current();
        KineticModel km = sess.spec().model();
        double[] mean = e.mean();
        double[][] cov = e.covariance();
        double[] parameters = sess.spec().parameters();
        Map<String, Double> parameterSd = new HashMap<>();
        if (km instanceof ParameterAugmentedModel aug) {
            // in the base model's terms: adapted parameters at their estimates, states without them
            int n = aug.base().states().size();
            parameters = aug.parametersFrom(mean, parameters);
            for (int k = n; k < mean.length; k++) {
                parameterSd.put(km.states().get(k).name().substring(2), e.standardDeviation(k));
            }
            km = aug.base();
            mean = java.util.Arrays.copyOf(mean, n);
            double[][] c = new double[n][];
            for (int i = 0; i < n; i++) {
                c[i] = java.util.Arrays.copyOf(cov[i], n);
            }
            cov = c;
        }
        PlanningBasis basis = new PlanningBasis(settings.unit(), batchId, batchStart, km, parameters, e.time(), mean,
                cov, settings.schedule(), settings.harvestAgeHours());
        return Optional.of(new PredictionInput(basis, parameterSd, settings.ensembleSize(), ts.lineage()));
    }

    boolean driftAlarmed() {
        return driftAlarmed;
    }

    private void resetDrift() {
        driftScreens.clear();
        driftAlarmed = false;
    }

    private void publish() {
        EstimatorSession sess = session;
        BoundModel m = model;
        if (sess == null || m == null || firstSample == null) {
            return;
        }
        Estimate e = sess.current();
        List<StateVariable> states = filterModel.states();
        Lineage lineage = new Lineage(m.id(), m.version(), m.digest(), sess.spec().describe(), firstSample,
                lastSample, samplesUsed);
        TwinState ts = new TwinState(settings.unit(), batchId, batchStart.plusMillis(Math.round(e.time() * 3.6e6)),
                e.time(), states.stream().map(StateVariable::name).toList(),
                states.stream().map(StateVariable::unit).toList(), e.mean(), e.covariance(), lineage);
        latest = ts;
        outputs.estimate(ts);
    }

    double age(Instant t) {
        return (t.toEpochMilli() - batchStart.toEpochMilli()) / 3_600_000.0;
    }

    // ---- specs ----

    private EstimatorSpec initialSpec(KineticModel km, double startAge) {
        List<StateVariable> states = km.states();
        int n = states.size();
        double[] mean = km.nominalInitialState();
        for (int i = 0; i < n; i++) {
            Double v = settings.initialState().get(states.get(i).name());
            if (v != null) {
                mean[i] = v;
            }
        }
        double[][] p0 = new double[n][n];
        for (int i = 0; i < n; i++) {
            double sd = priorSd(states.get(i), mean[i]);
            p0[i][i] = sd * sd;
        }
        return new EstimatorSpec(km, km.nominalParameters(), Math.max(0, startAge), mean, p0, processNoise(km),
                relativeProcessNoise(km), settings.schedule(), settings.filter(), settings.historyHours(), settings.gateSigma());
    }

    private EstimatorSpec handover(KineticModel from, Estimate e, KineticModel to) {
        List<StateVariable> ts = to.states();
        int n = ts.size();
        double[] oldMean = e.mean();
        double[][] oldCov = e.covariance();
        int[] map = new int[n];
        double[] mean = to.nominalInitialState();
        for (int i = 0; i < n; i++) {
            map[i] = from.stateIndex(ts.get(i).name());
            if (map[i] >= 0) {
                mean[i] = oldMean[map[i]];
            }
        }
        double[][] p = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (map[i] >= 0 && map[j] >= 0) {
                    p[i][j] = oldCov[map[i]][map[j]];
                }
            }
            if (map[i] < 0) {
                double sd = priorSd(ts.get(i), mean[i]);
                p[i][i] = sd * sd;
            }
        }
        return new EstimatorSpec(to, to.nominalParameters(), e.time(), mean, p, processNoise(to),
                relativeProcessNoise(to), settings.schedule(), settings.filter(), settings.historyHours(), settings.gateSigma());
    }

    /** Absolute part of the process noise: a floor at each state's absolute tolerance; the random walk of a parameter. */
    private double[] processNoise(KineticModel km) {
        List<StateVariable> states = km.states();
        double[] q = new double[states.size()];
        for (int i = 0; i < q.length; i++) {
            AdaptedParameter a = adapted(states.get(i));
            double s = a != null ? a.drift() * Math.abs(states.get(i).nominalInitial())
                    : settings.relativeProcessNoise() * states.get(i).absTolerance();
            q[i] = s * s;
        }
        return q;
    }

    /** Relative part: model error grows with each state; parameters only walk by their drift. */
    private double[] relativeProcessNoise(KineticModel km) {
        List<StateVariable> states = km.states();
        double[] r = new double[states.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = adapted(states.get(i)) != null ? 0 : settings.relativeProcessNoise();
        }
        return r;
    }

    private double priorSd(StateVariable s, double value) {
        AdaptedParameter a = adapted(s);
        return a != null ? a.relativeSd() * Math.abs(s.nominalInitial())
                : settings.initialRelativeSd() * scale(s, value);
    }

    private @Nullable AdaptedParameter adapted(StateVariable s) {
        for (AdaptedParameter a : settings.adaptedParameters()) {
            if (a.stateName().equals(s.name())) {
                return a;
            }
        }
        return null;
    }

    private static double scale(StateVariable s, double value) {
        return Math.max(Math.abs(value), Math.max(Math.abs(s.nominalInitial()), s.absTolerance()));
    }

    private void checkFits(KineticModel km) {
        String id = km.descriptor().coordinates();
        List<String> names = new ArrayList<>(km.observables().stream().map(Observable::name).toList());
        names.addAll(km.states().stream().map(StateVariable::name).toList());
        for (ObservationSpec s : settings.observations()) {
            if (!names.contains(s.observable())) {
                throw new IllegalArgumentException("Twin " + settings.unit() + ": model " + id
                        + " has no observable or state '" + s.observable() + "' (mapped from tag '" + s.tag() + "')");
            }
        }
        for (String state : settings.initialState().keySet()) {
            if (km.stateIndex(state) < 0) {
                throw new IllegalArgumentException("Twin " + settings.unit() + ": model " + id + " has no state '"
                        + state + "' (property initialState)");
            }
        }
        Map<String, Boolean> inputs = km.inputs().stream()
                .collect(Collectors.toMap(i -> i.name(), i -> true, (a, b) -> a, LinkedHashMap::new));
        settings.schedule().profiles().forEach(p -> {
            if (!inputs.containsKey(p.input())) {
                throw new IllegalArgumentException("Twin " + settings.unit() + ": model " + id + " has no input '"
                        + p.input() + "' (property schedule; inputs: " + inputs.keySet() + ")");
            }
        });
    }

    /** Accumulator of one online tag over one fuse window. */
    private static final class Window {
        final double start;
        double sum;
        double sumTime;
        int count;
        Sample last;

        Window(double start) {
            this.start = start;
        }

        void add(double age, Sample s) {
            sum += s.value();
            sumTime += age;
            count++;
            last = s;
        }
    }
}
