package org.biotwin.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.ModelDescriptor;
import org.biotwin.api.model.ModelInput;
import org.biotwin.api.model.ModelParameter;
import org.biotwin.api.model.Observable;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.api.model.StateVariable;
import org.biotwin.api.sample.Sample;
import org.biotwin.api.twin.Prediction;
import org.biotwin.api.twin.TwinState;
import org.biotwin.models.cho.internal.ChoMabFedBatchModel;
import org.biotwin.softsensor.internal.RespirationSoftSensorComponent;
import org.biotwin.softsensor.internal.SignalScreeningComponent;
import org.biotwin.softsensor.internal.StateEstimatorComponent;
import org.junit.jupiter.api.Test;

class TwinCoreTest {

    static final KineticModel CHO = new ChoMabFedBatchModel();
    static final String SCHEDULE = "profile:F_feed=0@0,1.25@72";
    static final String[] OBSERVATIONS = {
        "OUR=OUR;sd=0.002;rel=0.03", "weight=volume;rel=0.005", "GLC_lab=glucose;sd=0.05;offline", "VCD_lab=VCD;sd=0.05;rel=0.05;offline",
        "titre_lab=titre;sd=0.005;rel=0.05;offline"};

    /** Collects what a twin emits, as the historian and MQTT would receive it. */
    static final class Recorder implements TwinOutputs {
        final List<TwinState> states = new ArrayList<>();
        final List<String> alarms = new ArrayList<>();
        final List<String> exclusions = new ArrayList<>();

        @Override
        public void estimate(TwinState state) {
            states.add(state);
        }

        @Override
        public void prediction(Prediction prediction) {
        }

        @Override
        public void alarm(String unit, String kind, String message) {
            alarms.add(kind + ": " + message);
        }

        @Override
        public void exclusion(Sample sample, String reason) {
            exclusions.add(sample.tag() + ": " + reason);
        }
    }

    static TwinSettings settings(Map<String, Object> extra) {
        Map<String, Object> v = new java.util.HashMap<>(Map.of("unit", VirtualChoRun.UNIT, "modelId",
                "cho.mab.fedbatch", "observations", OBSERVATIONS, "schedule", SCHEDULE, "initialState",
                new String[] {"Xv=0.5", "GLC=30"}, "batchStart", VirtualChoRun.START.toString()));
        v.putAll(extra);
        return TwinSettings.from(TestConfigs.twin(v));
    }

    static TwinCore twin(TwinSettings s, Recorder out) {
        return new TwinCore(s, new StateEstimatorComponent(), new SignalScreeningComponent(),
                new RespirationSoftSensorComponent(), out);
    }

    static void feed(TwinCore twin, List<Sample> samples) {
        for (int i = 0; i < samples.size(); i += 20) { // the connector delivers small batches
            twin.onSamples(samples.subList(i, Math.min(samples.size(), i + 20)), (u, t) -> Optional.empty());
        }
    }

    /** Estimate at the last state published at or before {@code hours}. */
    static TwinState stateAt(Recorder r, double hours) {
        TwinState best = null;
        for (TwinState s : r.states) {
            if (s.batchAge() <= hours + 1e-9 && (best == null || s.batchAge() >= best.batchAge())) {
                best = s;
            }
        }
        return best;
    }

    @Test
    void withThePlantsOwnModelTheEstimatesStayWithinFivePercentAfterTheFirstDay() {
        VirtualChoRun plant = new VirtualChoRun(CHO, CHO.nominalParameters(), OperatingSchedule.parse(SCHEDULE), 120, 11,
                Double.POSITIVE_INFINITY);
        Recorder out = new Recorder();
        TwinCore twin = twin(settings(Map.of()), out);
        twin.activate(new BoundModel(CHO, "test"));
        feed(twin, plant.samplesInArrivalOrder);

        assertThat(out.alarms).isEmpty();
        double worstXv = 0;
        double worstGlc = 0;
        double worstMab = 0;
        for (double h = 24; h <= 120; h += 6) {
            TwinState s = stateAt(out, h);
            int k = plant.index(s.batchAge());
            worstXv = Math.max(worstXv, rel(s.mean("Xv"), plant.truth.state("Xv")[k]));
            worstGlc = Math.max(worstGlc, rel(s.mean("GLC"), plant.truth.state("GLC")[k]));
            worstMab = Math.max(worstMab, rel(s.mean("MAB"), plant.truth.state("MAB")[k]));
        }
        System.out.printf("matched model, worst relative error after day 1: Xv %.4f, GLC %.4f, MAB %.4f%n",
                worstXv, worstGlc, worstMab);
        assertThat(worstXv).isLessThan(0.05);
        assertThat(worstGlc).isLessThan(0.05);
        assertThat(worstMab).isLessThan(0.05);
    }

