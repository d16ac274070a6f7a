package org.biotwin.ui.web.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.biotwin.api.advisory.Advisor;
import org.biotwin.api.advisory.Advisory;
import org.biotwin.api.advisory.AdvisoryStatus;
import org.biotwin.api.advisory.ClosedLoop;
import org.biotwin.api.advisory.ClosedLoopStatus;
import org.biotwin.api.batch.BatchContext;
import org.biotwin.api.batch.BatchRecord;
import org.biotwin.api.historian.Historian;
import org.biotwin.api.lifecycle.ModelLifecycle;
import org.biotwin.api.lifecycle.ModelStatus;
import org.biotwin.api.twin.Prediction;
import org.biotwin.api.twin.PredictionBand;
import org.biotwin.api.twin.Twin;
import org.biotwin.api.twin.TwinRegistry;
import org.biotwin.api.twin.TwinState;
import org.jspecify.annotations.Nullable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the panel shows, and its live updates. Reads the twins (and, when present, the advisor, the batch record, the
 * model lifecycle and the historian) into the JSON views of {@link Views}; every {@code livePeriodMillis} it looks for
 * new estimates, predictions, alarms, advisories and model changes, keeps a bounded in-memory history of the
 * estimates per unit (for the trajectory chart; it restarts with a new batch or another set of states), and pushes
 * each change to the subscribed event streams.
 * <p>
 * The estimated trajectory of each predicted variable is the sequence of the predictions' starting points (their
 * 5/50/95 % at issue time): the estimate mapped through the model's observables, with its uncertainty.
 * <p>
 * Thread-safe: one scheduler thread polls and pushes; the servlets read snapshots.
 */
