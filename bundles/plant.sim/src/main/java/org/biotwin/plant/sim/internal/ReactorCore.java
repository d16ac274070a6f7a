package org.biotwin.plant.sim.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.Simulator;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.model.InputProfile;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.ModelInput;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.api.model.ProcessEvent;
import org.jspecify.annotations.Nullable;

/**
 * One simulated bioreactor in simulated time, without clock or messaging: {@link #step()} advances the batch by one
 * sample period and returns what the instruments show and which lab results are released.
 * <p>
 * <b>Per step</b> ({@code [t, t + Δt]}, Δt = the sample period):
 * <ol>
 * <li>Process: the kinetic core integrates the model from the current state under the recipe, the operator's
 * setpoints (from the time they were accepted) and the active faults (a failed feed pump feeds nothing); events in
 * {@code (t, t + Δt]} are applied by the simulator, which restarts at every discontinuity. The oxygen-limited
 * parameters are scaled by the limitation factor of the DO at {@code t} ({@link OxygenTransfer}).</li>
 * <li>Aeration: the DO controller's air flow for the model's oxygen demand, kLa, the DO balance, the next limitation
 * factor; temperature and pH follow their setpoints with first-order lags (30 min and 15 min).</li>
 * <li>Instruments: exhaust O2/CO2 from the model's OUR/CER by the inert-gas balance; every online value gets its
 * drift and noise ({@link SensorSpec}); a frozen sensor repeats its last value; OUR and CER are then calculated from
 * the <em>measured</em> off-gas, air flow and volume, as an off-gas analyser does.</li>
 * <li>Lab: samples due in the step are evaluated at their exact sampling time (extra output times of the
 * simulation), get assay noise, and wait {@code lab.delay.h} before release, with their sampling time.</li>
 * </ol>
 * After the batch duration the process stops; the clock continues until every pending lab result is released, then
 * {@link #finished()} is true.
 * <p>
 * Not thread-safe: confined to the reactor's thread. Cost per step: one simulation of Δt (a few RHS evaluations for
 * the CHO model at Δt = 60 s).
 */
final class ReactorCore {

    /** First-order time constant of the temperature loop, h. */
    static final double TAU_TEMPERATURE_H = 0.5;
    /** First-order time constant of the pH loop, h. */
    static final double TAU_PH_H = 0.25;

    /** One online value as published. */
    record Reading(String tag, double value, String uom) {
    }

    /** One lab result: sampled at {@code samplingAgeH}, released at {@code releaseAgeH}. */
    record LabResult(String tag, double samplingAgeH, double releaseAgeH, double value, String uom) {
    }

    /** What one step produced; {@code online} is empty after the end of the batch. */
    record Output(double ageH, List<Reading> online, List<LabResult> released) {
    }

    /** The true (noise-free) plant at the current time, for {@code plant:state} and tests. */
    record Truth(double ageH, String model, Map<String, Double> states, Map<String, Double> observables,
            double doPercent, double airFlow, double kla, double oxygenLimitation, double temperature, double ph,
            Map<String, Double> inputs, Map<String, Double> feedSetpoints, Map<String, Double> drift,
            List<String> activeFaults, int pendingLab, boolean finished) {
    }

    private final ReactorSettings settings;
    private final Simulator simulator;
    private final Instant batchStart;
    private final SplittableRandom random;
    private final Map<String, SensorSpec> sensors = new LinkedHashMap<>();
    private final Map<String, Double> driftSign = new HashMap<>();
    private final Map<String, Double> lastPublished = new HashMap<>();
    /** Operator setpoints of model inputs: {from h, value}. */
    private final Map<String, double[]> setpoints = new HashMap<>();
    /** Run-time fault overrides: true = on, false = off, absent = as configured. */
    private final Map<String, Boolean> faultOverrides = new TreeMap<>();
    private final List<LabResult> pendingLab = new ArrayList<>();
    private List<FaultSpec> configuredFaults;

    private ModelBinding binding;
    private double[] parameters;
    private double[] y;
    private long stepIndex;
    private double t;
    // Plant loops.
    private double doSetpointPct;
    private double temperatureSetpoint;
    private double phSetpoint;
    private double dissolvedO2;
    private double airFlow;
    private double kla;
    private double limitation = 1;
    private double temperature;
    private double ph;
    private double[] lastObservables;
    private long simulatedSteps;

