package org.biotwin.lifecycle.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.biotwin.api.audit.AuditEntry;
import org.biotwin.api.audit.AuditEvent;
import org.biotwin.api.audit.AuditTrail;
import org.biotwin.api.audit.ElectronicSignature;
import org.biotwin.api.audit.SignatureMeaning;
import org.biotwin.api.audit.SignatureService;
import org.biotwin.api.lifecycle.GateStatus;
import org.biotwin.api.lifecycle.ModelLifecycle;
import org.biotwin.api.lifecycle.ModelStatus;
import org.biotwin.api.lifecycle.SwapRecord;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.ModelParameter;
import org.biotwin.api.twin.Twin;
import org.jspecify.annotations.Nullable;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.FindHook;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The approval gate and the {@link ModelLifecycle} service.
 * <p>
 * <b>Gate.</b> Tracks every {@link KineticModel} service of another bundle. For each it computes the bundle's content
 * digest, reads the embedded evidence and asks {@link GateEvaluator}. An approved model is offered to twins as a
 * second registration of the same service object by this bundle, with {@code biotwin.model.approved=true} and
 * {@code biotwin.model.digest}; hosts set the twins' {@code model.target} to {@code (biotwin.model.approved=true)}
 * so that twins bind nothing else. A refused model is quarantined: listed with its reason, never offered, and the
 * refusal audited ({@code model.quarantine}). Re-evaluated when a signature is applied through this service, when the
 * configuration changes, and every {@code recheckMinutes}. Removing a model bundle withdraws its offer at once
 * (synchronously in the service event), so twins fall back before the bundle's classes go away.
 * <p>
 * <b>Activation.</b> Signed ({@code ACTIVATED_MODEL}) and audited on record {@code model-activation}/{@code unit}
 * before the twin switches; the audit trail is also the store from which the choice is restored after a restart.
 * <p>
 * The signature service and audit trail are optional dynamic references, so that re-configuring the batch record
 * (which re-creates those services) never withdraws approved models from running twins; while one is missing, the
 * gate keeps its verdicts and refuses approvals and activations with a clear message. Thread-safe: gate state is
 * guarded by {@code this}; twins are called outside that lock.
 */
@Component(service = ModelLifecycle.class, configurationPid = LifecycleComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = GateConfig.class)
public final class LifecycleComponent implements ModelLifecycle {

    /** Configuration PID of the gate's trust configuration. */
    public static final String PID = "org.biotwin.lifecycle.gate";
    static final String ACTOR = "system:lifecycle";
    private static final Logger LOG = System.getLogger(LifecycleComponent.class.getName());

    /** One tracked model service and the gate's view of it. */
    private static final class Entry {
        final ServiceReference<KineticModel> ref;
        final KineticModel model;
        final Candidate candidate;
        Verdict verdict;
        @Nullable ServiceRegistration<KineticModel> offer;
        @Nullable String audited; // last audited status+reason, to audit changes only

        Entry(ServiceReference<KineticModel> ref, KineticModel model, Candidate candidate, Verdict verdict) {
            this.ref = ref;
            this.model = model;
            this.candidate = candidate;
            this.verdict = verdict;
        }
    }

    /** A twin and the model id it runs (from its service properties). */
    private record TwinRef(Twin twin, String unit, String modelId, long serviceId) {
    }

    private final BundleContext context;
    private final Clock clock = Clock.systemUTC();
    private final Map<ServiceReference<KineticModel>, Entry> entries = new LinkedHashMap<>(); // guarded by this
    private final Map<String, TwinRef> twins = new ConcurrentHashMap<>();
    private final Set<Long> restored = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService worker;
    private final ServiceTracker<KineticModel, Entry> tracker;
    private final ServiceRegistration<?> guard;
    private volatile GatePolicy policy;
    private volatile @Nullable SignatureService signatures;
    private volatile @Nullable AuditTrail trail;
    private volatile boolean closing;

