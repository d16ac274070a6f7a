package org.biotwin.advisory.internal;

import java.io.File;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.biotwin.api.advisory.Advisor;
import org.biotwin.api.advisory.Advisory;
import org.biotwin.api.advisory.AdvisoryStatus;
import org.biotwin.api.advisory.Decision;
import org.biotwin.api.advisory.ProposedAction;
import org.biotwin.api.advisory.WhatIfResult;
import org.biotwin.api.audit.AuditEvent;
import org.biotwin.api.audit.AuditTrail;
import org.biotwin.api.audit.ElectronicSignature;
import org.biotwin.api.audit.SignatureMeaning;
import org.biotwin.api.audit.SignatureService;
import org.biotwin.api.kinetics.FeedOptimizer;
import org.biotwin.api.kinetics.Simulator;
import org.biotwin.api.twin.PlanningBasis;
import org.biotwin.api.twin.Twin;
import org.biotwin.api.twin.TwinRegistry;
import org.jspecify.annotations.Nullable;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The {@link Advisor} of this host: advises every unit that has a twin and an advisory policy, periodically and on
 * request; runs what-if comparisons; records signed decisions in the audit trail with the batch; keeps open and
 * decided advisories in an {@link AdvisoryStore} (the bundle's data area or {@code storeDirectory}) so that they
 * survive a restart. Indirect control: nothing is written to the plant. Thread-safe.
 */
@Component(service = Advisor.class, configurationPid = AdvisorComponent.PID, property = {
    "osgi.command.scope=advisor", "osgi.command.function=review", "osgi.command.function=list",
    "osgi.command.function=store"})
@Designate(ocd = AdvisorComponent.Config.class)
public final class AdvisorComponent implements Advisor {

    static final String PID = "org.biotwin.advisory";
    private static final Logger LOG = System.getLogger(AdvisorComponent.class.getName());

    @ObjectClassDefinition(name = "BioTwin advisor", description = "How often the advisor reviews every unit.")
    @interface Config {
        @AttributeDefinition(name = "Review interval (s)", description = "Every unit with a policy is reviewed this "
                + "often; 0 reviews only on request.")
        double reviewIntervalSeconds() default 600;

        @AttributeDefinition(name = "Threads", description = "Threads for ensemble simulations.")
        int threads() default 2;

        @AttributeDefinition(name = "Store directory", description = "Directory of the advisory store "
                + "(advisories.json), so that open and decided advisories survive a restart; empty = the bundle's "
                + "data area.")
        String storeDirectory() default "";
    }

    private final TwinRegistry twins;
    private final AdvisorCore core;
    private final ExecutorService workers;
    private final ScheduledExecutorService reviews;
    private final Map<String, AdvisoryPolicy> policies = new ConcurrentHashMap<>();
    private final AdvisoryBook book;
    private final AtomicInteger seeds = new AtomicInteger();
    // Optional services, injected into volatile fields by DS as they come and go (dynamic, greedy).
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile @Nullable SignatureService signatures;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile @Nullable AuditTrail audit;

    @Activate
    public AdvisorComponent(Config config, BundleContext context, @Reference TwinRegistry twins,
            @Reference Simulator simulator, @Reference FeedOptimizer optimizer) {
        if (config.threads() < 1) {
            throw new IllegalArgumentException("Advisor: property 'threads' must be >= 1, was " + config.threads());
        }
        if (!(config.reviewIntervalSeconds() >= 0)) {
            throw new IllegalArgumentException("Advisor: property 'reviewIntervalSeconds' must be >= 0");
        }
        this.book = openBook(config, context);
        this.twins = twins;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(config.threads(), r -> {
            Thread t = new Thread(r, "biotwin-advisor-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.core = new AdvisorCore(simulator, optimizer, workers, Clock.systemUTC());
        this.reviews = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "biotwin-advisor-review");
            t.setDaemon(true);
            return t;
        });
        if (config.reviewIntervalSeconds() > 0) {
            long ms = Math.round(config.reviewIntervalSeconds() * 1000);
            reviews.scheduleWithFixedDelay(this::reviewAll, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    /** The store in the configured directory or the bundle's data area; a bad directory fails activation. */
    private static AdvisoryBook openBook(Config config, BundleContext context) {
        String dir = config.storeDirectory() == null ? "" : config.storeDirectory().trim();
        Path path;
        if (!dir.isEmpty()) {
            try {
                path = Path.of(dir);
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("Advisor: property 'storeDirectory' is not a path: " + dir, e);
            }
        } else {
            File data = context.getDataFile("advisories");
            if (data == null) {
                LOG.log(Level.WARNING, "Advisor: the framework gives this bundle no data area and 'storeDirectory' "
                        + "is not set: advisories will not survive a restart");
                return new AdvisoryBook();
            }
            path = data.toPath();
        }
        try {
            Files.createDirectories(path);
            return new AdvisoryBook(new AdvisoryStore(path, Clock.systemUTC()));
        } catch (IOException e) {
            throw new IllegalArgumentException("Advisor: advisory store directory " + path + " ('storeDirectory') "
                    + "cannot be used: " + e, e);
        }
    }

    @Deactivate
    void deactivate() {
        reviews.shutdownNow();
        workers.shutdownNow();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindPolicy(AdvisoryPolicyComponent p) {
        policies.put(p.policy().unit(), p.policy());
    }

    void unbindPolicy(AdvisoryPolicyComponent p) {
        policies.remove(p.policy().unit(), p.policy());
    }

    private void reviewAll() {
        for (String unit : policies.keySet()) {
            try {
                advise(unit);
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "Advisor: no review of {0}: {1}", unit, e.getMessage());
            }
        }
    }

    @Override
    public Optional<Advisory> advise(String unitId) {
        PlanningBasis b = basis(unitId);
        AdvisoryPolicy policy = policy(unitId);
        Optional<AdvisorCore.Candidate> c = core.advise(b, policy, seeds.incrementAndGet());
        if (c.isEmpty()) {
            return Optional.empty();
        }
        Twin twin = twins.twin(unitId).orElseThrow();
        Advisory a = new Advisory(UUID.randomUUID().toString(), unitId, b.batchId(), c.get().whatIf().computedAt(),
                twin.activeModel().orElse(b.model().descriptor().coordinates()), c.get().triggers(),
                c.get().whatIf(), AdvisoryStatus.OPEN, null);
        book.propose(a);
        record(b.batchId(), unitId, "system:advisor", "advisory.proposed", a.id() + ": " + a.triggers(), null,
                a.whatIf().action().description());
        return Optional.of(a);
    }

    @Override
    public WhatIfResult whatIf(String unitId, ProposedAction action) {
        return core.whatIf(basis(unitId), policy(unitId), action, seeds.incrementAndGet());
    }

    @Override
    public List<Advisory> advisories(String unitId) {
        return book.advisories(unitId);
    }

    @Override
    public Optional<Advisory> advisory(String advisoryId) {
        return book.advisory(advisoryId);
    }

    @Override
    public Advisory decide(String advisoryId, boolean accept, String userId, char[] password, String reason) {
        Advisory a = advisory(advisoryId)
                .orElseThrow(() -> new IllegalArgumentException("No advisory " + advisoryId));
        if (a.status() != AdvisoryStatus.OPEN) {
            throw new IllegalStateException("Advisory " + advisoryId + " is " + a.status() + ", not OPEN");
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("A decision on an advisory needs a reason");
        }
        SignatureService s = signatures;
        if (s == null) {
            throw new IllegalStateException("No signature service: decisions cannot be signed on this host");
        }
        ElectronicSignature sig = s.sign(userId, password,
                accept ? SignatureMeaning.ACCEPTED_ADVICE : SignatureMeaning.REJECTED_ADVICE, "advisory", a.id(),
                hash(a), reason);
        Decision d = new Decision(sig.userId(), sig.printedName(), sig.signedAt(), accept, reason, sig.signatureId());
        Advisory decided = book.decide(a.id(),
                x -> x.with(accept ? AdvisoryStatus.ACCEPTED : AdvisoryStatus.REJECTED, d));
        record(a.batchId(), a.unitId(), userId, accept ? "advisory.accepted" : "advisory.rejected", reason, "OPEN",
                decided.status() + ": " + a.whatIf().action().description() + " (signature " + sig.signatureId()
                        + ")");
        return decided;
    }

    /** Gogo: {@code advisor:review <unit>}. */
    public String review(String unit) {
        return advise(unit).map(AdvisorComponent::format).orElse("No advice for " + unit + ": on target");
    }

    /** Gogo: {@code advisor:list <unit>}. */
    public String list(String unit) {
        StringBuilder sb = new StringBuilder();
        advisories(unit).forEach(a -> sb.append(format(a)).append('\n'));
        return sb.length() == 0 ? "No advisories for " + unit : sb.toString();
    }

    /** Gogo: {@code advisor:store}: where advisories are kept and any damage found. */
    public String store() {
        return book.storeStatus();
    }

    static String format(Advisory a) {
        WhatIfResult w = a.whatIf();
        return String.format("%s %s %s%n  why: %s%n  action: %s%n  gain: %.4g %s [%.4g, %.4g]%s", a.id(), a.unitId(),
                a.status(), a.triggers(), w.action().description(), w.gainP50(), w.baseline().objectiveUnit(),
                w.gainP05(), w.gainP95(), Double.isNaN(w.value()) ? "" : String.format(", value %.0f %s", w.value(),
                        w.currency()));
    }

    private PlanningBasis basis(String unitId) {
        Twin twin = twins.twin(unitId)
                .orElseThrow(() -> new IllegalArgumentException("No twin for unit " + unitId));
        return twin.planningBasis()
                .orElseThrow(() -> new IllegalArgumentException("Twin " + unitId + " has no estimate yet"));
    }

    private AdvisoryPolicy policy(String unitId) {
        AdvisoryPolicy p = policies.get(unitId);
        if (p == null) {
            throw new IllegalArgumentException("No advisory policy for unit " + unitId + " (factory PID "
                    + AdvisoryPolicy.PID + ")");
        }
        return p;
    }

    private void record(@Nullable String batchId, String unit, String actor, String action, String reason,
            @Nullable String oldValue, @Nullable String newValue) {
        AuditTrail t = audit;
        if (t == null) {
            return;
        }
        t.append(new AuditEvent(actor, action, batchId != null ? "batch" : "unit", batchId != null ? batchId : unit,
                reason, oldValue, newValue));
    }

    /** SHA-256 of what the operator decides on: the advisory's identity, trigger and action. */
    static String hash(Advisory a) {
        String canonical = a.id() + '\n' + a.unitId() + '\n' + a.batchId() + '\n' + a.createdAt() + '\n' + a.model()
                + '\n' + a.triggers() + '\n' + a.whatIf().action().description() + '\n' + a.whatIf().gainP50();
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
