package org.biotwin.engine.internal;

import org.biotwin.api.estimation.FilterKind;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Metatype of one twin (factory PID {@value TwinComponent#PID}); one configuration per bioreactor unit. */
@ObjectClassDefinition(name = "BioTwin twin", description = "The digital twin of one bioreactor unit: which model, "
        + "which plant tags feed which model observables, how to filter, and when to predict.")
@interface TwinConfiguration {

    @AttributeDefinition(name = "Unit", description = "ISA-88 unit id of the bioreactor, as in the samples (e.g. BR-101).")
    String unit();

    @AttributeDefinition(name = "Model id", description = "Id of the kinetic model the twin runs (service property "
            + "biotwin.model.id), e.g. cho.mab.fedbatch.")
    String modelId();

    @AttributeDefinition(name = "Model version", description = "Pin a model version (major.minor.patch); empty means "
            + "the highest version available.", required = false)
    String modelVersion() default "";

    @AttributeDefinition(name = "Observations", description = "One entry per plant tag fused by the filter: "
            + "tag=observable;sd=<absolute standard deviation>[;rel=<relative sd>][;offline]. Offline entries (lab "
            + "results) are fused one by one at their sampling time; online entries as window means.")
    String[] observations();

    @AttributeDefinition(name = "Off-gas", description = "Raw off-gas tags to turn into OUR and CER by the inert-gas "
            + "balance (respiration soft sensor): o2=<exhaust O2 tag>;co2=<exhaust CO2 tag>;air=<air flow tag, "
            + "NL/min>[;o2in=0.2095][;co2in=0.0004][;molarVolume=22.414][;rel=0.03]. Mole fractions, dry. Empty: off.",
            required = false)
    String offGas() default "";

    @AttributeDefinition(name = "Initial state", description = "Overrides of the model's nominal initial state: "
            + "state=value, in the state's unit.", required = false)
    String[] initialState() default {};

    @AttributeDefinition(name = "Initial relative uncertainty", description = "Standard deviation of the initial "
            + "estimate, relative to each state's initial value.")
    double initialRelativeSd() default 0.2;

    @AttributeDefinition(name = "Process noise", description = "Relative model error per square-root hour: state i "
            + "gains variance (q·x_i)² per hour, plus (q·absTolerance_i)² as a floor.")
    double relativeProcessNoise() default 0.02;

    @AttributeDefinition(name = "Adapted parameters", description = "Model parameters re-estimated online with the "
            + "states (state augmentation): name;sd=<prior sd relative to nominal>;drift=<relative random walk per "
            + "square-root hour>. Their estimates and uncertainty carry into the predictions.", required = false)
    String[] adaptedParameters() default {};

    @AttributeDefinition(name = "Filter", description = "Extended or unscented Kalman filter.")
    FilterKind filter() default FilterKind.EKF;

    @AttributeDefinition(name = "Fuse window (s)", description = "Online signals are fused as means over this window; "
            + "0 fuses every sample.")
    double fuseWindowSeconds() default 60;

    @AttributeDefinition(name = "History (h)", description = "How late a lab result may arrive and still be fused "
            + "at its sampling time.")
    double historyHours() default 24;

    @AttributeDefinition(name = "Innovation gate (sigma)", description = "Observations further than this from the "
            + "prediction are rejected as outliers.")
    double gateSigma() default 6;

    @AttributeDefinition(name = "Schedule", description = "Planned operation for predictions, entries separated by "
            + "';': profile:<input>=<value>@<h>,<value>@<h>... | bolus:<h>=<L>{state=content,...} | "
            + "withdrawal:<h>=<L>. Empty: inputs at their defaults.", required = false)
    String schedule() default "";

    @AttributeDefinition(name = "Harvest age (h)", description = "Planned batch age at harvest; the end of every "
            + "prediction.")
    double harvestAgeHours() default 336;

    @AttributeDefinition(name = "Prediction interval (s)", description = "How often the end-of-batch prediction is "
            + "recomputed; 0 disables predictions.")
    double predictionIntervalSeconds() default 60;

    @AttributeDefinition(name = "Ensemble size", description = "Monte Carlo members behind each prediction band.")
    int ensembleSize() default 200;

    @AttributeDefinition(name = "Batch start", description = "ISO-8601 start of the batch when no batch record "
            + "gives one; empty means the time of the first sample.", required = false)
    String batchStart() default "";

    @AttributeDefinition(name = "Drift slack (sigma)", description = "CUSUM reference value k on normalised "
            + "innovations.")
    double driftSlack() default 0.5;

    @AttributeDefinition(name = "Drift limit (sigma)", description = "CUSUM decision interval h; crossing it raises "
            + "the drift alarm.")
    double driftLimit() default 8;

    @AttributeDefinition(name = "Golden batches", description = "Ids of good historical batches in the historian; "
            + "their envelope over batch maturity is compared with the live batch. At least 3.", required = false)
    String[] goldenBatches() default {};

    @AttributeDefinition(name = "Golden-batch bin (h)", description = "Width of the maturity bins of the envelope.")
    double goldenBinHours() default 2;

    @AttributeDefinition(name = "Golden-batch limit (sigma)", description = "Half-width of the envelope in "
            + "standard deviations of the good batches.")
    double goldenSigma() default 3;

    @AttributeDefinition(name = "Twin topic prefix", description = "MQTT prefix of the twin outputs: "
            + "<prefix>/<unit>/state, /prediction, /alarm.")
    String topicPrefix() default "biotwin/twin";
}
