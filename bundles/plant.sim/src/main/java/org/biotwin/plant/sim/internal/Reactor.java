package org.biotwin.plant.sim.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.biotwin.api.kinetics.SimulationException;
import org.biotwin.api.kinetics.Simulator;
import org.biotwin.api.model.KineticModel;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running virtual bioreactor: an accelerated clock on its own scheduled thread drives a {@link ReactorCore} and
 * publishes through an {@link MqttLink}; setpoints and fault commands from MQTT, Gogo and configuration are queued and
 * applied by the reactor thread at the next step, so the core stays confined to that thread.
 * <p>
 * <b>Clock.</b> Simulated age = steps × sample period; the number of steps due is
 * {@code floor(real elapsed × acceleration / sample period)} since the clock was anchored (start, or the return of a
 * model after a pause), so the ratio holds over time whatever the scheduling jitter. A tick performs at most
 * {@value #MAX_CATCH_UP} steps; if the plant falls more than {@value #MAX_LAG_STEPS} steps behind (the machine cannot
 * keep up with the acceleration), the clock is re-anchored and {@code clock.slips} counts it.
 * <p>
 * <b>Topics</b> (prefix p, unit u): readings {@code p/u} (BATCH) or {@code p/u/<tag>} (SINGLE); setpoints in
 * {@code p/u/setpoint/<input>}, rejections out on {@code p/u/setpoint/rejected}; fault commands in
 * {@code p/u/command/fault}, rejections out on {@code p/u/command/rejected}; status (retained) on
 * {@code p/u/sim/status}. Thread-safe.
 */
