package org.biotwin.plant.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Harness, not a unit test (tag {@code benchmark}, run with {@code -Pbenchmark}): how fast one reactor steps a whole
 * 14-day CHO batch at the default 60-s sample period, which bounds the clock acceleration one core sustains.
 */
@Tag("benchmark")
class PlantBenchmarkTest {

    @Test
    void stepsOfAFourteenDayChoBatch() {
        for (int round = 0; round < 3; round++) { // round 0 warms the JIT up
            ReactorCore c = ReactorCoreTest.core("schedule", "profile:F_feed=0@0,1.25@72;bolus:72=30{GLC=300,GLN=40}",
                    "batch_duration_h", 336.0);
            long t0 = System.nanoTime();
            int n = 0;
            while (!c.processEnded() && n < 1_000_000) {
                c.step();
                n++;
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("round %d: %d steps (336 h at 60 s) in %.2f s: %.0f steps/s, %.0f µs/step; max "
                    + "sustainable acceleration at 60 s/step ≈ %.0f%n", round, n, s, n / s, s / n * 1e6, n / s * 60);
            assertThat(n).isEqualTo(336 * 60);
        }
    }
}