    @Activate
    public LifecycleComponent(BundleContext context, GateConfig config) {
        this.context = context;
        this.policy = policy(config);
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "biotwin-lifecycle");
            t.setDaemon(true);
            return t;
        });
        // Before tracking: self-approved model services are hidden from twins from now on.
        this.guard = context.registerService(new String[] {FindHook.class.getName(),
            EventListenerHook.class.getName()}, new SpoofGuard(context.getBundle().getBundleId()), null);
        this.tracker = new ServiceTracker<>(context, KineticModel.class, null) {
            @Override
            public @Nullable Entry addingService(ServiceReference<KineticModel> ref) {
                return track(ref);
            }

            @Override
            public void modifiedService(ServiceReference<KineticModel> ref, Entry e) {
                reevaluate(List.of(e));
            }

            @Override
            public void removedService(ServiceReference<KineticModel> ref, Entry e) {
                untrack(e);
                context.ungetService(ref);
            }
        };
        tracker.open();
        long period = policy.recheckMinutes();
        worker.scheduleWithFixedDelay(this::reevaluateAll, period, period, TimeUnit.MINUTES);
        LOG.log(Level.INFO, "Model approval gate active; trusted approvers {0}", policy.trustedApprovers());
    }

    private static GatePolicy policy(GateConfig c) {
        try {
            return GatePolicy.from(c.trustedApprovers(), c.autoActivate(), c.parameterTolerance(),
                    c.recheckMinutes());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Configuration " + PID + ": " + e.getMessage(), e);
        }
    }

    @Modified
    void modified(GateConfig config) {
        GatePolicy p = policy(config); // fails fast; the previous policy then stays in force
        policy = p;
        audit(new AuditEvent(ACTOR, "model.gate-policy", "configuration", PID, "trust configuration changed", null,
                "trustedApprovers=" + p.trustedApprovers() + " autoActivate=" + p.autoActivate()));
        worker.execute(this::reevaluateAll);
    }

    @Deactivate
    void deactivate() {
        closing = true;
        worker.shutdownNow();
        tracker.close(); // withdraws every offer
        try {
            guard.unregister();
        } catch (IllegalStateException gone) {
            // unregistered as the bundle stops
        }
    }

    // ------------------------------------------------------------------------------------------------ references

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSignatures(SignatureService s) {
        signatures = s;
        worker.execute(this::reevaluateAll);
    }

    void unbindSignatures(SignatureService s) {
        if (signatures == s) {
            signatures = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTrail(AuditTrail t) {
        trail = t;
        worker.execute(this::reevaluateAll);
    }

    void unbindTrail(AuditTrail t) {
        if (trail == t) {
            trail = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTwin(Twin twin, Map<String, Object> props) {
        Object modelId = props.get("modelId");
        long sid = ((Number) props.get(Constants.SERVICE_ID)).longValue();
        twins.put(twin.unitId(), new TwinRef(twin, twin.unitId(), modelId == null ? "" : modelId.toString(), sid));
        worker.execute(this::reconcile);
    }

    void unbindTwin(Twin twin, Map<String, Object> props) {
        twins.remove(twin.unitId(), twins.get(twin.unitId()));
    }

    // ------------------------------------------------------------------------------------------------ gate

    private @Nullable Entry track(ServiceReference<KineticModel> ref) {
        Bundle b = ref.getBundle();
        if (b == null || b.getBundleId() == context.getBundle().getBundleId()) {
            return null; // our own offers, or already gone
        }
        KineticModel model = context.getService(ref);
        if (model == null) {
            return null;
        }
        try {
            Candidate c = candidate(ref, b, model);
            Entry e = new Entry(ref, model, c, new Verdict(GateStatus.QUARANTINED, "not evaluated yet", null,
                    List.of(), clock.instant()));
            synchronized (this) {
                entries.put(ref, e);
                decide(e);
            }
            worker.execute(this::reconcile);
            return e;
        } catch (RuntimeException ex) {
            LOG.log(Level.ERROR, "Model gate: cannot evaluate the model service of bundle " + b.getSymbolicName()
                    + " " + b.getVersion() + ": " + ex.getMessage(), ex);
            context.ungetService(ref);
            return null;
        }
    }

    private void untrack(Entry e) {
        List<String> affected = new ArrayList<>();
        synchronized (this) {
            entries.remove(e.ref);
            if (e.offer != null) {
                withdraw(e);
                for (TwinRef t : twins.values()) {
                    if (t.modelId().equals(e.candidate.modelId())) {
                        affected.add(t.unit());
                    }
                }
            }
        }
        if (!affected.isEmpty() && !shuttingDown()) {
            String removed = e.candidate.coordinates();
            worker.execute(() -> recordFallbacks(affected, removed));
        }
    }

    /**
     * Whether the framework or this component is stopping: offers then go away because everything stops, which is
     * no fallback to record (the restart restores the recorded activation).
     */
    private boolean shuttingDown() {
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        return closing || system == null || system.getState() == Bundle.STOPPING
                || context.getBundle().getState() == Bundle.STOPPING;
    }

    private static Candidate candidate(ServiceReference<KineticModel> ref, Bundle b, KineticModel m) {
        String id = Objects.toString(ref.getProperty(KineticModel.MODEL_ID), m.descriptor().id());
        String version = Objects.toString(ref.getProperty(KineticModel.MODEL_VERSION), m.descriptor().version());
        Map<String, Double> nominal = new LinkedHashMap<>();
        double[] p = m.nominalParameters();
        int i = 0;
        for (ModelParameter mp : m.parameters()) {
            nominal.put(mp.name(), p[i++]);
        }
        return new Candidate(id, version, b.getBundleId(), b.getSymbolicName(), ContentDigest.of(b),
                ContentDigest.ofClasses(b), entry(b, EVIDENCE_PATH), entry(b, REPORT_PATH), nominal,
                ref.getProperty(APPROVED) != null);
    }

    private static byte @Nullable [] entry(Bundle b, String path) {
        URL u = b.getEntry(path);
        if (u == null) {
            return null;
        }
        try (InputStream in = u.openStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    /** Evaluates one entry and offers or withdraws it. Caller holds {@code this}. */
    private void decide(Entry e) {
        SignatureService s = signatures;
        if (s == null) {
            if (e.verdict.reason() != null && e.verdict.reason().equals("not evaluated yet")) {
                e.verdict = new Verdict(GateStatus.QUARANTINED, "signature service unavailable: approvals cannot"
                        + " be checked", null, List.of(), clock.instant());
            }
            return; // keep the last verdict
        }
        Verdict v = new GateEvaluator(s, policy, clock).evaluate(e.candidate);
        String key = v.status() + ":" + v.reason();
        if (!key.equals(e.audited)) {
            Candidate c = e.candidate;
            String detail = "bundle " + c.bundleId() + " " + c.symbolicName() + " sha256=" + c.digest();
            boolean recorded = v.approved()
                    ? audit(new AuditEvent(ACTOR, "model.release", MODEL_RECORD, c.coordinates(),
                            "validation evidence and QA approvals verified", null, detail))
                    : audit(new AuditEvent(ACTOR, "model.quarantine", MODEL_RECORD, c.coordinates(), v.reason(),
                            null, detail));
            if (!recorded && v.approved()) {
                v = new Verdict(GateStatus.QUARANTINED, "the audit trail cannot record the release", v.evidence(),
                        v.approvals(), v.at());
            } else {
                e.audited = key;
            }
            LOG.log(v.approved() ? Level.INFO : Level.WARNING, "Model gate: {0} {1}{2}", c.coordinates(),
                    v.status(), v.reason() == null ? "" : ": " + v.reason());
        }
        e.verdict = v;
        if (v.approved() && e.offer == null) {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put(KineticModel.MODEL_ID, e.candidate.modelId());
            props.put(KineticModel.MODEL_VERSION, e.candidate.version());
            props.put(APPROVED, Boolean.TRUE);
            props.put(DIGEST, e.candidate.digest());
            props.put("biotwin.model.bundle", e.candidate.bundleId());
            e.offer = context.registerService(KineticModel.class, e.model, props);
        } else if (!v.approved() && e.offer != null) {
            withdraw(e);
        }
    }

    private static void withdraw(Entry e) {
        try {
            Objects.requireNonNull(e.offer).unregister();
        } catch (IllegalStateException gone) {
            // already unregistered as this bundle stops
        }
        e.offer = null;
    }

    private void reevaluate(List<Entry> list) {
        synchronized (this) {
            for (Entry e : list) {
                if (entries.containsKey(e.ref)) {
                    decide(e);
                }
            }
        }
        reconcile();
    }

    private void reevaluateAll() {
        List<Entry> all;
        synchronized (this) {
            all = new ArrayList<>(entries.values());
        }
        reevaluate(all);
    }

    // ------------------------------------------------------------------------------------------------ twins

    /**
     * Restores each twin's recorded activation once per twin instance (host restart), and applies the automatic
     * activation policy. Runs on the worker thread, outside the gate lock.
     */
    private void reconcile() {
        if (shuttingDown() || trail == null) {
            return; // nothing is changed that cannot be recorded first
        }
        for (TwinRef t : twins.values()) {
            try {
                List<String> available = t.twin().availableModelVersions();
                Optional<String> active = t.twin().activeModel();
                if (!restored.contains(t.serviceId())) {
                    List<SwapRecord> h = history(t.unit());
                    if (h.isEmpty()) {
                        restored.add(t.serviceId());
                    } else {
                        SwapRecord last = h.get(h.size() - 1);
                        String version = versionOf(last.to());
                        if (active.isPresent() && active.get().equals(last.to())) {
                            restored.add(t.serviceId());
                        } else if (available.contains(version)) {
                            // recorded first: if the trail cannot record, the twin keeps its model
                            record(t.unit(), "model.restore", ACTOR, "restored the recorded activation (sequence "
                                    + last.auditSequence() + ") after a restart", active.orElse("none"), last.to(),
                                    last.digest());
                            t.twin().activateModel(version);
                            restored.add(t.serviceId());
                        }
                    }
                }
                if (policy.autoActivateHighest() && !available.isEmpty()) {
                    String highest = available.stream().max(SemVer.ORDER).orElseThrow();
                    String coords = t.modelId() + ":" + highest;
                    if (active.isEmpty() || !active.get().equals(coords)) {
                        record(t.unit(), "model.auto-activate", ACTOR, "policy autoActivate=HIGHEST_APPROVED",
                                active.orElse("none"), coords, digestOf(t.modelId(), highest));
                        t.twin().activateModel(highest);
                    }
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Model lifecycle: reconciling twin " + t.unit() + " failed: " + e.getMessage(),
                        e);
            }
        }
    }

    private void recordFallbacks(List<String> units, String removed) {
        if (shuttingDown()) {
            return;
        }
        for (String unit : units) {
            TwinRef t = twins.get(unit);
            if (t == null) {
                continue;
            }
            List<SwapRecord> h = history(unit);
            boolean wasActive = !h.isEmpty() && h.get(h.size() - 1).to().equals(removed);
            String now = t.twin().activeModel().orElse("none");
            if (wasActive && !now.equals(removed)) {
                record(unit, "model.fallback", "system:engine", "active model bundle " + removed + " was removed",
                        removed, now, now.equals("none") ? "none" : digestOf(t.modelId(), versionOf(now)));
            }
        }
    }

    private synchronized String digestOf(String modelId, String version) {
        for (Entry e : entries.values()) {
            if (e.offer != null && e.candidate.modelId().equals(modelId) && e.candidate.version().equals(version)) {
                return e.candidate.digest();
            }
        }
        return "unknown";
    }

    private static String versionOf(String coordinates) {
        int i = coordinates.lastIndexOf(':');
        return i < 0 ? coordinates : coordinates.substring(i + 1);
    }

    private TwinRef twin(String unit) {
        TwinRef t = twins.get(unit);
        if (t == null) {
            throw new IllegalArgumentException("No twin of unit '" + unit + "'; twins: " + new java.util.TreeSet<>(
                    twins.keySet()));
        }
        return t;
    }

    // ------------------------------------------------------------------------------------------------ API

    @Override
    public synchronized List<ModelStatus> models() {
        List<ModelStatus> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            out.add(status(e));
        }
        out.sort(Comparator.comparing(ModelStatus::modelId).thenComparing(ModelStatus::version, SemVer.ORDER)
                .thenComparingLong(ModelStatus::bundleId));
        return out;
    }

    @Override
    public List<ModelStatus> models(String unitId) {
        String id = twin(unitId).modelId();
        return models().stream().filter(m -> m.modelId().equals(id)).toList();
    }

    private static ModelStatus status(Entry e) {
        Candidate c = e.candidate;
        Verdict v = e.verdict;
        return new ModelStatus(c.modelId(), c.version(), c.bundleId(), c.symbolicName(), c.digest(), v.status(),
                v.reason(), v.evidence() == null ? null : v.evidence().verdict(),
                v.evidence() == null ? null : v.evidence().validUntil(), v.approvals(), v.at());
    }

    @Override
    public synchronized Optional<String> report(String modelId, String version) {
        for (Entry e : entries.values()) {
            if (e.candidate.modelId().equals(modelId) && e.candidate.version().equals(version)
                    && e.candidate.report() != null) {
                return Optional.of(new String(e.candidate.report(), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    @Override
    public ModelStatus approve(String modelId, String version, SignatureMeaning meaning, String userId,
            char[] password, String reason) {
        try {
            if (meaning != SignatureMeaning.REVIEWED && meaning != SignatureMeaning.APPROVED) {
                throw new IllegalArgumentException("A model is approved with meaning REVIEWED or APPROVED, not "
                        + meaning);
            }
            Entry e = installed(modelId, version);
            SignatureService s = requireSignatures();
            s.sign(userId, password, meaning, MODEL_RECORD, e.candidate.coordinates(), e.candidate.digest(),
                    reason);
            reevaluate(List.of(e));
            synchronized (this) {
                return status(e);
            }
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private synchronized Entry installed(String modelId, String version) {
        List<Entry> found = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (e.candidate.modelId().equals(modelId) && e.candidate.version().equals(version)) {
                found.add(e);
            }
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("No installed model bundle provides " + modelId + ":" + version
                    + "; installed: " + entries.values().stream().map(x -> x.candidate.coordinates()).toList());
        }
        Set<String> digests = new HashSet<>();
        found.forEach(x -> digests.add(x.candidate.digest()));
        if (digests.size() > 1) {
            throw new IllegalArgumentException("Bundles " + found.stream().map(x -> x.candidate.bundleId()).toList()
                    + " all provide " + modelId + ":" + version + " with different content " + digests
                    + "; uninstall all but one before approving");
        }
        return found.get(0);
    }

    private SignatureService requireSignatures() {
        SignatureService s = signatures;
        if (s == null) {
            throw new IllegalStateException("The signature service is unavailable (bundle org.biotwin.ebr not"
                    + " running); nothing was signed");
        }
        return s;
    }

    @Override
    public SwapRecord activate(String unitId, String version, String userId, char[] password, String reason) {
        try {
            return change(unitId, version, userId, password, reason, "model.activate");
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    @Override
    public SwapRecord rollback(String unitId, String userId, char[] password, String reason) {
        try {
            List<SwapRecord> h = history(unitId);
            if (h.isEmpty() || h.get(h.size() - 1).from().equals("none")) {
                throw new IllegalArgumentException("Unit " + unitId + " has no earlier model version to roll back"
                        + " to in its swap history");
            }
            String previous = h.get(h.size() - 1).from();
            return change(unitId, versionOf(previous), userId, password, reason, "model.rollback");
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private SwapRecord change(String unitId, String version, String userId, char[] password, String reason,
            String action) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("A model activation needs a reason");
        }
        TwinRef t = twin(unitId);
        String coords = t.modelId() + ":" + version;
        String digest;
        synchronized (this) {
            Entry approved = null;
            for (Entry e : entries.values()) {
                if (e.candidate.modelId().equals(t.modelId()) && e.candidate.version().equals(version)) {
                    if (e.offer != null) {
                        approved = e;
                    } else if (approved == null) {
                        throw new IllegalArgumentException("Model " + coords + " is quarantined: "
                                + e.verdict.reason());
                    }
                }
            }
            if (approved == null) {
                throw new IllegalArgumentException("Model " + coords + " is not installed; approved versions: "
                        + t.twin().availableModelVersions());
            }
            digest = approved.candidate.digest();
        }
        if (!t.twin().availableModelVersions().contains(version)) {
            throw new IllegalArgumentException("Twin " + unitId + " has not bound " + coords + " (available "
                    + t.twin().availableModelVersions() + "); is its model.target (biotwin.model.approved=true)?");
        }
        String from = t.twin().activeModel().orElse("none");
        if (from.equals(coords)) {
            throw new IllegalArgumentException("Unit " + unitId + " already runs " + coords);
        }
        AuditTrail a = trail;
        if (a == null) {
            throw new IllegalStateException("The audit trail is unavailable; the activation was not made");
        }
        String recordHash = ContentDigest.sha256Hex((unitId + "\n" + from + "\n" + coords + "\n" + digest)
                .getBytes(StandardCharsets.UTF_8));
        ElectronicSignature sig = requireSignatures().sign(userId, password, SignatureMeaning.ACTIVATED_MODEL,
                ACTIVATION_RECORD, unitId, recordHash, reason);
        // Recorded before the switch: if the trail cannot record, the twin keeps its model.
        SwapRecord r = record(unitId, action, userId, reason + " [signature " + sig.signatureId() + "]", from, coords,
                digest);
        try {
            t.twin().activateModel(version);
        } catch (IllegalArgumentException e) {
            record(unitId, "model.activate-failed", ACTOR, e.getMessage(), coords, from, "none");
            throw e;
        }
        LOG.log(Level.INFO, "Unit {0}: {1} -> {2} by {3} ({4})", unitId, from, coords, userId, action);
        return r;
    }

    private SwapRecord record(String unit, String action, String actor, String reason, String from, String to,
            String digest) {
        AuditTrail a = trail;
        if (a == null) {
            throw new IllegalStateException("The audit trail is unavailable");
        }
        AuditEntry e = a.append(new AuditEvent(actor, action, ACTIVATION_RECORD, unit, reason, from, to + " sha256="
                + digest));
        return swap(e);
    }

    private static @Nullable SwapRecord swapOrNull(AuditEntry e) {
        String action = e.event().action();
        if (!action.startsWith("model.") || action.equals("model.activate-failed") || e.event().newValue() == null) {
            return null;
        }
        return swap(e);
    }

    private static SwapRecord swap(AuditEntry e) {
        String nv = Objects.requireNonNull(e.event().newValue());
        int i = nv.indexOf(" sha256=");
        String to = i < 0 ? nv : nv.substring(0, i);
        String digest = i < 0 ? "unknown" : nv.substring(i + 8);
        return new SwapRecord(e.event().recordId(), e.event().action().substring("model.".length()),
                Objects.toString(e.event().oldValue(), "none"), to, digest, e.event().actor(), e.event().reason(),
                e.timestamp(), e.sequence());
    }

    @Override
    public List<SwapRecord> history(String unitId) {
        AuditTrail a = trail;
        if (a == null) {
            throw new IllegalStateException("The audit trail is unavailable");
        }
        List<SwapRecord> out = new ArrayList<>();
        for (AuditEntry e : a.entriesFor(ACTIVATION_RECORD, unitId)) {
            SwapRecord r = swapOrNull(e);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    private boolean audit(AuditEvent event) {
        AuditTrail a = trail;
        if (a == null) {
            LOG.log(Level.ERROR, "Model gate: no audit trail to record {0} {1}", event.action(), event.recordId());
            return false;
        }
        try {
            a.append(event);
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Model gate: the audit trail refused " + event.action() + ": " + e.getMessage(), e);
            return false;
        }
    }
}