    @Test
    void withAMismatchedPlantTheEstimatesStillConvergeThroughTheLabResults() {
        double[] plantParameters = CHO.nominalParameters();
        plantParameters[0] *= 1.15; // mu_max: the plant grows 15 % faster than the twin's model says
        plantParameters[17] *= 0.85; // q_mAb: and produces 15 % less antibody per cell
        VirtualChoRun plant = new VirtualChoRun(CHO, plantParameters, OperatingSchedule.parse(SCHEDULE), 120, 14,
                Double.POSITIVE_INFINITY);
        Recorder out = new Recorder();
        // the twin re-estimates the two parameters it cannot trust, as a process engineer would configure it
        TwinCore twin = twin(settings(Map.of("adaptedParameters",
                new String[] {"mu_max;sd=0.2;drift=0.002", "q_mAb;sd=0.3;drift=0.002"})), out);
        twin.activate(new BoundModel(CHO, "test"));
        feed(twin, plant.samplesInArrivalOrder);
        double worstXv = 0;
        double worstGlc = 0;
        double worstMab = 0;
        // the titre follows the model between daily lab results, so it converges once a few have arrived (day 4)
        for (double h = 102; h <= 120; h += 6) {
            TwinState s = stateAt(out, h);
            int k = plant.index(s.batchAge());
            worstXv = Math.max(worstXv, rel(s.mean("Xv"), plant.truth.state("Xv")[k]));
            worstGlc = Math.max(worstGlc, rel(s.mean("GLC"), plant.truth.state("GLC")[k]));
                        worstMab = Math.max(worstMab, rel(s.mean("MAB"), plant.truth.state("MAB")[k]));
        }
        System.out.printf("mismatched plant, worst relative error after 102 h: Xv %.4f, GLC %.4f, MAB %.4f%n",
                worstXv, worstGlc, worstMab);
        TwinState end = stateAt(out, 120);
        System.out.printf("adapted parameters at 120 h: mu_max %.4f (plant %.4f), q_mAb %.3f (plant %.3f)%n",
                end.mean("p.mu_max"), plantParameters[0], end.mean("p.q_mAb"), plantParameters[17]);
        assertThat(worstXv).isLessThan(0.05);
        assertThat(worstGlc).isLessThan(0.05);
        assertThat(worstMab).isLessThan(0.05);
    }

    @Test
    void rawOffGasIsTurnedIntoOurAndCerByTheInertGasBalance() {
        VirtualChoRun plant = new VirtualChoRun(CHO, CHO.nominalParameters(), OperatingSchedule.parse(SCHEDULE), 96, 15,
                Double.POSITIVE_INFINITY, true);
        Recorder out = new Recorder();
        String[] withoutOur = {"weight=volume;rel=0.005", "GLC_lab=glucose;sd=0.05;offline",
            "VCD_lab=VCD;sd=0.05;rel=0.05;offline", "titre_lab=titre;sd=0.005;rel=0.05;offline"};
        TwinCore twin = twin(settings(Map.of("observations", withoutOur, "offGas",
                "o2=offgas.O2;co2=offgas.CO2;air=airflow;rel=0.03")), out);
        twin.activate(new BoundModel(CHO, "test"));
        feed(twin, plant.samplesInArrivalOrder);
        assertThat(out.exclusions).noneMatch(e -> e.contains("off-gas balance"));
        double worstXv = 0;
        for (double h = 24; h <= 96; h += 6) {
            TwinState s = stateAt(out, h);
            worstXv = Math.max(worstXv, rel(s.mean("Xv"), plant.truth.state("Xv")[plant.index(s.batchAge())]));
        }
        System.out.printf("raw off-gas (O2, CO2, air flow) through the inert-gas balance: worst Xv error after day 1 "
                + "%.4f%n", worstXv);
        assertThat(worstXv).isLessThan(0.05);
    }

    @Test
    void anAerationLossIsFlaggedAsDrift() {
        double lossAt = 60;
        VirtualChoRun plant = new VirtualChoRun(CHO, CHO.nominalParameters(), OperatingSchedule.parse(SCHEDULE), 72, 12,
                lossAt);
        Recorder out = new Recorder();
        TwinCore twin = twin(settings(Map.of()), out);
        twin.activate(new BoundModel(CHO, "test"));
        double detectedAt = Double.NaN;
        for (Sample s : plant.samplesInArrivalOrder) {
            twin.onSamples(List.of(s), (u, t) -> Optional.empty());
            if (twin.driftAlarmed() && Double.isNaN(detectedAt)) {
                detectedAt = twin.age(s.timestamp());
            }
        }
        assertThat(detectedAt).as("no drift before the fault").isGreaterThanOrEqualTo(lossAt);
        System.out.printf("aeration loss at %.1f h flagged at %.3f h (%.0f min)%n", lossAt, detectedAt,
                (detectedAt - lossAt) * 60);
        assertThat(detectedAt - lossAt).as("detection delay, h").isLessThan(0.5);
        assertThat(out.alarms).anyMatch(a -> a.startsWith("drift:") && a.contains("cho.mab.fedbatch:1.0.0"));
    }

