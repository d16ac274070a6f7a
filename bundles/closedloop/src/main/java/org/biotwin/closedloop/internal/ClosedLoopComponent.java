package org.biotwin.closedloop.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.biotwin.api.advisory.Advisor;
import org.biotwin.api.advisory.Advisory;
import org.biotwin.api.advisory.ClosedLoop;
import org.biotwin.api.advisory.ClosedLoopStatus;
import org.biotwin.api.advisory.SetpointWrite;
import org.biotwin.api.audit.AuditEvent;
import org.biotwin.api.audit.AuditTrail;
import org.biotwin.api.audit.ElectronicSignature;
import org.biotwin.api.audit.SignatureMeaning;
import org.biotwin.api.audit.SignatureService;
import org.biotwin.api.messaging.PlantWriter;
import org.biotwin.api.model.InputProfile;
import org.biotwin.api.model.ModelInput;
import org.biotwin.api.twin.PlanningBasis;
import org.biotwin.api.twin.Twin;
import org.biotwin.api.twin.TwinRegistry;
import org.biotwin.api.twin.TwinState;
import org.jspecify.annotations.Nullable;
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
 * The {@link ClosedLoop} of this host. Every tick it follows each enabled unit's twin: at the twin's batch age it
 * writes the value of the accepted advisory's profile when that value changes, after checking it against the unit's
 * limits, and audits the write with the batch. It needs the audit trail, the signature service, the plant writer,
 * the twins and the advisor; when any of them goes away the component deactivates and every loop is off (and stays
 * off when it comes back: enabling again takes a new signature). Without a plant writer, writes are refused. Thread-safe.
 */
@Component(service = ClosedLoop.class, configurationPid = ClosedLoopComponent.PID, immediate = true,
        property = {"osgi.command.scope=closedloop", "osgi.command.function=list"})
@Designate(ocd = ClosedLoopComponent.Config.class)
public final class ClosedLoopComponent implements ClosedLoop {

    static final String PID = "org.biotwin.closedloop";
    static final String ACTOR = "system:closedloop";
    private static final Logger LOG = System.getLogger(ClosedLoopComponent.class.getName());

    @ObjectClassDefinition(name = "BioTwin closed loop",
            description = "How often enabled closed loops follow their twins. Which units may be switched to closed "
                    + "loop, and within which limits, is set per unit (org.biotwin.closedloop.unit).")
    @interface Config {
        @AttributeDefinition(name = "Tick (ms)", description = "How often each enabled loop compares the accepted "
                + "profile at the twin's batch age with the value last written (50-60000).", min = "50",
                max = "60000")
        long tickMillis() default 1000;

        @AttributeDefinition(name = "Plant writer target", description = "LDAP filter selecting the MQTT "
                + "connection that reaches the plant when the host has several, e.g. (name=plant).")
        String plantWriter_target() default "(objectClass=org.biotwin.api.messaging.PlantWriter)";
    }

