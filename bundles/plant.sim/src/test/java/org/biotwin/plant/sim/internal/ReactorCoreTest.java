package org.biotwin.plant.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.biotwin.api.estimation.OffGasReading;
import org.biotwin.api.model.KineticModel;
import org.biotwin.kinetics.internal.sim.SimulatorComponent;
import org.biotwin.models.cho.internal.ChoMabFedBatchModel;
import org.biotwin.softsensor.internal.RespirationSoftSensorComponent;
import org.junit.jupiter.api.Test;

/** The plant in simulated time, without clock or broker: a real model, the real kinetic core. */
class ReactorCoreTest {

    static final KineticModel CHO = new ChoMabFedBatchModel();
    static final SimulatorComponent SIMULATOR = new SimulatorComponent();
    static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

    static ReactorCore core(Object... kv) {
        return new ReactorCore(TestConfigs.settings(TestConfigs.cho(kv)), CHO, SIMULATOR, START);
    }

    static Map<String, Double> values(ReactorCore.Output o) {
        Map<String, Double> m = new java.util.LinkedHashMap<>();
        o.online().forEach(r -> m.put(r.tag(), r.value()));
        return m;
    }

    static ReactorCore.Output run(ReactorCore c, double untilH) {
        ReactorCore.Output last = null;
        for (int i = 0; i < 100_000 && c.ageH() < untilH - 1e-9; i++) {
            last = c.step();
        }
        return last;
    }

    @Test
    void noiseFreeReadingsAreTheModelsVolumeAndOurAndTheStepAdvancesTheSamplePeriod() {
        ReactorCore c = core("noise_scale", 0.0, "drift_scale", 0.0, "schedule", "profile:F_feed=0.5@0");
        ReactorCore.Output o = run(c, 12);
        assertThat(o.ageH()).isCloseTo(12, within(1e-9));
        ReactorCore.Truth t = c.truth();
        Map<String, Double> v = values(o);
        assertThat(v.get("volume")).isCloseTo(t.states().get("V"), within(1e-9));
        assertThat(t.states().get("V")).isCloseTo(1000 + 0.5 * 12, within(1e-6)); // fed 0.5 L/h
        assertThat(v.get("weight")).isCloseTo(t.states().get("V") * 1.0, within(1e-9));
        assertThat(v.get("OUR")).isCloseTo(t.observables().get("OUR"), within(1e-9 * t.observables().get("OUR")));
        assertThat(v.get("CER")).isCloseTo(t.observables().get("CER"), within(1e-9 * t.observables().get("CER")));
        assertThat(v.get("F_feed")).isEqualTo(0.5);
        assertThat(v.get("F_feed.sp")).isEqualTo(0.5);
        assertThat(v.get("T")).isCloseTo(36.5, within(1e-9));
        assertThat(v.get("pH")).isCloseTo(7.0, within(1e-9));
        assertThat(v.get("DO")).isBetween(39.0, 101.0);
        assertThat(o.online()).extracting(ReactorCore.Reading::tag).containsExactlyInAnyOrder("DO", "pH", "T",
                "offgas.O2", "offgas.CO2", "airflow", "volume", "weight", "F_feed", "F_feed.sp", "OUR", "CER");
    }

    @Test
    void noisyOffGasInvertsBackToTheModelsOurWithinTheAnalyserNoise() {
        ReactorCore c = core("drift_scale", 0.0, "seed", 7L);
        RespirationSoftSensorComponent soft = new RespirationSoftSensorComponent();
        List<Double> rel = new ArrayList<>();
        for (int i = 0; i < 24 * 60; i++) { // one day, one reading per minute
            ReactorCore.Output o = c.step();
            Map<String, Double> v = values(o);
            double truthOur = c.truth().observables().get("OUR");
            double our = soft.rates(new OffGasReading(o.ageH(), v.get("airflow"), 0.2095, 0.0004, v.get("offgas.O2"),
                    v.get("offgas.CO2"), v.get("volume")), 22.414).our();
            rel.add(our / truthOur - 1);
            assertThat(our).isCloseTo(v.get("OUR"), within(1e-9 * Math.abs(our) + 1e-12));
        }
        double mean = rel.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double sd = Math.sqrt(rel.stream().mapToDouble(r -> (r - mean) * (r - mean)).sum() / (rel.size() - 1));
        System.out.printf("OUR from noisy off-gas vs model: mean rel. error %.4f, sd %.4f (n=%d)%n", mean, sd, rel.size());
        assertThat(Math.abs(mean)).isLessThan(0.005); // unbiased
        assertThat(sd).isBetween(0.002, 0.05); // noisy, at the analyser's level
    }