final class Reactor implements ReactorControl, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Reactor.class);
    static final int MAX_CATCH_UP = 200;
    static final int MAX_LAG_STEPS = 2000;
    private static final long MAX_TICK_MS = 200;
    private static final long STATUS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    /** A queued request for the reactor thread. */
    private sealed interface Command permits SetpointCmd, FaultCmd, FaultsConfigCmd {
    }

    private record SetpointCmd(String input, @Nullable Double value, String payload, @Nullable String parseError)
            implements Command {
    }

    private record FaultCmd(String fault, boolean on, boolean fromMqtt) implements Command {
    }

    private record FaultsConfigCmd(List<FaultSpec> faults) implements Command {
    }

    private final ReactorSettings settings;
    private final Simulator simulator;
    private final Supplier<@Nullable KineticModel> models;
    private final MqttLink link;
    private final ScheduledExecutorService thread;
    private final BlockingQueue<Command> commands = new ArrayBlockingQueue<>(1000);
    private final String base;
    private final AtomicLong steps = new AtomicLong();
    private final AtomicLong clockSlips = new AtomicLong();
    private final AtomicLong setpointsAccepted = new AtomicLong();
    private final AtomicLong setpointsRejected = new AtomicLong();
    private final AtomicLong labReleased = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();

    // Confined to the reactor thread.
    private @Nullable ReactorCore core;
    private Instant batchStart;
    private @Nullable KineticModel configErrorModel;
    private boolean failed;
    private long anchorNanos;
    private long stepsSinceAnchor;
    private long lastStatusNanos;

    private volatile String status = "WAITING_FOR_MODEL";
    private volatile ReactorCore.@Nullable Truth truth;

    Reactor(ReactorSettings settings, Simulator simulator, Supplier<@Nullable KineticModel> models) {
        this.settings = settings;
        this.simulator = simulator;
        this.models = models;
        this.base = settings.topicPrefix() + "/" + settings.unit();
        this.batchStart = settings.batchStart() != null ? settings.batchStart() : Instant.now();
        this.link = new MqttLink(settings.unit(), settings.brokerUri(), settings.clientId(),
                settings.publishQueueCapacity(), settings.maxInflight(),
                List.of(base + "/setpoint/+", base + "/command/+"), this::onMessage);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "biotwin-plant-" + settings.unit());
            t.setDaemon(true);
            return t;
        });
        long tickMs = Math.max(1, Math.min(MAX_TICK_MS, Math.round(settings.samplePeriodS() * 1000
                / settings.acceleration())));
        thread.scheduleAtFixedRate(this::tick, 0, tickMs, TimeUnit.MILLISECONDS);
        LOG.info("Plant {}: started, model {}{}, acceleration {}, sample period {} s, broker {}, topics {}/...",
                settings.unit(), settings.modelId(), settings.modelVersion() == null ? "" : ":" + settings.modelVersion(),
                settings.acceleration(), settings.samplePeriodS(), settings.brokerUri(), base);
    }

    ReactorSettings settings() {
        return settings;
    }

    // ---------------------------------------------------------------------------------------- ReactorControl

    @Override
    public String unit() {
        return settings.unit();
    }

    @Override
    public String status() {
        return status;
    }

    @Override
    public ReactorCore.@Nullable Truth truth() {
        return truth;
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> m = new TreeMap<>(link.counters());
        m.put("steps", steps.get());
        m.put("clock.slips", clockSlips.get());
        m.put("setpoints.accepted", setpointsAccepted.get());
        m.put("setpoints.rejected", setpointsRejected.get());
        m.put("lab.released", labReleased.get());
        m.put("batches", batches.get());
        m.put("connected", link.connected() ? 1L : 0L);
        return m;
    }

    @Override
    public void fault(String fault, boolean on) {
        FaultSpec.canonicalName(fault); // unknown names fail here, for the caller
        enqueue(new FaultCmd(fault, on, false));
    }

    @Override
    public void setpoint(String input, double value) {
        enqueue(new SetpointCmd(input, value, Double.toString(value), null));
    }

    /** A configuration update that changes only the fault windows. */
    void configuredFaults(List<FaultSpec> faults) {
        enqueue(new FaultsConfigCmd(faults));
    }

    private void enqueue(Command c) {
        if (!commands.offer(c)) {
            throw new IllegalStateException("Plant " + settings.unit() + ": command queue full (1000); try again");
        }
    }

    // ---------------------------------------------------------------------------------------- inbound MQTT

    private void onMessage(String topic, byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8);
        if (topic.startsWith(base + "/setpoint/")) {
            String input = topic.substring(base.length() + "/setpoint/".length());
            if (input.equals("rejected")) {
                return; // our own output topic (no-local should already keep it away)
            }
            try {
                double v = Payloads.setpointValue(payload);
                offerOrReject(new SetpointCmd(input, v, text, null));
            } catch (IllegalArgumentException e) {
                offerOrReject(new SetpointCmd(input, null, text, e.getMessage()));
            }
        } else if (topic.equals(base + "/command/fault")) {
            try {
                Payloads.FaultCommand fc = Payloads.faultCommand(payload);
                FaultSpec.canonicalName(fc.fault());
                offerOrReject(new FaultCmd(fc.fault(), fc.on(), true));
            } catch (IllegalArgumentException e) {
                rejectCommand("fault", text, e.getMessage());
            }
        } else if (topic.startsWith(base + "/command/") && !topic.equals(base + "/command/rejected")) {
            rejectCommand(topic.substring(base.length() + "/command/".length()), text,
                    "unknown command (known: fault)");
        }
    }

    private void offerOrReject(Command c) {
        if (!commands.offer(c)) {
            if (c instanceof SetpointCmd s) {
                rejectSetpoint(s.input(), s.payload(), "command queue full");
            } else {
                rejectCommand("fault", String.valueOf(c), "command queue full");
            }
        }
    }

    private void rejectSetpoint(String input, String payload, String reason) {
        setpointsRejected.incrementAndGet();
        LOG.warn("Plant {}: setpoint {} = '{}' rejected: {}", settings.unit(), input, Payloads.abbreviate(payload), reason);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("unit", settings.unit());
        m.put("input", input);
        m.put("payload", Payloads.abbreviate(payload));
        m.put("reason", reason);
        ReactorCore c = core;
        if (c != null) {
            m.put("batchAge_h", c.ageH());
            m.put("ts", c.timestamp(c.ageH()).toString());
        }
        link.offer(base + "/setpoint/rejected", Payloads.object(m), false);
    }

    private void rejectCommand(String command, String payload, String reason) {
        LOG.warn("Plant {}: command {} '{}' rejected: {}", settings.unit(), command, Payloads.abbreviate(payload), reason);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("unit", settings.unit());
        m.put("command", command);
        m.put("payload", Payloads.abbreviate(payload));
        m.put("reason", reason);
        link.offer(base + "/command/rejected", Payloads.object(m), false);
    }

    // ---------------------------------------------------------------------------------------- the tick

    private void tick() {
        try {
            KineticModel model = models.get();
            if (!ensureCore(model)) {
                drainCommandsWithoutCore();
                publishStatus(false);
                return;
            }
            ReactorCore c = core;
            applyCommands(c);
            if (failed || c.finished()) {
                publishStatus(false);
                return;
            }
            long now = System.nanoTime();
            double due = (now - anchorNanos) / 1e9 * settings.acceleration() / settings.samplePeriodS();
            long lag = (long) Math.floor(due) - stepsSinceAnchor;
            if (lag > MAX_LAG_STEPS) {
                clockSlips.incrementAndGet();
                LOG.warn("Plant {}: {} steps behind the accelerated clock; re-anchoring (lower the acceleration)",
                        settings.unit(), lag);
                anchor(now - (long) (MAX_CATCH_UP * settings.samplePeriodS() / settings.acceleration() * 1e9));
                lag = MAX_CATCH_UP;
            }
            for (long i = 0; i < Math.min(lag, MAX_CATCH_UP) && !c.finished(); i++) {
                ReactorCore.Output out = c.step();
                stepsSinceAnchor++;
                steps.incrementAndGet();
                publish(c, out);
            }
            truth = c.truth();
            status = "RUNNING";
            if (c.finished()) {
                endOfBatch(c);
            }
            publishStatus(false);
        } catch (SimulationException e) {
            failed = true;
            status = "FAILED: " + e.getMessage();
            LOG.error("Plant {}: the simulation failed; the reactor stops: {}", settings.unit(), e.getMessage());
            publishStatus(true);
        } catch (RuntimeException e) {
            failed = true;
            status = "FAILED: " + e;
            LOG.error("Plant {}: unexpected error; the reactor stops", settings.unit(), e);
            publishStatus(true);
        }
    }

    /** Creates the core for the bound model, or swaps the model; @return whether a core is ready. */
    private boolean ensureCore(@Nullable KineticModel model) {
        if (model == null) {
            if (!status.startsWith("WAITING")) {
                LOG.warn("Plant {}: no model {} bound; paused", settings.unit(), settings.modelId());
            }
            status = "WAITING_FOR_MODEL: no KineticModel with biotwin.model.id=" + settings.modelId()
                    + (settings.modelVersion() == null ? "" : " and version " + settings.modelVersion());
            return false;
        }
        if (model == configErrorModel) {
            return core != null; // a refused swap keeps the old model running; a refused first model waits
        }
        try {
            if (core == null) {
                core = new ReactorCore(settings, model, simulator, batchStart);
                batches.incrementAndGet();
                anchor(System.nanoTime());
                LOG.info("Plant {}: batch {} started at {} with model {}", settings.unit(), batches.get(), batchStart,
                        core.modelCoordinates());
            } else if (!core.modelCoordinates().equals(model.descriptor().coordinates()) || status.startsWith("WAIT")) {
                if (!core.modelCoordinates().equals(model.descriptor().coordinates())) {
                    String old = core.modelCoordinates();
                    core.swapModel(model);
                    LOG.info("Plant {}: model {} replaced by {} at batch age {} h; states handed over by name",
                            settings.unit(), old, core.modelCoordinates(), core.ageH());
                }
                anchor(System.nanoTime()); // resume after a pause without a burst of catch-up steps
            }
            return true;
        } catch (IllegalArgumentException e) {
            configErrorModel = model;
            if (core != null) {
                LOG.error("Plant {}: model {} refused, continuing with {}: {}", settings.unit(),
                        model.descriptor().coordinates(), core.modelCoordinates(), e.getMessage());
                return true;
            }
            status = "CONFIG_ERROR: " + e.getMessage();
            LOG.error("Plant {}: {}", settings.unit(), e.getMessage());
            return false;
        }
    }

    private void anchor(long nanos) {
        anchorNanos = nanos;
        stepsSinceAnchor = 0;
    }

    private void applyCommands(ReactorCore c) {
        for (Command cmd; (cmd = commands.poll()) != null;) {
            if (cmd instanceof SetpointCmd s) {
                if (s.parseError() != null || s.value() == null) {
                    rejectSetpoint(s.input(), s.payload(), String.valueOf(s.parseError()));
                    continue;
                }
                try {
                    c.setpoint(s.input(), s.value());
                    setpointsAccepted.incrementAndGet();
                    LOG.info("Plant {}: setpoint {} = {} accepted at batch age {} h", settings.unit(), s.input(),
                            s.value(), c.ageH());
                } catch (IllegalArgumentException e) {
                    rejectSetpoint(s.input(), s.payload(), e.getMessage());
                }
            } else if (cmd instanceof FaultCmd f) {
                try {
                    c.fault(f.fault(), f.on());
                    LOG.info("Plant {}: fault {} {} at batch age {} h", settings.unit(), f.fault(), f.on() ? "ON" : "OFF",
                            c.ageH());
                } catch (IllegalArgumentException e) {
                    if (f.fromMqtt()) {
                        rejectCommand("fault", f.fault() + (f.on() ? " on" : " off"), e.getMessage());
                    } else {
                        LOG.warn("Plant {}: fault {} refused: {}", settings.unit(), f.fault(), e.getMessage());
                    }
                }
            } else if (cmd instanceof FaultsConfigCmd fc) {
                try {
                    c.configuredFaults(fc.faults());
                    LOG.info("Plant {}: configured faults now {}", settings.unit(), fc.faults());
                } catch (IllegalArgumentException e) {
                    LOG.error("Plant {}: configured faults refused: {}", settings.unit(), e.getMessage());
                }
            }
        }
    }

    private void drainCommandsWithoutCore() {
        for (Command cmd; (cmd = commands.poll()) != null;) {
            if (cmd instanceof SetpointCmd s) {
                rejectSetpoint(s.input(), s.payload(), "the reactor is not running (" + status + ")");
            } else if (cmd instanceof FaultCmd f && f.fromMqtt()) {
                rejectCommand("fault", f.fault(), "the reactor is not running (" + status + ")");
            }
        }
    }

    private void endOfBatch(ReactorCore c) {
        if (settings.batchRestart()) {
            batchStart = c.timestamp(c.ageH());
            core = null; // the next tick starts a new batch from the initial state
            LOG.info("Plant {}: batch {} finished at {} h; a new batch starts at {}", settings.unit(), batches.get(),
                    c.ageH(), batchStart);
        } else {
            status = "FINISHED";
            LOG.info("Plant {}: batch finished at {} h; readings stop", settings.unit(), c.ageH());
        }
    }

    // ---------------------------------------------------------------------------------------- publishing

    private void publish(ReactorCore c, ReactorCore.Output out) {
        if (!out.online().isEmpty()) {
            List<ReactorCore.Reading> finite = new ArrayList<>(out.online().size());
            for (ReactorCore.Reading r : out.online()) {
                if (Double.isFinite(r.value())) {
                    finite.add(r);
                } else {
                    LOG.warn("Plant {}: {} is not finite at {} h; not published", settings.unit(), r.tag(), out.ageH());
                }
            }
            Instant ts = c.timestamp(out.ageH());
            if (settings.payloadMode() == ReactorSettings.PayloadMode.BATCH) {
                link.offer(base, Payloads.batch(settings.unit(), ts, finite), false);
            } else {
                for (ReactorCore.Reading r : finite) {
                    link.offer(base + "/" + r.tag(), Payloads.single(ts, r.value(), r.uom()), false);
                }
            }
        }
        // Lab results, grouped by sampling time, time-stamped with it.
        Map<Double, List<ReactorCore.Reading>> bySample = new TreeMap<>();
        for (ReactorCore.LabResult r : out.released()) {
            bySample.computeIfAbsent(r.samplingAgeH(), k -> new ArrayList<>())
                    .add(new ReactorCore.Reading(r.tag(), r.value(), r.uom()));
            labReleased.incrementAndGet();
        }
        for (Map.Entry<Double, List<ReactorCore.Reading>> e : bySample.entrySet()) {
            Instant ts = c.timestamp(e.getKey());
            if (settings.payloadMode() == ReactorSettings.PayloadMode.BATCH) {
                link.offer(base, Payloads.batch(settings.unit(), ts, e.getValue()), false);
            } else {
                for (ReactorCore.Reading r : e.getValue()) {
                    link.offer(base + "/" + r.tag(), Payloads.single(ts, r.value(), r.uom()), false);
                }
            }
        }
    }

    private void publishStatus(boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastStatusNanos < STATUS_INTERVAL_NS) {
            return;
        }
        lastStatusNanos = now;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("unit", settings.unit());
        m.put("status", status);
        m.put("batch", batches.get());
        m.put("batchStart", batchStart.toString());
        ReactorCore c = core;
        if (c != null) {
            m.put("model", c.modelCoordinates());
            m.put("batchAge_h", c.ageH());
            m.put("ts", c.timestamp(c.ageH()).toString());
            m.put("faults", c.activeFaults());
        }
        m.put("acceleration", settings.acceleration());
        m.put("counters", counters());
        link.offer(base + "/sim/status", Payloads.object(m), true);
    }

    // ---------------------------------------------------------------------------------------- shutdown

    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                thread.shutdownNow();
                LOG.warn("Plant {}: reactor thread did not stop within 10 s; interrupted", settings.unit());
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
        link.close(2000);
        LOG.info("Plant {}: stopped; counters {}", settings.unit(), counters());
    }
}