    private final TwinRegistry twins;
    private final Advisor advisor;
    private final SignatureService signatures;
    private final AuditTrail audit;
    private final Clock clock;
    private final ScheduledExecutorService ticks;
    private final Map<String, Loop> enabled = new ConcurrentHashMap<>();
    private final Map<String, ClosedLoopStatus> lastOff = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<UnitLimitsComponent> unitLimits = List.of();
    // Optional so that a host without a plant connection still offers status and switch-off; writes are then refused.
    @Reference(name = "plantWriter", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile @Nullable PlantWriter plant;

    @Activate
    public ClosedLoopComponent(Config config, @Reference TwinRegistry twins, @Reference Advisor advisor,
            @Reference SignatureService signatures, @Reference AuditTrail audit) {
        this(config.tickMillis(), twins, advisor, signatures, audit, Clock.systemUTC());
    }

    ClosedLoopComponent(long tickMillis, TwinRegistry twins, Advisor advisor, SignatureService signatures,
            AuditTrail audit, Clock clock) {
        if (tickMillis < 50 || tickMillis > 60_000) {
            throw new IllegalArgumentException("Closed loop: property 'tickMillis' must be within 50..60000, was "
                    + tickMillis);
        }
        this.twins = twins;
        this.advisor = advisor;
        this.signatures = signatures;
        this.audit = audit;
        this.clock = clock;
        this.ticks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "biotwin-closedloop");
            t.setDaemon(true);
            return t;
        });
        ticks.scheduleWithFixedDelay(this::tickAll, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        ticks.shutdownNow();
        for (String unit : List.copyOf(enabled.keySet())) {
            try {
                switchOff(unit, ACTOR, "closed loop component stopped (a service it needs went away, or the "
                        + "host stops); enabling it again takes a new signature");
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "Closed loop of " + unit + " is off, but the switch-off could not be audited", e);
            }
        }
    }

    @Override
    public ClosedLoopStatus status(String unitId) {
        UnitLimitsComponent l = limitsOf(unitId);
        Loop loop = enabled.get(unitId);
        if (loop != null) {
            synchronized (loop) {
                return loop.status();
            }
        }
        ClosedLoopStatus off = lastOff.get(unitId);
        return new ClosedLoopStatus(unitId, false, null, null, null, null, List.of(l.limit()), null,
                off == null ? List.of() : off.writes(), off == null ? null : off.lastRefusal());
    }

    @Override
    public ClosedLoopStatus enable(String unitId, String userId, char[] password, String reason) {
        UnitLimitsComponent l = limitsOf(unitId);
        requireReason(reason);
        if (plant == null) {
            throw new IllegalStateException("Closed loop of " + unitId + " cannot be enabled: this host has no plant "
                    + "connection (PlantWriter service) to write setpoints to");
        }
        // Each enablement is its own signed act, bound to the limits it enables and to when it was asked for.
        ElectronicSignature sig = signatures.sign(userId, password, SignatureMeaning.ENABLED_CLOSED_LOOP,
                "closedloop", unitId, sha256(l.signedContent() + "|requested " + clock.instant()), reason);
        Loop loop = new Loop(l, sig.userId(), sig.printedName(), sig.signedAt(), sig.signatureId());
        Loop before = enabled.put(unitId, loop);
        audit.append(new AuditEvent(sig.userId(), "closedloop.enable", "closedloop", unitId, reason,
                before == null ? "off" : "on (signature " + before.signatureId + ")",
                "on: " + describe(l) + " (signature " + sig.signatureId() + ")"));
        LOG.log(Level.INFO, "Closed loop of " + unitId + " enabled by " + sig.userId() + ": " + describe(l));
        return status(unitId);
    }

    @Override
    public ClosedLoopStatus disable(String unitId, String userId, String reason) {
        limitsOf(unitId);
        requireReason(reason);
        if (userId == null || userId.isBlank()) {
            throw new IllegalArgumentException("Switching closed loop off needs the id of the person");
        }
        switchOff(unitId, userId, reason);
        return status(unitId);
    }

    /** Gogo: {@code closedloop:list [unit...]}. */
    public String list(String... units) {
        StringBuilder sb = new StringBuilder();
        List<String> list = units.length > 0 ? List.of(units)
                : unitLimits.stream().map(UnitLimitsComponent::unit).sorted().toList();
        for (String u : list) {
            ClosedLoopStatus s = status(u);
            sb.append(u).append(s.enabled() ? " ON  by " + s.enabledBy() + " since " + s.enabledAt() : " off")
                    .append("  limits ").append(s.limits()).append("  executing ").append(s.executing())
                    .append("  writes ").append(s.writes().size())
                    .append(s.lastRefusal() == null ? "" : "  last refusal: " + s.lastRefusal()).append('\n');
        }
        return sb.toString();
    }

    private void switchOff(String unitId, String actor, String reason) {
        Loop loop = enabled.get(unitId);
        if (loop == null) {
            return;
        }
        // The monitor waits for a write in progress; once it is released nothing more is written.
        synchronized (loop) {
            if (!enabled.remove(unitId, loop)) {
                return;
            }
            lastOff.put(unitId, loop.status());
        }
        audit.append(new AuditEvent(actor, "closedloop.disable", "closedloop", unitId, reason,
                "on (signature " + loop.signatureId + ")", "off"));
        LOG.log(Level.INFO, "Closed loop of " + unitId + " switched off by " + actor + ": " + reason);
    }

    private void tickAll() {
        for (Loop loop : List.copyOf(enabled.values())) {
            try {
                tick(loop);
            } catch (RuntimeException e) {
                // A loop that cannot follow its twin or cannot audit stops writing: a person takes over.
                LOG.log(Level.ERROR, "Closed loop of " + loop.limits.unit() + " failed; switching it off", e);
                try {
                    switchOff(loop.limits.unit(), ACTOR, "closed loop failed: " + e);
                } catch (RuntimeException again) {
                    enabled.remove(loop.limits.unit(), loop);
                    LOG.log(Level.ERROR, "Closed loop of " + loop.limits.unit() + " is off, unaudited", again);
                }
            }
        }
    }

    /** Package-private for the tests: one tick of one unit. */
    void tick(String unitId) {
        Loop loop = enabled.get(unitId);
        if (loop != null) {
            tick(loop);
        }
    }

    private void tick(Loop loop) {
        String unit = loop.limits.unit();
        if (!unitLimits.contains(loop.limits)) {
            switchOff(unit, ACTOR, "the closed-loop limits of " + unit + " changed or were removed; enabling it again "
                    + "takes a new signature bound to the new limits");
            return;
        }
        Optional<Twin> twin = twins.twin(unit);
        Optional<TwinState> state = twin.flatMap(Twin::state);
        if (state.isEmpty()) {
            return;
        }
        TwinState s = state.get();
        List<Advisory> advisories = advisor.advisories(unit);
        double planned = twin.flatMap(Twin::planningBasis).map(b -> planned(b, loop.limits.limit().input(),
                s.batchAge())).orElse(Double.NaN);
        synchronized (loop) {
            if (enabled.get(unit) != loop) {
                return; // switched off meanwhile
            }
            Advisory next = loop.select(advisories, s.batchId());
            if (loop.switchTo(next)) {
                record(s, "closedloop.execute", "advisory " + next.id() + " accepted by "
                        + next.decision().userId() + " (signature " + next.decision().signatureId() + ")", null,
                        next.whatIf().action().description());
            }
            Loop.Step step = loop.due(s.batchAge(), planned);
            if (step == null) {
                return;
            }
            String input = loop.limits.limit().input();
            if (step.violation() != null) {
                refuse(loop, s, step, "refused by the limits: " + step.violation());
                return;
            }
            byte[] payload = payload(unit, input, step, clock.instant());
            PlantWriter writer = plant;
            if (writer == null) {
                refuse(loop, s, step, "found no plant connection (PlantWriter service gone)");
                return;
            }
            try {
                writer.publish(loop.limits.topic(), payload, false);
            } catch (IllegalStateException e) {
                refuse(loop, s, step, "the plant connection refused it: " + e.getMessage());
                return;
            }
            SetpointWrite w = new SetpointWrite(clock.instant(), step.batchAge(), input, step.value(),
                    loop.limits.topic(), step.advisory().id());
            loop.written(w);
            record(s, "closedloop.setpoint", "carrying out accepted advisory " + step.advisory().id()
                    + " (closed loop enabled by " + loop.enabledBy + ", signature " + loop.signatureId + ")",
                    Double.isNaN(step.previous()) ? null : input + "=" + fmt(step.previous()),
                    input + "=" + fmt(step.value()) + " at " + fmt(step.batchAge()) + " h on " + w.topic());
        }
    }

    private void refuse(Loop loop, TwinState s, Loop.Step step, String why) {
        String reason = "setpoint " + loop.limits.limit().input() + "=" + fmt(step.value()) + " of advisory "
                + step.advisory().id() + " at " + fmt(step.batchAge()) + " h " + why
                + "; the advisory is no longer carried out by closed loop";
        loop.refuse(step.advisory(), reason);
        record(s, "closedloop.refuse", reason, null, null);
        LOG.log(Level.WARNING, "Closed loop of " + loop.limits.unit() + ": " + reason);
    }

    private void record(TwinState s, String action, String reason, @Nullable String oldValue,
            @Nullable String newValue) {
        String batch = s.batchId();
        audit.append(new AuditEvent(ACTOR, action, batch == null ? "unit" : "batch",
                batch == null ? s.unitId() : batch, reason, oldValue, newValue));
    }

    private static double planned(PlanningBasis b, String input, double age) {
        double fallback = b.model().inputs().stream().filter(i -> i.name().equals(input))
                .mapToDouble(ModelInput::defaultValue).findFirst().orElse(Double.NaN);
        return b.schedule().profile(input).map((InputProfile p) -> p.valueAt(age, fallback)).orElse(fallback);
    }

    private static byte[] payload(String unit, String input, Loop.Step step, Instant now) {
        return String.format(Locale.ROOT, "{\"value\":%s,\"unit\":\"%s\",\"input\":\"%s\",\"advisory\":\"%s\","
                + "\"batchAge_h\":%s,\"ts\":\"%s\",\"source\":\"%s\"}", Double.toString(step.value()), unit, input,
                step.advisory().id(), Double.toString(step.batchAge()), now, ACTOR).getBytes(StandardCharsets.UTF_8);
    }

    private UnitLimitsComponent limitsOf(String unitId) {
        List<UnitLimitsComponent> matching = unitLimits.stream().filter(l -> l.unit().equals(unitId)).toList();
        if (matching.isEmpty()) {
            throw new IllegalArgumentException("Unit " + unitId + " has no closed-loop limits on this host "
                    + "(configuration " + UnitLimitsComponent.PID + "): it stays in indirect control");
        }
        if (matching.size() > 1) {
            throw new IllegalArgumentException("Unit " + unitId + " has " + matching.size() + " closed-loop "
                    + "configurations (" + UnitLimitsComponent.PID + "); remove all but one");
        }
        return matching.get(0);
    }

    private static void requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("A change of closed loop needs a reason");
        }
    }

    private static String describe(UnitLimitsComponent l) {
        return l.limit().input() + " within [" + fmt(l.limit().min()) + ", " + fmt(l.limit().max())
                + "], largest step " + fmt(l.limit().maxStep()) + ", to " + l.topic();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