    @Test
    void aModelSwapHandsTheStateOverByNameWithoutAReset() {
        VirtualChoRun plant = new VirtualChoRun(CHO, CHO.nominalParameters(), OperatingSchedule.parse(SCHEDULE), 48, 13,
                Double.POSITIVE_INFINITY);
        Recorder out = new Recorder();
        TwinCore twin = twin(settings(Map.of()), out);
        twin.activate(new BoundModel(CHO, "v1"));
        List<Sample> samples = plant.samplesInArrivalOrder;
        int half = samples.size() / 2;
        feed(twin, samples.subList(0, half));
        TwinState before = twin.state().orElseThrow();
        twin.activate(new BoundModel(new Renamed(CHO, "1.1.0"), "v11"));
        TwinState after = twin.state().orElseThrow();
        assertThat(after.lineage().modelVersion()).isEqualTo("1.1.0");
        assertThat(after.batchAge()).isEqualTo(before.batchAge());
        for (String name : before.stateNames()) {
            assertThat(after.mean(name)).isEqualTo(before.mean(name));
            assertThat(after.standardDeviation(name)).isEqualTo(before.standardDeviation(name));
        }
        feed(twin, samples.subList(half, samples.size()));
        TwinState end = twin.state().orElseThrow();
        assertThat(end.mean("Xv")).isCloseTo(plant.truth.state("Xv")[plant.index(end.batchAge())],
                within(0.05 * end.mean("Xv")));
    }

    @Test
    void withoutAModelSamplesAreCountedAndOneAlarmRaised() {
        Recorder out = new Recorder();
        TwinCore twin = twin(settings(Map.of()), out);
        Instant t = VirtualChoRun.START.plusSeconds(60);
        twin.onSamples(List.of(Sample.of("BR-101", "OUR", t, 0.1, "mmol/L/h"),
                Sample.of("BR-101", "OUR", t.plusSeconds(60), 0.1, "mmol/L/h")), (u, x) -> Optional.empty());
        assertThat(twin.samplesWithoutModel()).isEqualTo(2);
        assertThat(out.alarms).hasSize(1).allMatch(a -> a.contains("no model 'cho.mab.fedbatch'"));
        assertThat(twin.state()).isEmpty();
    }

    @Test
    void configurationErrorsNameTheProperty() {
        assertThatThrownBy(() -> settings(Map.of("observations", new String[0])))
                .hasMessageContaining("'observations' is required");
        assertThatThrownBy(() -> settings(Map.of("observations", new String[] {"OUR=OUR"})))
                .hasMessageContaining("needs sd=");
        assertThatThrownBy(() -> settings(Map.of("schedule", "profile:F_feed=1@x")))
                .hasMessageContaining("'schedule'");
        assertThatThrownBy(() -> settings(Map.of("batchStart", "yesterday")))
                .hasMessageContaining("'batchStart'");
        TwinCore twin = twin(settings(Map.of("observations", new String[] {"X=biomass;sd=1"})), new Recorder());
        assertThatThrownBy(() -> twin.activate(new BoundModel(CHO, "x")))
                .hasMessageContaining("no observable or state 'biomass'");
    }

    private static double rel(double estimate, double truth) {
        return Math.abs(estimate - truth) / Math.max(Math.abs(truth), 1e-9);
    }

    /** The same kinetics under another version, as a re-released model bundle would be. */
    record Renamed(KineticModel delegate, String version) implements KineticModel {
        @Override
        public ModelDescriptor descriptor() {
            ModelDescriptor d = delegate.descriptor();
            return new ModelDescriptor(d.id(), version, d.name(), d.organism(), d.process(), d.source(),
                    d.validity());
        }

        @Override
        public List<StateVariable> states() {
            return delegate.states();
        }

        @Override
        public List<ModelParameter> parameters() {
            return delegate.parameters();
        }

        @Override
        public List<ModelInput> inputs() {
            return delegate.inputs();
        }

        @Override
        public List<Observable> observables() {
            return delegate.observables();
        }

        @Override
        public void derivatives(double t, double[] y, double[] p, double[] u, double[] yDot) {
            delegate.derivatives(t, y, p, u, yDot);
        }

        @Override
        public void observe(double t, double[] y, double[] p, double[] u, double[] z) {
            delegate.observe(t, y, p, u, z);
        }
    }
}
