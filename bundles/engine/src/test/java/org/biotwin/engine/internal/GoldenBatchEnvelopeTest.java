package org.biotwin.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.api.historian.Series;
import org.biotwin.api.historian.SeriesPoint;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.sample.Quality;
import org.biotwin.api.twin.GoldenBatchBand;
import org.biotwin.kinetics.internal.sim.SimulatorComponent;
import org.junit.jupiter.api.Test;

/** Golden-batch envelope from eight good CHO batches that differ by ±5 % in growth rate, as real good batches do. */
class GoldenBatchEnvelopeTest {

    static Trajectory run(double muFactor) {
        double[] p = TwinCoreTest.CHO.nominalParameters();
        p[0] *= muFactor;
        double[] times = new double[121];
        for (int k = 0; k < times.length; k++) {
            times[k] = k;
        }
        return new SimulatorComponent().simulate(new SimulationRequest(TwinCoreTest.CHO,
                TwinCoreTest.CHO.nominalInitialState(), p, 0, 120, times,
                OperatingSchedule.parse(TwinCoreTest.SCHEDULE), SolverSettings.DEFAULT));
    }

    static List<Series> series(String batch, Instant start, Trajectory t) {
        List<SeriesPoint> our = new ArrayList<>();
        List<SeriesPoint> glc = new ArrayList<>();
        double[] times = t.times();
        for (int k = 0; k < times.length; k++) {
            Instant at = start.plusSeconds(Math.round(times[k] * 3600));
            our.add(new SeriesPoint(at, t.observable("OUR")[k], Quality.GOOD, batch, null));
            glc.add(new SeriesPoint(at, t.observable("glucose")[k], Quality.GOOD, batch, null));
        }
        return List.of(new Series("BR-101", "OUR", "mmol/L/h", our), new Series("BR-101", "GLC", "g/L", glc));
    }

    /** The envelope of eight good batches, mu_max -5 % to +5 %, 2-h bins, 3 sd. */
    private static GoldenBatchEnvelope eightGoodBatches() {
        Map<Instant, List<Series>> good = new HashMap<>();
        double[] factors = {0.95, 0.97, 0.99, 1.0, 1.0, 1.01, 1.03, 1.05};
        for (int b = 0; b < factors.length; b++) {
            Instant start = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(b * 30L * 86400);
            good.put(start, series("G" + b, start, run(factors[b])));
        }
        return GoldenBatchEnvelope.build(good, 2, 3);
    }

    @Test
    void aNormalBatchStaysInsideAndAFastOneLeavesTheEnvelope() {
        GoldenBatchEnvelope env = eightGoodBatches();
        GoldenBatchBand our = env.bands().stream().filter(b -> b.tag().equals("OUR")).findFirst().orElseThrow();
        assertThat(our.batches()[10]).isEqualTo(8);
        assertThat(our.lower()[10]).isLessThan(our.mean()[10]).isLessThan(our.upper()[10]);

        Trajectory normal = run(1.02);
        Trajectory fast = run(1.25);
        int outsideNormal = 0;
        int outsideFast = 0;
        for (int k = 24; k <= 110; k++) {
            outsideNormal += env.check("OUR", k + 0.5, normal.observable("OUR")[k]).isPresent() ? 1 : 0;
            outsideFast += env.check("OUR", k + 0.5, fast.observable("OUR")[k]).isPresent() ? 1 : 0;
        }
        assertThat(outsideNormal).isZero();
        assertThat(outsideFast).isGreaterThan(40);
        assertThat(env.check("OUR", 60, 1e3)).get().asString().contains("outside the golden-batch envelope");
        assertThat(env.check("pH", 60, 7)).isEmpty();
    }

    @Test
    void theLiveBatchIsComparedBinMeanByBinMeanSoSampleNoiseRaisesNoAlarm() {
        GoldenBatchEnvelope env = eightGoodBatches();
        Trajectory normal = run(1.02);
        Trajectory fast = run(1.25);
        java.util.Random noise = new java.util.Random(42);
        GoldenBatchEnvelope.LiveBins normalBins = new GoldenBatchEnvelope.LiveBins();
        GoldenBatchEnvelope.LiveBins fastBins = new GoldenBatchEnvelope.LiveBins();
        int singleOutside = 0;
        java.util.List<String> normalAlarms = new java.util.ArrayList<>();
        java.util.List<String> fastAlarms = new java.util.ArrayList<>();
        // every 3 min from 24 h to 110 h, 5 % analyser noise on each sample (OUR at the hourly grid of run())
        for (double age = 24; age <= 110; age += 0.05) {
            int k = (int) Math.floor(age);
            double n = 1 + 0.05 * noise.nextGaussian();
            double v = normal.observable("OUR")[k] * n;
            singleOutside += env.check("OUR", age, v).isPresent() ? 1 : 0;
            normalBins.add(env, "OUR", age, v).ifPresent(normalAlarms::add);
            fastBins.add(env, "OUR", age, fast.observable("OUR")[k] * n).ifPresent(fastAlarms::add);
        }
        assertThat(singleOutside).as("single noisy samples often leave a band of bin means").isGreaterThan(10);
        assertThat(normalAlarms).isEmpty();
        assertThat(fastAlarms).isNotEmpty();
        assertThat(fastAlarms.get(0)).contains("mean of 40 samples in [").contains("outside the golden-batch envelope");
    }

    @Test
    void needsThreeBatches() {
        assertThatThrownBy(() -> GoldenBatchEnvelope.build(Map.of(Instant.EPOCH, List.of()), 1, 3))
                .hasMessageContaining("at least 3");
    }
}