@Component(service = LiveFeed.class, configurationPid = PanelSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class LiveFeed {

    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);

    /** An event stream of one browser. */
    public interface Subscriber {
        /** The unit whose detailed events the stream wants, or {@code null} for the overview only. */
        @Nullable String unit();

        /**
         * Sends one event; returns {@code false} when the stream is gone (it is then dropped).
         */
        boolean send(String event, String json);
    }

    /** Estimates of one unit, oldest first, bounded. */
    private static final class Track {
        final ArrayDeque<TwinState> states = new ArrayDeque<>();
        final ArrayDeque<Prediction> predictions = new ArrayDeque<>();
        @Nullable Instant lastState;
        @Nullable Instant lastPrediction;
        int alarms;
        String advisoryKey = "";
        String model = "";
        String closedLoopKey = "";
        String goldenKey = "";
        @Nullable String batch;
        List<String> stateNames = List.of();
    }

    private final TwinRegistry twins;
    private final PanelSettings settings;
    private final Map<String, Track> tracks = new ConcurrentHashMap<>();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile @Nullable Advisor advisor;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile @Nullable BatchRecord batchRecord;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile @Nullable ModelLifecycle lifecycle;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile @Nullable Historian historian;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile @Nullable ClosedLoop closedLoop;

    @Activate
    public LiveFeed(@Reference TwinRegistry twins, PanelConfig config) {
        this.twins = twins;
        this.settings = PanelSettings.from(config);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "biotwin-web-live");
            t.setDaemon(true);
            return t;
        });
        long ms = settings.livePeriod().toMillis();
        scheduler.scheduleWithFixedDelay(this::pollSafely, 0, ms, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void stop() {
        scheduler.shutdownNow();
        subscribers.forEach(s -> s.send("closed", "{\"reason\":\"panel stopped\"}"));
        subscribers.clear();
    }

    // ------------------------------------------------------------------------------------------------ services

    TwinRegistry twins() {
        return twins;
    }

    Optional<Advisor> advisor() {
        return Optional.ofNullable(advisor);
    }

    Optional<Historian> historian() {
        return Optional.ofNullable(historian);
    }

    Optional<BatchRecord> batchRecord() {
        return Optional.ofNullable(batchRecord);
    }

    Optional<ClosedLoop> closedLoop() {
        return Optional.ofNullable(closedLoop);
    }

    // ------------------------------------------------------------------------------------------------ views

    /** The overview of every unit, in unit order. */
    ArrayNode overview() {
        ArrayNode a = Views.JSON.createArrayNode();
        for (Twin t : twins.twins()) {
            a.add(summary(t));
        }
        return a;
    }

    /** One unit's line in the overview. */
    ObjectNode summary(Twin t) {
        ObjectNode n = Views.object().put("unit", t.unitId());
        Optional<TwinState> s = t.state();
        List<String> alarms = t.alarms();
        Optional<String> model = t.activeModel();
        String status = model.isEmpty() ? "NO_MODEL" : s.isEmpty() ? "WAITING_FOR_DATA" : !alarms.isEmpty()
                ? "ALARM" : "TRACKING";
        n.put("status", status);
        Optional<BatchContext> b = currentBatch(t.unitId());
        n.put("batch", b.map(BatchContext::batchId).orElse(s.map(TwinState::batchId).orElse(null)));
        n.put("phase", b.map(BatchContext::phase).orElse(null));
        n.put("batchState", b.map(x -> x.state().name()).orElse(null));
        n.put("activeModel", model.orElse(null));
        n.put("alarmCount", alarms.size());
        n.put("lastAlarm", alarms.isEmpty() ? null : alarms.get(alarms.size() - 1));
        n.put("samplesProcessed", t.samplesProcessed());
        Views.put(n, "lastEstimate", s.map(TwinState::time).orElse(null));
        Views.put(n, "batchAge_h", s.map(TwinState::batchAge).orElse(Double.NaN));
        n.put("openAdvisories", advisor().map(a -> a.advisories(t.unitId()).stream()
                .filter(x -> x.status() == AdvisoryStatus.OPEN).count()).orElse(0L));
        n.put("closedLoopOn", closedLoopOn(t.unitId()));
        return n;
    }

    /** Whether closed loop is on for a unit (false without the service or without limits for the unit). */
    private boolean closedLoopOn(String unitId) {
        ClosedLoop c = closedLoop;
        if (c == null) {
            return false;
        }
        try {
            return c.status(unitId).enabled();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Everything the unit view shows, or empty for an unknown unit. */
    Optional<ObjectNode> unit(String unitId) {
        Optional<Twin> ot = twins.twin(unitId);
        if (ot.isEmpty()) {
            return Optional.empty();
        }
        Twin t = ot.get();
        ObjectNode n = summary(t);
        n.set("batchContext", currentBatch(unitId).map(Views::batch).orElse(null));
        ObjectNode model = n.putObject("model");
        model.put("active", t.activeModel().orElse(null));
        ArrayNode versions = model.putArray("availableVersions");
        t.availableModelVersions().forEach(versions::add);
        model.set("validation", validation(t));
        n.set("state", t.state().map(Views::state).orElse(null));
        n.set("prediction", t.prediction().map(Views::prediction).orElse(null));
        ArrayNode alarms = n.putArray("alarms");
        t.alarms().forEach(alarms::add);
        n.set("estimated", estimated(unitId));
        n.put("historian", historian != null);
        n.put("advisor", advisor != null);
        n.set("goldenBatch", golden(t));
        n.set("closedLoop", closedLoopView(unitId));
        return Optional.of(n);
    }

    /** The twin's golden-batch envelope as chart series ({@link GoldenBatchView}). */
    ObjectNode golden(Twin t) {
        Map<String, String> units = new java.util.LinkedHashMap<>();
        t.prediction().ifPresent(p -> p.bands().forEach(b -> units.put(b.variable(), b.unit())));
        return GoldenBatchView.view(t.goldenBatch(), settings.measuredTags(), units);
    }

    /**
     * Closed loop of a unit, for the unit view and its live updates: the status, or why there is none (no service on
     * this host, or no limits configured for the unit). Indirect control is what the unit runs in either way.
     */
    ObjectNode closedLoopView(String unitId) {
        ClosedLoop c = closedLoop;
        if (c == null) {
            return Views.closedLoopUnavailable(unitId, false, "Closed loop is not available on this host (no"
                    + " closed-loop service): indirect control, a person carries accepted advice out");
        }
        try {
            return Views.closedLoop(c.status(unitId));
        } catch (IllegalArgumentException e) {
            return Views.closedLoopUnavailable(unitId, true, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Web panel: closed-loop status of {} failed", unitId, e);
            return Views.closedLoopUnavailable(unitId, true, "Closed-loop status failed: " + e.getMessage());
        }
    }

    /**
     * Pushes a unit's closed-loop status to its streams now (after the panel changed it), without waiting for the next
     * look; that look still sees the change and refreshes the overview.
     */
    void pushClosedLoop(String unitId, ClosedLoopStatus status) {
        push(unitId, "closed-loop", Views.closedLoop(status));
    }

    private ObjectNode validation(Twin t) {
        ModelLifecycle l = lifecycle;
        Optional<String> active = t.activeModel();
        if (active.isEmpty()) {
            return Views.object().put("status", "NO_MODEL");
        }
        if (l == null) {
            return Views.object().put("status", "UNKNOWN")
                    .put("reason", "No model lifecycle service: the approval gate's verdict is not available");
        }
        String coordinates = active.get();
        int colon = coordinates.lastIndexOf(':');
        String id = colon < 0 ? coordinates : coordinates.substring(0, colon);
        String version = colon < 0 ? "" : coordinates.substring(colon + 1);
        try {
            for (ModelStatus m : l.models(t.unitId())) {
                if (m.modelId().equals(id) && m.version().equals(version)) {
                    return Views.modelStatus(m);
                }
            }
        } catch (RuntimeException e) {
            return Views.object().put("status", "UNKNOWN").put("reason", e.getMessage());
        }
        return Views.object().put("status", "UNKNOWN").put("reason", "The approval gate does not list "
                + coordinates);
    }

    /**
     * The estimated trajectories: {@code states} (each state's mean and sd over batch age, from every estimate
     * seen) and {@code variables} (each predicted variable's 5/50/95 % at the predictions' issue times).
     */
    ObjectNode estimated(String unitId) {
        Track tr = tracks.get(unitId);
        ObjectNode n = Views.object();
        ObjectNode states = n.putObject("states");
        ObjectNode variables = n.putObject("variables");
        if (tr == null) {
            return n;
        }
        List<TwinState> ss;
        List<Prediction> ps;
        synchronized (tr) {
            ss = new ArrayList<>(tr.states);
            ps = new ArrayList<>(tr.predictions);
        }
        if (!ss.isEmpty()) {
            TwinState last = ss.get(ss.size() - 1);
            double[] age = new double[ss.size()];
            for (int k = 0; k < age.length; k++) {
                age[k] = ss.get(k).batchAge();
            }
            for (int i = 0; i < last.stateNames().size(); i++) {
                double[] mean = new double[ss.size()];
                double[] sd = new double[ss.size()];
                for (int k = 0; k < mean.length; k++) {
                    mean[k] = ss.get(k).mean()[i];
                    sd[k] = Math.sqrt(Math.max(0, ss.get(k).covariance()[i][i]));
                }
                ObjectNode x = states.putObject(last.stateNames().get(i)).put("unit", last.units().get(i));
                x.set("batchAge_h", Views.numbers(age));
                x.set("mean", Views.numbers(mean));
                x.set("sd", Views.numbers(sd));
            }
        }
        if (!ps.isEmpty()) {
            for (PredictionBand b : ps.get(ps.size() - 1).bands()) {
                List<double[]> rows = new ArrayList<>();
                for (Prediction p : ps) {
                    p.band(b.variable()).filter(x -> x.times().length > 0).ifPresent(x -> rows.add(new double[] {
                        x.times()[0], x.p05()[0], x.p50()[0], x.p95()[0]}));
                }
                ObjectNode x = variables.putObject(b.variable()).put("unit", b.unit());
                for (int c = 0; c < 4; c++) {
                    double[] col = new double[rows.size()];
                    for (int k = 0; k < col.length; k++) {
                        col[k] = rows.get(k)[c];
                    }
                    x.set(new String[] {"batchAge_h", "p05", "p50", "p95"}[c], Views.numbers(col));
                }
            }
        }
        return n;
    }

    Optional<BatchContext> currentBatch(String unitId) {
        BatchRecord r = batchRecord;
        if (r == null) {
            return Optional.empty();
        }
        try {
            return r.current(unitId);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------------------------------------ live

    /** Adds an event stream; it first gets the overview (and the unit's view, if it asked for one). */
    void subscribe(Subscriber s) {
        subscribers.add(s);
        scheduler.execute(() -> {
            boolean ok = s.send("units", overview().toString());
            String u = s.unit();
            if (ok && u != null) {
                ok = unit(u).map(v -> s.send("unit", v.toString())).orElse(true);
            }
            if (!ok) {
                subscribers.remove(s);
            }
        });
    }

    void unsubscribe(Subscriber s) {
        subscribers.remove(s);
    }

    int subscribers() {
        return subscribers.size();
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.warn("Web panel live update failed; retrying next period", e);
        }
    }

    private void poll() {
        boolean overviewChanged = false;
        for (Twin t : twins.twins()) {
            String u = t.unitId();
            Track tr = tracks.computeIfAbsent(u, k -> new Track());
            Optional<TwinState> s = t.state();
            if (s.isPresent() && !s.get().time().equals(tr.lastState)) {
                TwinState st = s.get();
                synchronized (tr) {
                    if (!Objects.equals(st.batchId(), tr.batch) || !st.stateNames().equals(tr.stateNames)) {
                        tr.states.clear();
                        tr.predictions.clear();
                        tr.batch = st.batchId();
                        tr.stateNames = st.stateNames();
                    }
                    tr.states.addLast(st);
                    while (tr.states.size() > settings.historySize()) {
                        tr.states.removeFirst();
                    }
                }
                tr.lastState = st.time();
                push(u, "state", Views.state(st).put("unit", u));
                overviewChanged = true;
            }
            Optional<Prediction> p = t.prediction();
            if (p.isPresent() && !p.get().issuedAt().equals(tr.lastPrediction)) {
                synchronized (tr) {
                    tr.predictions.addLast(p.get());
                    while (tr.predictions.size() > settings.historySize()) {
                        tr.predictions.removeFirst();
                    }
                }
                tr.lastPrediction = p.get().issuedAt();
                ObjectNode pn = Views.prediction(p.get()).put("unit", u);
                pn.set("estimated", estimated(u).get("variables"));
                push(u, "prediction", pn);
                overviewChanged = true;
            }
            List<String> alarms = t.alarms();
            if (alarms.size() != tr.alarms) {
                ObjectNode an = Views.object().put("unit", u);
                ArrayNode added = an.putArray("alarms");
                alarms.subList(Math.min(tr.alarms, alarms.size()), alarms.size()).forEach(added::add);
                an.put("alarmCount", alarms.size());
                tr.alarms = alarms.size();
                push(u, "alarm", an);
                overviewChanged = true;
            }
            Advisor a = advisor;
            if (a != null) {
                List<Advisory> list = a.advisories(u);
                String key = list.isEmpty() ? "" : list.get(0).id() + "/" + list.get(0).status() + "/" + list.size();
                if (!key.equals(tr.advisoryKey)) {
                    tr.advisoryKey = key;
                    ObjectNode an = Views.object().put("unit", u);
                    an.set("advisories", Views.advisories(list));
                    push(u, "advisories", an);
                    overviewChanged = true;
                }
            }
            if (!subscribers.isEmpty()) {
                ObjectNode cl = closedLoopView(u);
                String key = cl.toString();
                if (!key.equals(tr.closedLoopKey)) {
                    tr.closedLoopKey = key;
                    push(u, "closed-loop", cl);
                    overviewChanged = true;
                }
                ObjectNode g = golden(t);
                String gk = g.toString();
                if (!gk.equals(tr.goldenKey)) {
                    tr.goldenKey = gk;
                    push(u, "golden-batch", g.put("unit", u));
                }
            }
            String model = t.activeModel().orElse("");
            if (!model.equals(tr.model)) {
                tr.model = model;
                overviewChanged = true;
            }
        }
        if (overviewChanged && !subscribers.isEmpty()) {
            String json = overview().toString();
            for (Subscriber s : subscribers) {
                if (!s.send("units", json)) {
                    subscribers.remove(s);
                }
            }
        }
    }

    private void push(String unit, String event, ObjectNode data) {
        if (subscribers.isEmpty()) {
            return;
        }
        String json = data.toString();
        for (Subscriber s : subscribers) {
            if (unit.equals(s.unit()) && !s.send(event, json)) {
                subscribers.remove(s);
            }
        }
    }
}