    @Test
    void labResultsAreReleasedAfterTheDelayWithTheirSamplingTime() {
        ReactorCore c = core("lab_first_h", 2.0, "lab_interval_h", 0.0, "lab_times_h", new String[] {"2", "3.5"},
                "lab_delay_h", 4.0, "noise_scale", 0.0);
        List<ReactorCore.LabResult> released = new ArrayList<>();
        double[] releasedAt = new double[2];
        for (int i = 0; i < 10 * 60; i++) {
            ReactorCore.Output o = c.step();
            for (ReactorCore.LabResult r : o.released()) {
                released.add(r);
                releasedAt[r.samplingAgeH() == 2.0 ? 0 : 1] = o.ageH();
            }
        }
        assertThat(released).extracting(ReactorCore.LabResult::tag).containsExactly(
                "VCD_lab", "viability_lab", "GLC_lab", "LAC_lab", "titre_lab",
                "VCD_lab", "viability_lab", "GLC_lab", "LAC_lab", "titre_lab");
        assertThat(releasedAt[0]).isCloseTo(6.0, within(1e-9));
        assertThat(releasedAt[1]).isCloseTo(7.5, within(1e-9));
        assertThat(released.get(0).samplingAgeH()).isEqualTo(2.0);
        assertThat(c.timestamp(released.get(0).samplingAgeH())).isEqualTo(Instant.parse("2026-03-01T02:00:00Z"));
        assertThat(released.get(0).uom()).isEqualTo("10*6{cells}/mL");
        // Noise-free: the result is the model's observable at the sampling time (VCD = Xv in 1e6/mL).
        ReactorCore ref = core("noise_scale", 0.0);
        run(ref, 2.0);
        assertThat(released.get(0).value()).isCloseTo(ref.truth().observables().get("VCD"), within(1e-6));
        assertThat(released.get(2).value()).isCloseTo(ref.truth().observables().get("glucose"), within(1e-6));
    }

    @Test
    void aFeedPumpFailureStopsTheFlowWhileTheSetpointStays() {
        ReactorCore c = core("noise_scale", 0.0, "schedule", "profile:F_feed=1.25@0");
        run(c, 1);
        double v1 = c.truth().states().get("V");
        c.fault("feed_pump_failure", true);
        ReactorCore.Output o = run(c, 3);
        assertThat(values(o).get("F_feed")).isEqualTo(0.0);
        assertThat(values(o).get("F_feed.sp")).isEqualTo(1.25);
        assertThat(c.truth().states().get("V")).isCloseTo(v1, within(1e-9)); // nothing was fed
        c.fault("feed_pump_failure", false);
        o = run(c, 5);
        assertThat(values(o).get("F_feed")).isEqualTo(1.25);
        assertThat(c.truth().states().get("V")).isCloseTo(v1 + 2 * 1.25, within(1e-6));
    }