    ReactorCore(ReactorSettings settings, KineticModel model, Simulator simulator, Instant batchStart) {
        this.settings = settings;
        this.simulator = simulator;
        this.batchStart = batchStart;
        this.binding = new ModelBinding(settings, model);
        this.random = new SplittableRandom(settings.seed());
        this.configuredFaults = settings.faults();
        this.parameters = binding.parameters();
        this.y = binding.initialState();
        for (SensorSpec s : SensorSpec.instruments()) {
            sensors.put(s.tag(), s);
        }
        for (String f : binding.feedInputs) {
            sensors.put(f, SensorSpec.feed(f, binding.inputs.get(binding.inputIndex(f)).unit()));
        }
        for (FaultSpec f : configuredFaults) {
            checkFreezable(f.name());
        }
        for (String tag : sensors.keySet()) { // fixed order: the same seed gives the same signs
            driftSign.put(tag, random.nextBoolean() ? 1.0 : -1.0);
        }
        AerationSettings a = settings.aeration();
        this.doSetpointPct = a.doSetpointPct();
        this.temperatureSetpoint = settings.temperatureSetpoint();
        this.phSetpoint = settings.phSetpoint();
        this.temperature = temperatureSetpoint;
        this.ph = phSetpoint;
        this.dissolvedO2 = a.saturation(); // fresh medium is air-saturated
        double[] u = inputsAt(0, false);
        this.lastObservables = observe(0, y, parameters, u);
        this.airFlow = controlledAirFlow(lastObservables[binding.ourIndex]);
        this.kla = OxygenTransfer.kla(a, airFlow);
    }

    // ------------------------------------------------------------------------------------------------- queries

    double ageH() {
        return t;
    }

    Instant batchStart() {
        return batchStart;
    }

    /** The source timestamp of batch age {@code ageH}. */
    Instant timestamp(double ageH) {
        return batchStart.plusMillis(Math.round(ageH * 3_600_000.0));
    }

    String modelCoordinates() {
        return binding.coordinates;
    }

    boolean processEnded() {
        return t >= settings.batchDurationH() - 1e-9;
    }

    boolean finished() {
        return processEnded() && pendingLab.isEmpty();
    }

    long simulatedSteps() {
        return simulatedSteps;
    }

    /** Online tags this reactor publishes, with their units (feeds with their setpoint tags). */
    Map<String, String> onlineTags() {
        Map<String, String> m = new LinkedHashMap<>();
        for (SensorSpec s : sensors.values()) {
            m.put(s.tag(), s.uom());
            if (binding.feedInputs.contains(s.tag())) {
                m.put(s.tag() + SensorSpec.SETPOINT_SUFFIX, s.uom());
            }
        }
        m.put(SensorSpec.OUR, "mmol/L/h");
        m.put(SensorSpec.CER, "mmol/L/h");
        return m;
    }

    List<String> activeFaults() {
        List<String> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.TreeSet<>(faultOverrides.keySet());
        configuredFaults.forEach(f -> names.add(f.name()));
        for (String n : names) {
            if (faultActive(n)) {
                out.add(n);
            }
        }
        return out;
    }

    boolean faultActive(String name) {
        Boolean o = faultOverrides.get(name);
        if (o != null) {
            return o;
        }
        for (FaultSpec f : configuredFaults) {
            if (f.name().equals(name) && f.activeAt(t)) {
                return true;
            }
        }
        return false;
    }

    Truth truth() {
        Map<String, Double> st = new LinkedHashMap<>();
        for (int i = 0; i < binding.states.size(); i++) {
            st.put(binding.states.get(i).name(), y[i]);
        }
        Map<String, Double> ob = new LinkedHashMap<>();
        for (int i = 0; i < binding.observables.size(); i++) {
            ob.put(binding.observables.get(i).name(), lastObservables[i]);
        }
        double[] u = inputsAt(t, true);
        Map<String, Double> in = new LinkedHashMap<>();
        for (int i = 0; i < binding.inputs.size(); i++) {
            in.put(binding.inputs.get(i).name(), u[i]);
        }
        double[] sp = inputsAt(t, false);
        Map<String, Double> feedSp = new LinkedHashMap<>();
        for (String f : binding.feedInputs) {
            feedSp.put(f, sp[binding.inputIndex(f)]);
        }
        Map<String, Double> drift = new LinkedHashMap<>();
        for (SensorSpec s : sensors.values()) {
            drift.put(s.tag(), drift(s, t));
        }
        return new Truth(t, binding.coordinates, st, ob, 100 * dissolvedO2 / settings.aeration().saturation(), airFlow,
                kla, limitation, temperature, ph, in, feedSp, drift, activeFaults(), pendingLab.size(), finished());
    }

