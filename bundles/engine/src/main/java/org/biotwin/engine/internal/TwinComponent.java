package org.biotwin.engine.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.biotwin.api.audit.AuditEvent;
import org.biotwin.api.audit.AuditTrail;
import org.biotwin.api.batch.BatchContext;
import org.biotwin.api.batch.BatchRecord;
import org.biotwin.api.estimation.RespirationSoftSensor;
import org.biotwin.api.estimation.SignalScreening;
import org.biotwin.api.estimation.StateEstimator;
import org.biotwin.api.historian.Historian;
import org.biotwin.api.historian.HistorianPoint;
import org.biotwin.api.kinetics.UncertaintyPropagator;
import org.biotwin.api.messaging.PlantWriter;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.sample.Sample;
import org.biotwin.api.sample.SampleListener;
import org.biotwin.api.twin.PlanningBasis;
import org.biotwin.api.twin.Prediction;
import org.biotwin.api.twin.PredictionBand;
import org.biotwin.api.twin.Twin;
import org.biotwin.api.twin.TwinState;
import org.jspecify.annotations.Nullable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The twin of one bioreactor unit, one per factory configuration {@value #PID}.
 * <p>
 * Binds the unit's samples (it registers a {@link SampleListener} for its unit), the batch record (optional), the
 * configured model (dynamic: the highest version of the configured id, or the pinned one) and the state estimator.
 * Publishes each new estimate, every prediction and every alarm to the historian and to MQTT
 * ({@code <prefix>/<unit>/state|prediction|alarm}) when those services are present, and audits alarms and model
 * changes. All sample processing and model changes run under one lock, so a model swap happens between two samples.
 */
// Immediate: a twin must listen to its unit from the moment it is configured, not when someone first asks for it.
@Component(configurationPid = TwinComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = Twin.class,
        immediate = true)
@Designate(ocd = TwinConfiguration.class, factory = true)
public final class TwinComponent implements Twin, TwinOutputs {

    static final String PID = "org.biotwin.engine.twin";
    /** Service property of a model service: hex SHA-256 content digest of its bundle. */
    static final String DIGEST = "biotwin.model.digest";
    private static final Logger LOG = System.getLogger(TwinComponent.class.getName());

    private final TwinSettings settings;
    private final TwinCore core;
    private final ReentrantLock lock = new ReentrantLock();
    private final ObjectMapper json = new ObjectMapper();
    private final Map<ServiceReference<KineticModel>, BoundModel> candidates = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> exclusions = new ConcurrentHashMap<>();
    private final List<String> alarms = Collections.synchronizedList(new ArrayList<>());
    private final ScheduledExecutorService predictions;
    private final ServiceRegistration<SampleListener> listener;
    private volatile @Nullable Prediction prediction;
    private volatile @Nullable GoldenBatchEnvelope envelope;
    /** Tags already reported outside the envelope in the current batch, guarded by {@link #lock}. */
    private final java.util.Set<String> goldenAlarmed = new java.util.HashSet<>();
    private final GoldenBatchEnvelope.LiveBins goldenBins = new GoldenBatchEnvelope.LiveBins();
    private @Nullable String goldenBatchOf;
    /** Samples of the unit processed, guarded by {@link #lock}. */
    private long processed;
    /** Version chosen by {@link #activateModel}; overrides the configured pin while it is available. */
    private volatile @Nullable String chosenVersion;
    private volatile boolean active = true;

    // Optional services, injected into volatile fields by DS as they come and go (dynamic, greedy).
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile @Nullable BatchRecord batchRecord;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile @Nullable Historian historian;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile @Nullable PlantWriter plantWriter;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile @Nullable AuditTrail auditTrail;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile @Nullable UncertaintyPropagator propagator;

    @Activate
    public TwinComponent(TwinConfiguration config, BundleContext context, @Reference StateEstimator estimator,
            @Reference SignalScreening screening, @Reference RespirationSoftSensor respiration) {
        this.settings = TwinSettings.from(config);
        this.core = new TwinCore(settings, estimator, screening, respiration, this);
        this.predictions = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "biotwin-predict-" + settings.unit());
            t.setDaemon(true);
            return t;
        });
        chooseModel();
        if (settings.predictionIntervalSeconds() > 0) {
            long ms = Math.round(settings.predictionIntervalSeconds() * 1000);
            predictions.scheduleWithFixedDelay(this::predictNow, ms, ms, TimeUnit.MILLISECONDS);
        }
        if (!settings.goldenBatches().isEmpty()) {
            // the historian may bind later: retry until the envelope is built
            predictions.scheduleWithFixedDelay(this::buildEnvelope, 1, 30, TimeUnit.SECONDS);
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(SampleListener.UNITS, settings.unit());
        this.listener = context.registerService(SampleListener.class, this::onSamples, props);
        LOG.log(Level.INFO, "Twin {0} active with model {1}", settings.unit(), settings.modelId());
    }

    @Deactivate
    void deactivate() {
        active = false;
        try {
            listener.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregisters a bundle's services when it stops
        }
        predictions.shutdownNow();
    }

    // ---- Twin ----

    @Override
    public String unitId() {
        return settings.unit();
    }

    @Override
    public Optional<TwinState> state() {
        return core.state();
    }

    @Override
    public Optional<Prediction> prediction() {
        return Optional.ofNullable(prediction);
    }

    @Override
    public Optional<String> activeModel() {
        return core.model().map(BoundModel::coordinates);
    }

    @Override
    public Optional<PlanningBasis> planningBasis() {
        lock.lock();
        try {
            return core.predictionInput().map(PredictionInput::basis);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<String> alarms() {
        synchronized (alarms) {
            return List.copyOf(alarms);
        }
    }

    /** Excluded samples by reason. */
    public Map<String, Long> exclusions() {
        Map<String, Long> m = new HashMap<>();
        exclusions.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    // ---- samples ----

    void onSamples(List<Sample> samples) {
        if (!active) {
            return;
        }
        BatchRecord br = batchRecord;
        lock.lock();
        try {
            for (Sample s : samples) {
                if (s.unitId().equals(settings.unit())) {
                    processed++;
                }
            }
            core.onSamples(samples, (unit, time) -> br == null ? Optional.<BatchContext>empty()
                    : br.contextAt(unit, time));
            compareWithGoldenBatch(samples);
        } finally {
            lock.unlock();
        }
    }

    private void compareWithGoldenBatch(List<Sample> samples) {
        GoldenBatchEnvelope env = envelope;
        if (env == null || core.batchStart() == null) {
            return;
        }
        if (!java.util.Objects.equals(goldenBatchOf, core.batchId())) {
            goldenAlarmed.clear();
            goldenBins.clear();
            goldenBatchOf = core.batchId();
        }
        for (Sample s : samples) {
            if (!s.unitId().equals(settings.unit()) || goldenAlarmed.contains(s.tag())) {
                continue;
            }
            goldenBins.add(env, s.tag(), core.age(s.timestamp()), s.value()).ifPresent(why -> {
                goldenAlarmed.add(s.tag());
                alarm(settings.unit(), "golden-batch", why);
            });
        }
    }

    /** Reads the good batches from the historian and builds the envelope, once. */
    void buildEnvelope() {
        Historian h = historian;
        if (envelope != null || h == null) {
            return;
        }
        BatchRecord br = batchRecord;
        try {
            Map<Instant, List<org.biotwin.api.historian.Series>> batches = new HashMap<>();
            for (String id : settings.goldenBatches()) {
                List<org.biotwin.api.historian.Series> series = h.readBatch(id);
                Optional<Instant> start = br == null ? Optional.empty()
                        : br.batch(id).map(BatchContext::batchStart);
                Instant t0 = start.orElseGet(() -> series.stream().flatMap(x -> x.points().stream())
                        .map(org.biotwin.api.historian.SeriesPoint::time).min(Instant::compareTo)
                        .orElseThrow(() -> new IllegalStateException("golden batch " + id + " has no data")));
                batches.put(t0, series);
            }
            envelope = GoldenBatchEnvelope.build(batches, settings.goldenBinHours(), settings.goldenSigma());
            LOG.log(Level.INFO, "Twin {0}: golden-batch envelope of {1} batches built", settings.unit(),
                    batches.size());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Twin {0}: golden-batch envelope not built yet: {1}", settings.unit(),
                    e.getMessage());
        }
    }

    @Override
    public List<org.biotwin.api.twin.GoldenBatchBand> goldenBatch() {
        GoldenBatchEnvelope env = envelope;
        return env == null ? List.of() : env.bands();
    }

    /** Computes a prediction now (also called by the schedule). */
    public Optional<Prediction> predictNow() {
        UncertaintyPropagator p = propagator;
        if (p == null || !active) {
            return Optional.empty();
        }
        Optional<PredictionInput> in;
        lock.lock();
        try {
            in = core.predictionInput();
        } finally {
            lock.unlock();
        }
        if (in.isEmpty()) {
            return Optional.empty();
        }
        try {
            Prediction pr = EndOfBatchPredictor.predict(in.get(), p, Double.hashCode(in.get().basis().batchAge()));
            prediction = pr;
            prediction(pr);
            return Optional.of(pr);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Twin " + settings.unit() + ": prediction failed: " + e.getMessage(), e);
            return Optional.empty();
        }
    }

    // ---- model binding ----

    /**
     * Models of the configured id. The reference is named {@code model}, so a host restricts what twins may bind with
     * the configuration property {@code model.target}, e.g. {@code (biotwin.model.approved=true)} behind an
     * approval gate. The digest is the service's {@value #DIGEST} property when it has one (set by such a gate),
     * else the providing bundle's content digest.
     */
    @Reference(name = "model", service = KineticModel.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindModel(KineticModel model, ServiceReference<KineticModel> ref) {
        if (!settings.modelId().equals(model.descriptor().id())) {
            return;
        }
        Object digest = ref.getProperty(DIGEST);
        candidates.put(ref, new BoundModel(model, digest instanceof String d ? d : BundleDigest.of(ref.getBundle())));
        if (core != null) {
            chooseModel();
        }
    }

    void unbindModel(KineticModel model, ServiceReference<KineticModel> ref) {
        if (candidates.remove(ref) != null && core != null) {
            chooseModel();
        }
    }

    @Override
    public long samplesProcessed() {
        lock.lock();
        try {
            return processed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<String> availableModelVersions() {
        return candidates.values().stream().map(BoundModel::version).distinct().sorted(SemVer.ORDER).toList();
    }

    @Override
    public String activateModel(String version) {
        if (candidates.values().stream().noneMatch(m -> m.version().equals(version))) {
            throw new IllegalArgumentException("Twin " + settings.unit() + " cannot activate " + settings.modelId()
                    + ":" + version + ": available versions are " + availableModelVersions());
        }
        String previous = activeModel().orElse("none");
        chosenVersion = version;
        chooseModel();
        return previous;
    }

    private void chooseModel() {
        Comparator<BoundModel> byVersion = Comparator.comparing(BoundModel::version, SemVer.ORDER);
        String wanted = chosenVersion != null ? chosenVersion : settings.modelVersion();
        Optional<BoundModel> best = candidates.values().stream()
                .filter(m -> wanted == null || wanted.equals(m.version()))
                .max(byVersion);
        if (best.isEmpty() && wanted != null && !candidates.isEmpty()) {
            // the chosen version went away: fall back to the highest version still available, and say so
            best = candidates.values().stream().max(byVersion);
            alarm(settings.unit(), "model", "Model " + settings.modelId() + ":" + wanted + " is no longer available;"
                    + " falling back to " + best.get().coordinates());
            chosenVersion = best.get().version();
        }
        lock.lock();
        try {
            Optional<BoundModel> current = core.model();
            if (best.isEmpty()) {
                if (current.isPresent()) {
                    core.deactivate("model " + current.get().coordinates() + " was removed");
                }
                return;
            }
            if (current.isPresent() && current.get().model() == best.get().model()) {
                return;
            }
            try {
                core.activate(best.get());
                String from = current.map(BoundModel::coordinates).orElse("none");
                audit("model.activate", best.get().coordinates(), "twin switched to " + (wanted == null
                        ? "the highest available version" : "version " + wanted), from,
                        best.get().coordinates() + " sha256=" + best.get().digest());
                LOG.log(Level.INFO, "Twin {0}: model {1} -> {2}", settings.unit(), from, best.get().coordinates());
            } catch (IllegalArgumentException e) {
                alarm(settings.unit(), "model", e.getMessage());
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- outputs ----

    @Override
    public void estimate(TwinState s) {
        Map<String, Object> fields = new HashMap<>();
        ObjectNode states = json.createObjectNode();
        for (int i = 0; i < s.stateNames().size(); i++) {
            String name = s.stateNames().get(i);
            double mean = s.mean()[i];
            double sd = Math.sqrt(Math.max(0, s.covariance()[i][i]));
            fields.put(field(name), mean);
            fields.put(field(name) + "_sd", sd);
            states.putObject(name).put("mean", mean).put("sd", sd).put("unit", s.units().get(i));
        }
        fields.put("batch_age_h", s.batchAge());
        write(new HistorianPoint("twin_state", tags(s.batchId(), Map.of("model", s.lineage().modelId(), "version",
                s.lineage().modelVersion())), s.time(), fields));
        ObjectNode msg = json.createObjectNode();
        msg.put("unit", s.unitId()).put("batch", s.batchId()).put("time", s.time().toString())
                .put("batchAge_h", s.batchAge());
        msg.putObject("model").put("id", s.lineage().modelId()).put("version", s.lineage().modelVersion())
                .put("digest", s.lineage().modelDigest());
        msg.put("estimator", s.lineage().estimator()).put("samplesUsed", s.lineage().samplesUsed())
                .put("firstSample", s.lineage().firstSample().toString())
                .put("lastSample", s.lineage().lastSample().toString());
        msg.set("states", states);
        publish("state", msg, true);
    }

    @Override
    public void prediction(Prediction p) {
        ObjectNode msg = json.createObjectNode();
        msg.put("unit", p.unitId()).put("batch", p.batchId()).put("issuedAt", p.issuedAt().toString())
                .put("predictedHarvest", p.predictedHarvest().toString()).put("ensembleSize", p.ensembleSize());
        msg.putObject("model").put("id", p.lineage().modelId()).put("version", p.lineage().modelVersion())
                .put("digest", p.lineage().modelDigest());
        ObjectNode bands = msg.putObject("bands");
        List<HistorianPoint> points = new ArrayList<>();
        for (PredictionBand b : p.bands()) {
            ObjectNode band = bands.putObject(b.variable());
            band.put("unit", b.unit());
            array(band.putArray("times_h"), b.times());
            array(band.putArray("p05"), b.p05());
            array(band.putArray("p50"), b.p50());
            array(band.putArray("p95"), b.p95());
            int last = b.times().length - 1;
            points.add(new HistorianPoint("twin_prediction", tags(p.batchId(), Map.of("variable", b.variable())),
                    p.issuedAt(), Map.of("p05_end", b.p05()[last], "p50_end", b.p50()[last], "p95_end",
                            b.p95()[last], "harvest", p.predictedHarvest().toString())));
        }
        write(points);
        publish("prediction", msg, true);
    }

    @Override
    public void alarm(String unit, String kind, String message) {
        LOG.log(Level.WARNING, "Twin {0} alarm [{1}]: {2}", unit, kind, message);
        alarms.add(Instant.now() + " [" + kind + "] " + message);
        audit("twin.alarm." + kind, unit, message, null, message);
        write(new HistorianPoint("twin_alarm", tags(core == null ? null : core.batchId(), Map.of("kind", kind)),
                Instant.now(), Map.of("message", message)));
        ObjectNode msg = json.createObjectNode();
        msg.put("unit", unit).put("kind", kind).put("message", message).put("time", Instant.now().toString());
        publish("alarm", msg, false);
    }

    @Override
    public void exclusion(Sample s, String reason) {
        exclusions.computeIfAbsent(reason.replaceAll("[-+]?[0-9][0-9.eE+-]*", "#"), k -> new AtomicLong())
                .incrementAndGet();
        write(new HistorianPoint("twin_exclusion", Map.of("unit", s.unitId(), "tag", s.tag()), s.timestamp(),
                Map.of("value", s.value(), "reason", reason)));
    }

    private Map<String, String> tags(@Nullable String batch, Map<String, String> extra) {
        Map<String, String> t = new HashMap<>(extra);
        t.put("unit", settings.unit());
        if (batch != null) {
            t.put("batch", batch);
        }
        return t;
    }

    private void write(HistorianPoint p) {
        write(List.of(p));
    }

    private void write(List<HistorianPoint> points) {
        Historian h = historian;
        if (h == null || points.isEmpty()) {
            return;
        }
        try {
            h.write(points);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Twin {0}: historian refused {1} points: {2}", settings.unit(), points.size(),
                    e.getMessage());
        }
    }

    private void publish(String kind, ObjectNode msg, boolean retained) {
        PlantWriter w = plantWriter;
        if (w == null) {
            return;
        }
        try {
            w.publish(settings.topicPrefix() + "/" + settings.unit() + "/" + kind,
                    json.writeValueAsString(msg).getBytes(StandardCharsets.UTF_8), retained);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Twin {0}: could not publish {1}: {2}", settings.unit(), kind, e.getMessage());
        }
    }

    private void audit(String action, String record, String reason, @Nullable String oldValue,
            @Nullable String newValue) {
        AuditTrail a = auditTrail;
        if (a == null) {
            return;
        }
        try {
            a.append(new AuditEvent("system:engine", action, "twin", settings.unit() + "/" + record, reason, oldValue,
                    newValue));
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Twin {0}: audit trail refused {1}: {2}", settings.unit(), action, e.getMessage());
        }
    }

    private static String field(String state) {
        String f = state.replaceAll("[^A-Za-z0-9_]", "_");
        return Character.isLetter(f.charAt(0)) ? f : "s_" + f;
    }

    private static void array(ArrayNode a, double[] values) {
        for (double v : values) {
            a.add(v);
        }
    }
}
