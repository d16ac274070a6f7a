package org.biotwin.kinetics.internal.uncertainty;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QuantileAndSeedTest {

    @Test
    void quantilesInterpolateBetweenOrderStatisticsLikeRAndNumPy() {
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        // numpy.quantile(range(1, 11), [0.05, 0.5, 0.95]) = [1.45, 5.5, 9.55]
        assertThat(MonteCarloPropagator.quantile(x, 0.05)).isCloseTo(1.45, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(MonteCarloPropagator.quantile(x, 0.50)).isCloseTo(5.5, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(MonteCarloPropagator.quantile(x, 0.95)).isCloseTo(9.55, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(MonteCarloPropagator.quantile(new double[] {3}, 0.95)).isEqualTo(3);
    }

    @Test
    void memberSeedsAreDistinct() {
        Set<Long> seeds = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            seeds.add(MonteCarloPropagator.mix(42, i));
        }
        assertThat(seeds).hasSize(100_000);
        assertThat(MonteCarloPropagator.mix(42, 7)).isEqualTo(MonteCarloPropagator.mix(42, 7))
                .isNotEqualTo(MonteCarloPropagator.mix(43, 7));
    }
}
