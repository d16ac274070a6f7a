package org.biotwin.plant.sim.internal;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.biotwin.api.model.OperatingSchedule;
import org.jspecify.annotations.Nullable;

/**
 * The parsed, checked configuration of one simulated bioreactor. Every error names the property and what is wrong.
 * Model-dependent checks (parameter, state and input names and bounds) happen when the model is bound, in
 * {@link ReactorCore}. Immutable.
 */
record ReactorSettings(String unit, String modelId, @Nullable String modelVersion, Map<String, Double> parameters,
        Map<String, Double> initialState, String scheduleText, OperatingSchedule schedule, double acceleration,
        double samplePeriodS, double batchDurationH, boolean batchRestart, @Nullable Instant batchStart,
        String brokerUri, String clientId, String topicPrefix, PayloadMode payloadMode, long seed, double noiseScale,
        double driftScale, List<LabAssay> labAssays, double[] labTimesH, double labDelayH, double labSampleVolumeL,
        List<FaultSpec> faults, List<String> feedInputs, String ourObservable, String cerObservable,
        List<String> oxygenLimitedParameters, AerationSettings aeration, double temperatureSetpoint,
        double phSetpoint, double density, int publishQueueCapacity, int maxInflight) {

    static final String FACTORY_PID = "org.biotwin.plant.sim.reactor";
    static final double DEFAULT_ACCELERATION = 60;
    static final double DEFAULT_SAMPLE_PERIOD_S = 60;
    static final double DEFAULT_BATCH_DURATION_H = 336;

    /** How readings are packed into messages. */
    enum PayloadMode { BATCH, SINGLE }

    private static final Pattern TOPIC_LEVEL = Pattern.compile("[^/+#\\s]+");
    private static final Pattern SEMVER = Pattern.compile("\\d+\\.\\d+\\.\\d+([-+][0-9A-Za-z.-]+)?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.\\-]*");

    ReactorSettings {
        parameters = Map.copyOf(parameters);
        initialState = Map.copyOf(initialState);
        labAssays = List.copyOf(labAssays);
        labTimesH = labTimesH.clone();
        faults = List.copyOf(faults);
        feedInputs = List.copyOf(feedInputs);
        oxygenLimitedParameters = List.copyOf(oxygenLimitedParameters);
    }

    @Override
    public double[] labTimesH() {
        return labTimesH.clone();
    }

    /** Simulated step, h. */
    double stepH() {
        return samplePeriodS / 3600;
    }

    static ReactorSettings from(PlantConfiguration c) {
        String unit = text(c.unit(), "unit");
        if (!TOPIC_LEVEL.matcher(unit).matches()) {
            throw bad("unit", "'" + unit + "' must be one MQTT topic level (no '/', '+', '#' or spaces)");
        }
        String modelId = text(c.model_id(), "model.id");
        String version = c.model_version() == null || c.model_version().isBlank() ? null : c.model_version().trim();
        if (version != null && !SEMVER.matcher(version).matches()) {
            throw bad("model.version", "'" + version + "' is not major.minor.patch");
        }
        Map<String, Double> parameters = assignments(c.parameters(), "parameters");
        Map<String, Double> initial = assignments(c.initial_state(), "initial.state");
        OperatingSchedule schedule;
        try {
            schedule = OperatingSchedule.parse(c.schedule());
        } catch (IllegalArgumentException e) {
            throw bad("schedule", e.getMessage());
        }
        double acceleration = range(c.acceleration(), "acceleration", 1e-3, 1e6);
        double period = range(c.sample_period_s(), "sample.period.s", 1, 3600);
        double duration = range(c.batch_duration_h(), "batch.duration.h", period / 3600, 1e5);
        Instant start = null;
        if (c.batch_start() != null && !c.batch_start().isBlank()) {
            try {
                start = Instant.parse(c.batch_start().trim());
            } catch (DateTimeParseException e) {
                throw bad("batch.start", "'" + c.batch_start() + "' is not an ISO-8601 instant such as "
                        + "2026-03-01T00:00:00Z");
            }
        }
        String broker = text(c.broker_uri(), "broker.uri");
        try {
            URI u = URI.create(broker);
            if (!("tcp".equals(u.getScheme()) || "ssl".equals(u.getScheme())) || u.getHost() == null
                    || u.getPort() <= 0) {
                throw bad("broker.uri", "'" + broker + "' must be tcp://host:port or ssl://host:port");
            }
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Simulated bioreactor")) {
                throw e;
            }
            throw bad("broker.uri", "'" + broker + "' is not a URI: " + e.getMessage());
        }
        String clientId = c.client_id() == null || c.client_id().isBlank() ? "biotwin-plant-" + unit
                : c.client_id().trim();
        String prefix = text(c.topic_prefix(), "topic.prefix");
        for (String level : prefix.split("/", -1)) {
            if (!TOPIC_LEVEL.matcher(level).matches()) {
                throw bad("topic.prefix", "'" + prefix + "' must be topic levels without wildcards, spaces or "
                        + "empty levels");
            }
        }
        PayloadMode mode;
        try {
            mode = PayloadMode.valueOf(text(c.payload_mode(), "payload.mode").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad("payload.mode", "'" + c.payload_mode() + "' is not BATCH or SINGLE");
        }
        double noise = range(c.noise_scale(), "noise.scale", 0, 100);
        double drift = range(c.drift_scale(), "drift.scale", 0, 1000);

        List<LabAssay> assays = new ArrayList<>();
        for (String e : nonNull(c.lab_assays())) {
            try {
                LabAssay a = LabAssay.parse(e);
                if (assays.stream().anyMatch(x -> x.tag().equals(a.tag()))) {
                    throw new IllegalArgumentException("tag '" + a.tag() + "' appears twice");
                }
                assays.add(a);
            } catch (IllegalArgumentException ex) {
                throw bad("lab.assays", ex.getMessage());
            }
        }
        double interval = range(c.lab_interval_h(), "lab.interval.h", 0, 1e5);
        double first = range(c.lab_first_h(), "lab.first.h", 0, 1e5);
        TreeSet<Double> times = new TreeSet<>();
        if (interval > 0) {
            for (double t = first; t <= duration + 1e-9 && times.size() < 100_000; t += interval) {
                times.add(t);
            }
        }
        for (String s : nonNull(c.lab_times_h())) {
            try {
                double t = ConfigNumbers.finite(s);
                if (t < 0) {
                    throw new IllegalArgumentException("'" + s + "' is negative");
                }
                times.add(t);
            } catch (IllegalArgumentException ex) {
                throw bad("lab.times.h", ex.getMessage());
            }
        }
        double delay = range(c.lab_delay_h(), "lab.delay.h", 0, 1e4);
        double sampleVolume = range(c.lab_sample_volume_l(), "lab.sample.volume.l", 0, 1e4);
        if (sampleVolume > 0) {
            for (double t : times) {
                schedule = schedule.with(new org.biotwin.api.model.ProcessEvent.Withdrawal(t, sampleVolume));
            }
        }
        List<FaultSpec> faults = new ArrayList<>();
        for (String f : nonNull(c.faults())) {
            if (f.isBlank()) {
                continue;
            }
            try {
                faults.add(FaultSpec.parse(f));
            } catch (IllegalArgumentException ex) {
                throw bad("faults", ex.getMessage());
            }
        }
        List<String> feeds = names(c.feed_inputs(), "feed.inputs");
        for (String f : feeds) {
            if (f.equals(PlantSetpoints.DO_SET) || f.equals(PlantSetpoints.T_SET) || f.equals(PlantSetpoints.PH_SET)) {
                throw bad("feed.inputs", "'" + f + "' is a plant setpoint, not a feed");
            }
        }
        String our = text(c.our_observable(), "our.observable");
        String cer = text(c.cer_observable(), "cer.observable");
        List<String> limited = names(c.oxygen_limited_parameters(), "oxygen.limited.parameters");

        double doSet = range(c.do_setpoint(), "do.setpoint", 0, 100);
        double doCrit = range(c.do_critical(), "do.critical", 0, 100);
        double sat = range(c.do_saturation_mmol_l(), "do.saturation.mmol.l", 1e-6, 10);
        double airMin = range(c.air_flow_min(), "air.flow.min", 0, 1e7);
        double airMax = range(c.air_flow_max(), "air.flow.max", Math.max(airMin, 1e-9), 1e7);
        double airRef = range(c.air_flow_ref(), "air.flow.ref", 1e-9, 1e7);
        double klaRef = range(c.kla_ref(), "kla.ref", 1e-6, 1e5);
        double klaExp = range(c.kla_exponent(), "kla.exponent", 0.05, 2);
        double loss = range(c.aeration_loss_fraction(), "aeration.loss.fraction", 0, 1);
        double inO2 = range(c.inlet_o2(), "inlet.o2", 0, 1);
        double inCO2 = range(c.inlet_co2(), "inlet.co2", 0, 1);
        if (inO2 + inCO2 >= 1) {
            throw bad("inlet.o2", "inlet O2 + CO2 mole fractions leave no inert gas (fractions, not %)");
        }
        double tSet = range(c.temperature_setpoint(), "temperature.setpoint", PlantSetpoints.T_MIN,
                PlantSetpoints.T_MAX);
        double phSet = range(c.ph_setpoint(), "ph.setpoint", PlantSetpoints.PH_MIN, PlantSetpoints.PH_MAX);
        double density = range(c.density_kg_l(), "density.kg.l", 0.5, 2);
        int queue = (int) range(c.publish_queue_capacity(), "publish.queue.capacity", 16, 10_000_000);
        int inflight = (int) range(c.max_inflight(), "max.inflight", 1, 65_535);

        return new ReactorSettings(unit, modelId, version, parameters, initial, c.schedule() == null ? ""
                : c.schedule(), schedule, acceleration, period, duration, c.batch_restart(), start, broker, clientId,
                prefix, mode, c.seed(), noise, drift, assays, times.stream().mapToDouble(Double::doubleValue).toArray(),
                delay, sampleVolume, faults, feeds, our, cer, limited,
                new AerationSettings(doSet, doCrit, sat, airMin, airMax, airRef, klaRef, klaExp, loss, inO2, inCO2),
                tSet, phSet, density, queue, inflight);
    }

    /** A tag name is one MQTT topic level. */
    static String requireTag(String tag, String context) {
        if (!TOPIC_LEVEL.matcher(tag).matches()) {
            throw new IllegalArgumentException("'" + context + "': tag '" + tag
                    + "' must be one topic level (no '/', '+', '#' or spaces)");
        }
        return tag;
    }

    static IllegalArgumentException bad(String property, String what) {
        return new IllegalArgumentException("Simulated bioreactor: property '" + property + "': " + what);
    }

    private static String[] nonNull(String @Nullable [] a) {
        return a == null ? new String[0] : a;
    }

    private static String text(@Nullable String s, String property) {
        if (s == null || s.isBlank()) {
            throw bad(property, "is required");
        }
        return s.trim();
    }

    private static double range(double v, String property, double min, double max) {
        if (!Double.isFinite(v) || v < min || v > max) {
            throw bad(property, v + " is outside [" + min + ", " + max + "]");
        }
        return v;
    }

    private static List<String> names(String @Nullable [] a, String property) {
        List<String> out = new ArrayList<>();
        for (String s : nonNull(a)) {
            if (s.isBlank()) {
                continue;
            }
            if (!NAME.matcher(s.trim()).matches()) {
                throw bad(property, "'" + s + "' is not a name");
            }
            out.add(s.trim());
        }
        return out;
    }

    private static Map<String, Double> assignments(String @Nullable [] a, String property) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String e : nonNull(a)) {
            if (e.isBlank()) {
                continue;
            }
            String[] kv = e.split("=", 2);
            if (kv.length != 2 || !NAME.matcher(kv[0].trim()).matches()) {
                throw bad(property, "'" + e + "' is not name=value");
            }
            try {
                if (out.put(kv[0].trim(), ConfigNumbers.finite(kv[1])) != null) {
                    throw bad(property, "'" + kv[0].trim() + "' is given twice");
                }
            } catch (IllegalArgumentException ex) {
                if (ex.getMessage().startsWith("Simulated bioreactor")) {
                    throw ex;
                }
                throw bad(property, "'" + e + "': " + ex.getMessage());
            }
        }
        return out;
    }
}