    @Test
    void anAerationLossDropsDoLimitsUptakeAndSlowsGrowth() {
        Object[] cfg = {"noise_scale", 0.0, "drift_scale", 0.0, "sample_period_s", 300.0,
            "initial_state", new String[] {"Xv=3"}};
        ReactorCore healthy = core(cfg);
        ReactorCore faulty = core(cfg);
        run(healthy, 2);
        run(faulty, 2);
        faulty.fault("aeration_loss", true);
        ReactorCore.Output h = run(healthy, 24);
        ReactorCore.Output f = run(faulty, 24);
        ReactorCore.Truth ht = healthy.truth();
        ReactorCore.Truth ft = faulty.truth();
        System.out.printf("aeration loss at 24 h: DO %.2f %% (healthy %.2f), OUR %.3f (healthy %.3f), Xv %.3f "
                + "(healthy %.3f), air %.1f NL/min, limitation %.3f%n", ft.doPercent(), ht.doPercent(),
                ft.observables().get("OUR"), ht.observables().get("OUR"), ft.states().get("Xv"),
                ht.states().get("Xv"), ft.airFlow(), ft.oxygenLimitation());
        assertThat(ht.doPercent()).isCloseTo(40, within(1.0));
        assertThat(ft.doPercent()).isLessThan(5.0);
        assertThat(values(f).get("DO")).isLessThan(5.0);
        assertThat(ft.airFlow()).isCloseTo(10.0, within(1e-9)); // 5 % of 200 NL/min reaches the sparger
        assertThat(ft.oxygenLimitation()).isLessThan(1.0);
        // Uptake is capped by the transfer capacity kLa C*; growth is slower.
        assertThat(ft.observables().get("OUR")).isLessThan(ft.kla() * 0.2 + 1e-9);
        assertThat(ft.observables().get("OUR")).isLessThan(0.8 * ht.observables().get("OUR"));
        assertThat(ft.states().get("Xv")).isLessThan(ht.states().get("Xv"));
        assertThat(values(f).get("OUR")).isCloseTo(ft.observables().get("OUR"), within(1e-9));
    }

    @Test
    void aFrozenSensorRepeatsItsLastValueWhileTheOthersMove() {
        ReactorCore c = core("seed", 3L);
        run(c, 1);
        c.fault("freeze:DO", true);
        ReactorCore.Output a = c.step();
        ReactorCore.Output b = c.step();
        ReactorCore.Output d = run(c, 2);
        assertThat(values(b).get("DO")).isEqualTo(values(a).get("DO"));
        assertThat(values(d).get("DO")).isEqualTo(values(a).get("DO"));
        assertThat(values(b).get("pH")).isNotEqualTo(values(a).get("pH"));
        assertThat(c.activeFaults()).containsExactly("freeze:DO");
        assertThatThrownBy(() -> c.fault("freeze:nosuchtag", true)).hasMessageContaining("not an online tag");
        assertThatThrownBy(() -> c.fault("meltdown", true)).hasMessageContaining("unknown fault 'meltdown'");
    }

    @Test
    void configuredFaultWindowsSwitchByBatchAge() {
        ReactorCore c = core("noise_scale", 0.0, "schedule", "profile:F_feed=1@0",
                "faults", new String[] {"feed_pump_failure@1-2"});
        assertThat(values(run(c, 0.5)).get("F_feed")).isEqualTo(1.0);
        assertThat(values(run(c, 1.5)).get("F_feed")).isEqualTo(0.0);
        assertThat(values(run(c, 2.5)).get("F_feed")).isEqualTo(1.0);
    }

    @Test
    void sensorDriftGrowsLinearlyWithBatchAgeAtTheDocumentedRate() {
        ReactorCore c = core("noise_scale", 0.0, "drift_scale", 1.0);
        run(c, 48);
        ReactorCore.Truth t = c.truth();
        assertThat(Math.abs(t.drift().get("DO"))).isCloseTo(0.2 * 2, within(1e-9)); // 0.2 %-points per day
        assertThat(Math.abs(t.drift().get("pH"))).isCloseTo(0.003 * 2, within(1e-12));
        assertThat(t.drift().get("volume")).isEqualTo(0.0);
    }