    // ------------------------------------------------------------------------------------------------- commands

    /**
     * Accepts a setpoint from now on.
     *
     * @throws IllegalArgumentException with the reason, if the input is unknown or the value out of bounds
     */
    void setpoint(String input, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value " + value + " is not finite");
        }
        int i = binding.inputIndex(input);
        if (i >= 0) {
            ModelInput in = binding.inputs.get(i);
            if (value < in.lowerBound() || value > in.upperBound()) {
                throw new IllegalArgumentException(input + " = " + value + " " + in.unit() + " is outside the input's "
                        + "bounds [" + in.lowerBound() + ", " + in.upperBound() + "] of model " + binding.coordinates);
            }
        } else if (!PlantSetpoints.isPlantSetpoint(input)) {
            List<String> known = new ArrayList<>(binding.inputs.stream().map(ModelInput::name).toList());
            known.addAll(List.of(PlantSetpoints.DO_SET, PlantSetpoints.T_SET, PlantSetpoints.PH_SET));
            throw new IllegalArgumentException("'" + input + "' is not an input of model " + binding.coordinates
                    + " nor a plant setpoint; known: " + known);
        } else if (value < PlantSetpoints.min(input) || value > PlantSetpoints.max(input)) {
            throw new IllegalArgumentException(input + " = " + value + " " + PlantSetpoints.uom(input)
                    + " is outside [" + PlantSetpoints.min(input) + ", " + PlantSetpoints.max(input) + "]");
        }
        if (i >= 0) {
            setpoints.put(input, new double[] {t, value});
        }
        switch (input) {
            case PlantSetpoints.DO_SET -> doSetpointPct = value;
            case PlantSetpoints.T_SET -> temperatureSetpoint = value;
            case PlantSetpoints.PH_SET -> phSetpoint = value;
            default -> {
                // a model input only
            }
        }
    }

    /** Switches a fault on or off from now on, overriding its configured window. */
    void fault(String name, boolean on) {
        String canonical = FaultSpec.canonicalName(name);
        checkFreezable(canonical);
        faultOverrides.put(canonical, on);
    }

    /** Replaces the configured fault windows (a configuration update) and clears the run-time overrides. */
    void configuredFaults(List<FaultSpec> faults) {
        for (FaultSpec f : faults) {
            checkFreezable(f.name());
        }
        this.configuredFaults = List.copyOf(faults);
        faultOverrides.clear();
    }

    /**
     * Continues the batch with another model (another version): states are handed over by name, parameters are the
     * new model's nominal values with the configured overrides.
     *
     * @throws IllegalArgumentException if the configuration does not fit the new model; the old model stays
     */
    void swapModel(KineticModel model) {
        ModelBinding next = new ModelBinding(settings, model);
        for (String f : next.feedInputs) {
            if (!sensors.containsKey(f)) {
                throw new IllegalArgumentException("feed input " + f + " missing");
            }
        }
        y = next.stateFrom(binding, y);
        binding = next;
        parameters = next.parameters();
        lastObservables = observe(t, y, parameters, inputsAt(t, true));
    }

    private void checkFreezable(String fault) {
        if (fault.startsWith(FaultSpec.FREEZE)) {
            String tag = fault.substring(FaultSpec.FREEZE.length());
            if (!onlineTags().containsKey(tag)) {
                throw new IllegalArgumentException("fault '" + fault + "': '" + tag + "' is not an online tag; tags are "
                        + onlineTags().keySet());
            }
        }
    }

    // ------------------------------------------------------------------------------------------------- the step

    Output step() {
        double dt = settings.stepH();
        double t0 = t;
        double t1 = (stepIndex + 1) * dt;
        if (processEnded()) {
            stepIndex++;
            t = t1;
            return new Output(t1, List.of(), release(t1));
        }
        double end = Math.min(t1, settings.batchDurationH());

        // Process: the model over [t0, end] with the oxygen limitation of the DO at t0.
        double[] pStep = parameters.clone();
        for (int i : binding.limitedParameters) {
            pStep[i] *= limitation;
        }
        double[] labTimes = Arrays.stream(settings.labTimesH())
                .filter(ts -> (stepIndex == 0 ? ts >= t0 : ts > t0) && ts <= end).toArray();
        double[] outputs = labTimes.length > 0 && labTimes[labTimes.length - 1] == end ? labTimes
                : append(labTimes, end);
        Trajectory tr = simulator.simulate(new SimulationRequest(binding.model, y, pStep, t0, end, outputs,
                stepSchedule(t0, end), SOLVER));
        simulatedSteps++;
        double[][] obs = tr.observables();
        y = tr.finalState();
        stepIndex++;
        t = end >= settings.batchDurationH() - 1e-12 ? settings.batchDurationH() : t1;
        lastObservables = obs[obs.length - 1];

        // Aeration and the plant's loops.
        AerationSettings a = settings.aeration();
        double[] uNominal = inputsAt(t, true);
        double demand = observe(t, y, parameters, uNominal)[binding.ourIndex];
        airFlow = controlledAirFlow(demand);
        kla = OxygenTransfer.kla(a, airFlow);
        dissolvedO2 = OxygenTransfer.relax(a, dissolvedO2, kla, demand, end - t0);
        limitation = binding.limitedParameters.length == 0 ? 1 : OxygenTransfer.limitation(a, dissolvedO2);
        temperature += (temperatureSetpoint - temperature) * (1 - Math.exp(-(end - t0) / TAU_TEMPERATURE_H));
        ph += (phSetpoint - ph) * (1 - Math.exp(-(end - t0) / TAU_PH_H));

        // Lab samples taken in this step, evaluated at their own times.
        for (int k = 0; k < labTimes.length; k++) {
            double[] z = obs[k];
            for (int j = 0; j < settings.labAssays().size(); j++) {
                LabAssay as = settings.labAssays().get(j);
                double v = z[binding.assayObservables[j]];
                double measured = Math.max(0, v + random.nextGaussian() * as.sd(v) * settings.noiseScale());
                if (as.observable().equals("viability")) {
                    measured = Math.min(100, measured);
                }
                pendingLab.add(new LabResult(as.tag(), labTimes[k], labTimes[k] + settings.labDelayH(), measured,
                        binding.observables.get(binding.assayObservables[j]).unit()));
            }
        }
        return new Output(t, instruments(), release(t));
    }

    private static final SolverSettings SOLVER = new SolverSettings(SolverSettings.DEFAULT.choice(), 1e-6, 1.0,
            1_000_000, Duration.ofSeconds(20));

    private List<Reading> instruments() {
        AerationSettings a = settings.aeration();
        double volume = y[binding.volumeIndex];
        double our = lastObservables[binding.ourIndex];
        double cer = lastObservables[binding.cerIndex];
        double[] exhaust = OffGas.exhaust(airFlow, a.inletO2(), a.inletCO2(), our, cer, volume,
                AerationSettings.NORMAL_MOLAR_VOLUME);
        Map<String, Double> truth = new LinkedHashMap<>();
        truth.put(SensorSpec.DO, 100 * dissolvedO2 / a.saturation());
        truth.put(SensorSpec.PH, ph);
        truth.put(SensorSpec.TEMPERATURE, temperature);
        truth.put(SensorSpec.OFFGAS_O2, exhaust[0]);
        truth.put(SensorSpec.OFFGAS_CO2, exhaust[1]);
        truth.put(SensorSpec.AIRFLOW, airFlow);
        truth.put(SensorSpec.VOLUME, volume);
        truth.put(SensorSpec.WEIGHT, volume * settings.density());
        double[] actual = inputsAt(t, true);
        double[] sp = inputsAt(t, false);
        for (String f : binding.feedInputs) {
            truth.put(f, actual[binding.inputIndex(f)]);
        }
        List<Reading> out = new ArrayList<>();
        Map<String, Double> measured = new HashMap<>();
        for (SensorSpec s : sensors.values()) {
            double v = truth.get(s.tag());
            double m;
            if (faultActive(FaultSpec.FREEZE + s.tag()) && lastPublished.containsKey(s.tag())) {
                m = lastPublished.get(s.tag()); // a stuck transmitter repeats its last value
            } else {
                m = s.clip(v + drift(s, t) + random.nextGaussian() * s.sd(v) * settings.noiseScale());
            }
            measured.put(s.tag(), m);
            out.add(new Reading(s.tag(), m, s.uom()));
            if (binding.feedInputs.contains(s.tag())) {
                out.add(new Reading(s.tag() + SensorSpec.SETPOINT_SUFFIX, sp[binding.inputIndex(s.tag())], s.uom()));
            }
        }
        // The off-gas analyser's OUR and CER, from what it measures.
        double[] rates = OffGas.rates(measured.get(SensorSpec.AIRFLOW), a.inletO2(), a.inletCO2(),
                measured.get(SensorSpec.OFFGAS_O2), measured.get(SensorSpec.OFFGAS_CO2), measured.get(SensorSpec.VOLUME),
                AerationSettings.NORMAL_MOLAR_VOLUME);
        for (String tag : List.of(SensorSpec.OUR, SensorSpec.CER)) {
            double v = tag.equals(SensorSpec.OUR) ? rates[0] : rates[1];
            if (faultActive(FaultSpec.FREEZE + tag) && lastPublished.containsKey(tag)) {
                v = lastPublished.get(tag);
            }
            if (Double.isFinite(v)) {
                out.add(new Reading(tag, v, "mmol/L/h"));
            }
        }
        for (Reading r : out) {
            lastPublished.put(r.tag(), r.value());
        }
        return out;
    }

    private double drift(SensorSpec s, double ageH) {
        return driftSign.getOrDefault(s.tag(), 1.0) * s.driftPerDay() * ageH / 24 * settings.driftScale();
    }

    private List<LabResult> release(double now) {
        List<LabResult> due = new ArrayList<>();
        pendingLab.removeIf(r -> {
            if (r.releaseAgeH() <= now + 1e-9) {
                due.add(r);
                return true;
            }
            return false;
        });
        due.sort(Comparator.comparingDouble(LabResult::samplingAgeH));
        return due;
    }

    private double controlledAirFlow(double demand) {
        AerationSettings a = settings.aeration();
        double q = OxygenTransfer.controllerFlow(a, demand, doSetpointPct);
        if (faultActive(FaultSpec.AERATION_LOSS)) {
            q = Math.min(q, a.lossFraction() * a.airMax()); // the controller opens fully; only this much arrives
        }
        return q;
    }

    /**
     * The schedule of one step: the recipe's profiles, replaced from their time on by operator setpoints, feeds held
     * at 0 while the pump has failed, and only the events in {@code (t0, t1]} (at the first step also those at 0), so
     * that an event on a step boundary is applied exactly once.
     */
    private OperatingSchedule stepSchedule(double t0, double t1) {
        List<InputProfile> profiles = new ArrayList<>();
        boolean pumpFailed = faultActive(FaultSpec.FEED_PUMP_FAILURE);
        for (ModelInput in : binding.inputs) {
            InputProfile p = effectiveProfile(in.name());
            if (pumpFailed && binding.feedInputs.contains(in.name())) {
                p = InputProfile.constant(in.name(), 0);
            }
            if (p != null) {
                profiles.add(p);
            }
        }
        List<ProcessEvent> events = new ArrayList<>();
        for (ProcessEvent e : settings.schedule().events()) {
            if ((stepIndex == 0 ? e.time() >= t0 : e.time() > t0) && e.time() <= t1) {
                events.add(e);
            }
        }
        return new OperatingSchedule(profiles, events);
    }

    private @Nullable InputProfile effectiveProfile(String input) {
        InputProfile base = settings.schedule().profile(input).orElse(null);
        double[] sp = setpoints.get(input);
        if (sp == null) {
            return base;
        }
        List<double[]> points = new ArrayList<>();
        if (base != null) {
            double[] bt = base.times();
            double[] bv = base.values();
            for (int i = 0; i < bt.length && bt[i] < sp[0]; i++) {
                points.add(new double[] {bt[i], bv[i]});
            }
        }
        points.add(sp);
        return new InputProfile(input, points.stream().mapToDouble(q -> q[0]).toArray(),
                points.stream().mapToDouble(q -> q[1]).toArray());
    }

    /** Model inputs at {@code time}: {@code actual} includes a failed feed pump, otherwise the setpoints. */
    private double[] inputsAt(double time, boolean actual) {
        double[] u = new double[binding.inputs.size()];
        boolean pumpFailed = actual && faultActive(FaultSpec.FEED_PUMP_FAILURE);
        for (int i = 0; i < u.length; i++) {
            ModelInput in = binding.inputs.get(i);
            InputProfile p = effectiveProfile(in.name());
            u[i] = p == null ? in.defaultValue() : p.valueAt(time, in.defaultValue());
            if (pumpFailed && binding.feedInputs.contains(in.name())) {
                u[i] = 0;
            }
        }
        return u;
    }

    private double[] observe(double time, double[] state, double[] p, double[] u) {
        double[] z = new double[binding.observables.size()];
        binding.model.observe(time, state, p, u, z);
        return z;
    }

    private static double[] append(double[] a, double v) {
        double[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = v;
        return out;
    }
}
