package org.biotwin.plant.sim.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Metatype of one simulated bioreactor (factory PID {@value ReactorSettings#FACTORY_PID}). Parsed and checked by
 * {@link ReactorSettings#from}; the README has the same table.
 */
@ObjectClassDefinition(
        id = ReactorSettings.FACTORY_PID,
        name = "BioTwin simulated bioreactor",
        description = "One virtual bioreactor: a real kinetic model integrated by the kinetic core, publishing noisy "
                + "online signals and late lab results over MQTT v5 and obeying setpoint topics. For demos and tests; "
                + "never point it at a production broker's real unit ids.")
@interface PlantConfiguration {

    @AttributeDefinition(name = "Unit", description = "ISA-88 unit id of the bioreactor, for example BR-101; one MQTT "
            + "topic level (no '/', '+', '#', spaces).")
    String unit();

    @AttributeDefinition(name = "Model id", description = "biotwin.model.id of the KineticModel service that is the "
            + "plant's 'true' process, for example cho.mab.fedbatch.")
    String model_id();

    @AttributeDefinition(name = "Model version", required = false, description = "Pin a model version "
            + "(major.minor.patch); empty = the highest version available.")
    String model_version() default "";

    @AttributeDefinition(name = "Parameter overrides", required = false, description = "'name=value' per parameter, "
            + "in the parameter's unit, to make the plant deliberately differ from a twin's model, for example "
            + "'mu_max=0.0334'. Checked against the model's parameter bounds.")
    String[] parameters() default {};

    @AttributeDefinition(name = "Initial state overrides", required = false, description = "'state=value' per state, "
            + "in the state's unit, for example 'Xv=0.5', 'GLC=30'. Others start at the model's nominal value.")
    String[] initial_state() default {};

    @AttributeDefinition(name = "Operating schedule", required = false, description = "Recipe, entries separated by "
            + "';': 'profile:F_feed=0@0,1.25@72' (value@batch-age-h), 'bolus:72=50{GLC=300}' (L at h, content per "
            + "state), 'withdrawal:24=0.01' (L at h). Same format as the twin engine's schedule.")
    String schedule() default "";

    @AttributeDefinition(name = "Clock acceleration", description = "Simulated time per real time: 1 = real time, "
            + "60 = one simulated hour per real minute. Range 0.001 to 1e6.")
    double acceleration() default ReactorSettings.DEFAULT_ACCELERATION;

    @AttributeDefinition(name = "Sample period (simulated s)", description = "Simulated seconds between two online "
            + "readings; also the integration step of the plant loop. Range 1 to 3600.")
    double sample_period_s() default ReactorSettings.DEFAULT_SAMPLE_PERIOD_S;

    @AttributeDefinition(name = "Batch duration (h)", description = "Batch age at which the batch ends (harvest).")
    double batch_duration_h() default ReactorSettings.DEFAULT_BATCH_DURATION_H;

    @AttributeDefinition(name = "Restart at batch end", description = "If true, a new batch starts from the initial "
            + "state when one ends; otherwise the reactor stops publishing readings at the end of the batch.")
    boolean batch_restart() default false;

    @AttributeDefinition(name = "Batch start", required = false, description = "ISO-8601 instant of batch age 0 "
            + "(timestamps are batch start + simulated age); empty = the activation time. With an acceleration above "
            + "1 the timestamps run ahead of the wall clock: widen the connector's timestamp.max.future.s.")
    String batch_start() default "";

    @AttributeDefinition(name = "Broker URI", description = "tcp://host:port (or ssl://) of the plant MQTT v5 broker.")
    String broker_uri() default "tcp://127.0.0.1:1883";

    @AttributeDefinition(name = "Client id", required = false, description = "Fixed MQTT client id; empty = "
            + "biotwin-plant-<unit>. The persistent session (setpoints queued while away) is keyed on it.")
    String client_id() default "";

    @AttributeDefinition(name = "Topic prefix", description = "Readings go to <prefix>/<unit> (batch payload) or "
            + "<prefix>/<unit>/<tag> (single payloads); setpoints are read from <prefix>/<unit>/setpoint/<input>.")
    String topic_prefix() default "plant";

    @AttributeDefinition(name = "Payload mode", description = "BATCH: one JSON message per reading cycle with all "
            + "tags; SINGLE: one JSON message per tag.",
            options = {@Option(label = "Batch", value = "BATCH"), @Option(label = "Single", value = "SINGLE")})
    String payload_mode() default "BATCH";

    @AttributeDefinition(name = "Random seed", description = "Seed of the noise and drift generator; the same seed "
            + "and configuration give the same readings.")
    long seed() default 1L;

    @AttributeDefinition(name = "Noise scale", description = "Factor on every documented sensor and assay noise "
            + "standard deviation; 0 = noise-free readings.")
    double noise_scale() default 1.0;

    @AttributeDefinition(name = "Drift scale", description = "Factor on every documented sensor drift rate; 0 = no "
            + "drift.")
    double drift_scale() default 1.0;

    @AttributeDefinition(name = "Lab assays", required = false, description = "'tag=observable;sd=<abs>;rel=<rel>' "
            + "per offline assay: the tag published, the model observable it measures, and the assay noise (absolute "
            + "sd in the observable's unit and relative sd).")
    String[] lab_assays() default {"VCD_lab=VCD;rel=0.05", "viability_lab=viability;sd=1.5",
        "GLC_lab=glucose;sd=0.05;rel=0.02", "LAC_lab=lactate;sd=0.05;rel=0.02", "titre_lab=titre;sd=0.01;rel=0.05"};

    @AttributeDefinition(name = "Lab sampling interval (h)", description = "Simulated hours between two offline "
            + "samples; 0 = only the explicit times.")
    double lab_interval_h() default 24;

    @AttributeDefinition(name = "First lab sample (h)", description = "Batch age of the first periodic sample.")
    double lab_first_h() default 24;

    @AttributeDefinition(name = "Extra lab sampling times (h)", required = false, description = "Additional batch "
            + "ages at which a sample is taken.")
    String[] lab_times_h() default {};

    @AttributeDefinition(name = "Lab delay (h)", description = "Simulated hours between sampling and the release of "
            + "the result; results carry their sampling time stamp.")
    double lab_delay_h() default 4;

    @AttributeDefinition(name = "Lab sample volume (L)", description = "Broth removed by each offline sample, "
            + "applied to the model as a withdrawal; 0 = none.")
    double lab_sample_volume_l() default 0;

    @AttributeDefinition(name = "Faults", required = false, description = "Faults active by configuration: "
            + "'aeration_loss', 'feed_pump_failure', 'freeze:<tag>', each optionally '@<from h>' or "
            + "'@<from h>-<to h>' (batch age). Commands on <prefix>/<unit>/command/fault override them at run time.")
    String[] faults() default {};

    @AttributeDefinition(name = "Feed inputs", description = "Model inputs that are pumped feeds: published as tags "
            + "<input> (measured flow) and <input>.sp (setpoint); a feed pump failure sets their flow to 0.")
    String[] feed_inputs() default {"F_feed"};

    @AttributeDefinition(name = "OUR observable", description = "Model observable of the oxygen uptake rate, "
            + "mmol/L/h.")
    String our_observable() default "OUR";

    @AttributeDefinition(name = "CER observable", description = "Model observable of the CO2 evolution rate, mmol/L/h.")
    String cer_observable() default "CER";

    @AttributeDefinition(name = "Oxygen-limited parameters", required = false, description = "Model parameters "
            + "scaled by the oxygen-limitation factor when dissolved oxygen falls below the critical level (growth "
            + "and specific uptake), for example mu_max and q_O2 of cho.mab.fedbatch. Empty for a model with its own "
            + "oxygen balance.")
    String[] oxygen_limited_parameters() default {"mu_max", "q_O2"};

    @AttributeDefinition(name = "DO setpoint (%)", description = "Dissolved oxygen setpoint, % of air saturation. "
            + "Also settable at run time as setpoint DO_set.")
    double do_setpoint() default 40;

    @AttributeDefinition(name = "DO critical (%)", description = "Below this dissolved oxygen (% air saturation) "
            + "uptake and growth fall in proportion to DO.")
    double do_critical() default 5;

    @AttributeDefinition(name = "O2 solubility (mmol/L)", description = "Dissolved O2 at 100 % air saturation.")
    double do_saturation_mmol_l() default 0.2;

    @AttributeDefinition(name = "Minimum air flow (NL/min)", description = "Lower limit of the DO controller's air "
            + "flow.")
    double air_flow_min() default 5;

    @AttributeDefinition(name = "Maximum air flow (NL/min)", description = "Upper limit of the air flow (mass flow "
            + "controller range).")
    double air_flow_max() default 200;

    @AttributeDefinition(name = "Reference air flow (NL/min)", description = "Air flow at which kLa equals the "
            + "reference kLa.")
    double air_flow_ref() default 50;

    @AttributeDefinition(name = "Reference kLa (1/h)", description = "Volumetric O2 transfer coefficient at the "
            + "reference air flow.")
    double kla_ref() default 8;

    @AttributeDefinition(name = "kLa exponent", description = "kLa = kLa_ref (Q / Q_ref)^exponent.")
    double kla_exponent() default 0.7;

    @AttributeDefinition(name = "Aeration loss fraction", description = "During an aeration loss fault the air flow "
            + "reaching the sparger is this fraction of the maximum air flow.")
    double aeration_loss_fraction() default 0.05;

    @AttributeDefinition(name = "Inlet O2 mole fraction", description = "Dry inlet gas (air 0.2095).")
    double inlet_o2() default 0.2095;

    @AttributeDefinition(name = "Inlet CO2 mole fraction", description = "Dry inlet gas (air about 0.0004).")
    double inlet_co2() default 0.0004;

    @AttributeDefinition(name = "Temperature setpoint (Cel)", description = "Initial broth temperature setpoint; "
            + "setpoint T_set at run time.")
    double temperature_setpoint() default 36.5;

    @AttributeDefinition(name = "pH setpoint", description = "Initial pH setpoint; setpoint pH_set at run time.")
    double ph_setpoint() default 7.0;

    @AttributeDefinition(name = "Broth density (kg/L)", description = "Converts the volume to the weight tag.")
    double density_kg_l() default 1.0;

    @AttributeDefinition(name = "Publish queue (messages)", description = "Bound of the outbound queue between the "
            + "simulation thread and the MQTT sender; when full, readings are dropped and counted, never blocking "
            + "the simulation.")
    int publish_queue_capacity() default 10_000;

    @AttributeDefinition(name = "Maximum in flight", description = "QoS 1 messages awaiting PUBACK at once (further "
            + "limited by the broker's Receive Maximum).")
    int max_inflight() default 64;
}