    @Test
    void setpointsChangeTheInputFromNowOnAndInvalidOnesAreRejectedWithAReason() {
        ReactorCore c = core("noise_scale", 0.0, "schedule", "profile:F_feed=0@0,1.25@72");
        run(c, 1);
        c.setpoint("F_feed", 2.0);
        ReactorCore.Output o = run(c, 2);
        assertThat(values(o).get("F_feed")).isEqualTo(2.0);
        assertThat(c.truth().states().get("V")).isCloseTo(1002, within(1e-6));
        c.setpoint("T_set", 33.0);
        o = run(c, 6);
        assertThat(values(o).get("T")).isCloseTo(33.0, within(0.01)); // 4 h ≫ the 30 min loop
        assertThatThrownBy(() -> c.setpoint("F_feed", 5000)).hasMessageContaining("outside the input's bounds");
        assertThatThrownBy(() -> c.setpoint("F_feed", -1)).hasMessageContaining("outside the input's bounds");
        assertThatThrownBy(() -> c.setpoint("F_fed", 1)).hasMessageContaining("'F_fed' is not an input")
                .hasMessageContaining("F_feed");
        assertThatThrownBy(() -> c.setpoint("pH_set", 11)).hasMessageContaining("outside [5.0, 8.5]");
        assertThatThrownBy(() -> c.setpoint("F_feed", Double.NaN)).hasMessageContaining("not finite");
        assertThat(values(c.step()).get("F_feed")).isEqualTo(2.0); // nothing accepted was lost
    }

    @Test
    void aParameterOverrideMakesThePlantDifferFromTheModel() {
        ReactorCore nominal = core("noise_scale", 0.0);
        ReactorCore faster = core("noise_scale", 0.0, "parameters", new String[] {"mu_max=0.0334"});
        run(nominal, 48);
        run(faster, 48);
        assertThat(faster.truth().states().get("Xv")).isGreaterThan(1.05 * nominal.truth().states().get("Xv"));
    }

    @Test
    void configurationThatDoesNotFitTheModelIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> core("parameters", new String[] {"mu_maxx=0.03"}))
                .hasMessageContaining("property 'parameters'").hasMessageContaining("'mu_maxx' is not a parameter")
                .hasMessageContaining("cho.mab.fedbatch:1.0.0");
        assertThatThrownBy(() -> core("parameters", new String[] {"mu_max=7"}))
                .hasMessageContaining("outside its bounds");
        assertThatThrownBy(() -> core("initial_state", new String[] {"Q=1"}))
                .hasMessageContaining("property 'initial.state'");
        assertThatThrownBy(() -> core("schedule", "profile:F_in=1@0"))
                .hasMessageContaining("property 'schedule'").hasMessageContaining("'F_in': not an input");
        assertThatThrownBy(() -> core("lab_assays", new String[] {"X_lab=biomass"}))
                .hasMessageContaining("property 'lab.assays'").hasMessageContaining("'biomass'");
        assertThatThrownBy(() -> core("oxygen_limited_parameters", new String[] {"q_O3"}))
                .hasMessageContaining("property 'oxygen.limited.parameters'");
        assertThatThrownBy(() -> core("faults", new String[] {"freeze:XYZ"}))
                .hasMessageContaining("'XYZ' is not an online tag");
    }

    @Test
    void theSameSeedGivesTheSameReadings() {
        ReactorCore a = core("seed", 42L);
        ReactorCore b = core("seed", 42L);
        assertThat(run(a, 1).online()).isEqualTo(run(b, 1).online());
    }

    @Test
    void afterTheBatchTheProcessStopsAndPendingLabResultsAreStillReleased() {
        ReactorCore c = core("batch_duration_h", 3.0, "lab_first_h", 2.5, "lab_delay_h", 2.0, "sample_period_s", 600.0);
        List<ReactorCore.LabResult> lab = new ArrayList<>();
        int steps = 0;
        while (!c.finished() && steps++ < 100) {
            ReactorCore.Output o = c.step();
            lab.addAll(o.released());
            if (o.ageH() > 3.0 + 1e-9) {
                assertThat(o.online()).isEmpty();
            }
        }
        assertThat(c.finished()).isTrue();
        assertThat(lab).hasSize(5).allMatch(r -> r.samplingAgeH() == 2.5);
        assertThat(c.truth().ageH()).isCloseTo(4.5, within(1e-9));
    }
}
