package org.biotwin.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.api.twin.Prediction;
import org.biotwin.api.twin.PredictionBand;
import org.biotwin.kinetics.internal.sim.SimulatorComponent;
import org.biotwin.kinetics.internal.uncertainty.MonteCarloPropagator;
import org.junit.jupiter.api.Test;

class EndOfBatchPredictorTest {

    @Test
    void predictsTheHarvestWithBandsThatContainThePlant() {
        VirtualChoRun plant = new VirtualChoRun(TwinCoreTest.CHO, TwinCoreTest.CHO.nominalParameters(),
                OperatingSchedule.parse(TwinCoreTest.SCHEDULE), 96, 21, Double.POSITIVE_INFINITY);
        TwinCoreTest.Recorder out = new TwinCoreTest.Recorder();
        TwinCore twin = TwinCoreTest.twin(TwinCoreTest.settings(Map.of("harvestAgeHours", 96.0, "ensembleSize", 200)),
                out);
        twin.activate(new BoundModel(TwinCoreTest.CHO, "test"));
        // the twin has seen two days; the plant goes on to 96 h
        int cut = 0;
        while (cut < plant.samplesInArrivalOrder.size()
                && plant.samplesInArrivalOrder.get(cut).timestamp().isBefore(VirtualChoRun.at(48))) {
            cut++;
        }
        TwinCoreTest.feed(twin, plant.samplesInArrivalOrder.subList(0, cut));
        MonteCarloPropagator mc = new MonteCarloPropagator(new SimulatorComponent(), 2);
        Prediction p = EndOfBatchPredictor.predict(twin.predictionInput().orElseThrow(), mc, 1);
        assertThat(p.ensembleSize()).isEqualTo(200);
        assertThat(p.predictedHarvest()).isEqualTo(VirtualChoRun.at(96));
        for (String v : new String[] {"titre", "VCD", "glucose", "volume"}) {
            PredictionBand b = p.band(v).orElseThrow();
            double truth = plant.truth.observable(v)[plant.index(96)];
            int last = b.times().length - 1;
            assertThat(b.times()[last]).isCloseTo(96, within(1e-9));
            System.out.printf("%-8s at harvest: truth %.4g, p05 %.4g, p50 %.4g, p95 %.4g %s%n", v, truth,
                    b.p05()[last], b.p50()[last], b.p95()[last], b.unit());
            assertThat(b.p05()[last]).isLessThanOrEqualTo(b.p50()[last]);
            assertThat(b.p50()[last]).isLessThanOrEqualTo(b.p95()[last]);
            double tol = 0.05 * Math.abs(truth) + 1e-6;
            assertThat(truth).isBetween(b.p05()[last] - tol, b.p95()[last] + tol);
        }
        mc.close();
    }
}
