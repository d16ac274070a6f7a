package org.biotwin.kinetics.internal.estimation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

class BoundTransformTest {

    @Test
    void roundTripsInsideEveryKindOfBound() {
        BoundTransform[] ts = {new BoundTransform(0.01, 5), new BoundTransform(0, Double.POSITIVE_INFINITY),
            new BoundTransform(Double.NEGATIVE_INFINITY, 3), new BoundTransform(Double.NEGATIVE_INFINITY,
                    Double.POSITIVE_INFINITY)};
        double[] values = {0.02, 0.5, 1.7, 2.9};
        for (BoundTransform t : ts) {
            for (double p : values) {
                assertThat(t.toParameter(t.toSearch(p))).isCloseTo(p, Percentage.withPercentage(1e-10));
            }
        }
    }

    @Test
    void neverLeavesTheBoundsEvenForExtremeSearchValues() {
        BoundTransform t = new BoundTransform(0.01, 5);
        for (double theta : new double[] {-1e6, -800, -40, 0, 40, 800, 1e6}) {
            assertThat(t.toParameter(theta)).isBetween(0.01, 5.0).isNotNaN();
        }
        assertThat(new BoundTransform(0, Double.POSITIVE_INFINITY).toParameter(-800)).isGreaterThanOrEqualTo(0);
    }

    @Test
    void rejectsEmptyBounds() {
        assertThatThrownBy(() -> new BoundTransform(2, 1)).hasMessageContaining("bounds [2.0, 1.0] are empty");
        assertThatThrownBy(() -> new BoundTransform(1, 1)).hasMessageContaining("are empty");
    }
}
