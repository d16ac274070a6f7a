package org.biotwin.softsensor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.biotwin.api.estimation.ScreenSettings;
import org.biotwin.api.estimation.ScreenVerdict;
import org.biotwin.api.estimation.SensorFault;
import org.biotwin.api.estimation.SignalScreen;
import org.junit.jupiter.api.Test;

class RobustSignalScreenTest {

    private static final double SECOND = 1.0 / 3600;
    private final SignalScreeningComponent screening = new SignalScreeningComponent();

    private SignalScreen warmScreen(Random rnd, int n) {
        SignalScreen s = screening.open("DO", ScreenSettings.ONLINE_1HZ);
        for (int i = 0; i < n; i++) {
            assertThat(s.check(i * SECOND, 40 + 0.2 * rnd.nextGaussian()).accepted()).isTrue();
        }
        return s;
    }

    @Test
    void normalNoiseIsAccepted() {
        Random rnd = new Random(1);
        SignalScreen s = warmScreen(rnd, 50);
        int rejected = 0;
        for (int i = 50; i < 3650; i++) {
            if (!s.check(i * SECOND, 40 + 0.2 * rnd.nextGaussian()).accepted()) {
                rejected++;
            }
        }
        // a 6-sigma robust limit should essentially never trip on Gaussian noise
        assertThat(rejected).isLessThanOrEqualTo(2);
    }

    @Test
    void aSpikeIsExcludedWithItsReason() {
        SignalScreen s = warmScreen(new Random(2), 50);
        ScreenVerdict v = s.check(50 * SECOND, 55);
        assertThat(v.accepted()).isFalse();
        assertThat(v.fault()).isEqualTo(SensorFault.SPIKE);
        assertThat(v.reason()).contains("DO").contains("robust standard deviations");
        assertThat(s.check(51 * SECOND, 40.1).accepted()).isTrue();
    }

    @Test
    void aFrozenSignalIsDetectedButAConstantOneIsNot() {
        SignalScreen s = warmScreen(new Random(3), 50);
        ScreenVerdict last = null;
        for (int i = 50; i < 200; i++) {
            last = s.check(i * SECOND, 40.123);
        }
        assertThat(last.accepted()).isFalse();
        assertThat(last.fault()).isEqualTo(SensorFault.FREEZE);
        assertThat(s.check(200 * SECOND, 40.3).accepted()).isTrue();

        SignalScreen constant = screening.open("T_set", ScreenSettings.ONLINE_1HZ);
        for (int i = 0; i < 300; i++) {
            assertThat(constant.check(i * SECOND, 36.5).accepted()).isTrue();
        }
    }

    @Test
    void aGapIsReportedOnceAndTheValueKept() {
        SignalScreen s = warmScreen(new Random(4), 20);
        ScreenVerdict v = s.check(200 * SECOND, 40);
        assertThat(v.accepted()).isTrue();
        assertThat(v.fault()).isEqualTo(SensorFault.GAP);
        assertThat(v.reason()).contains("no value for");
        assertThat(s.check(201 * SECOND, 40).fault()).isNull();
    }

    @Test
    void aDriftAgainstTheModelTripsTheCusum() {
        SignalScreen s = screening.open("pH", ScreenSettings.ONLINE_1HZ);
        Random rnd = new Random(5);
        for (int i = 0; i < 500; i++) {
            assertThat(s.checkInnovation(i * SECOND, rnd.nextGaussian() * 0.5).accepted()).isTrue();
        }
        int detectedAfter = -1;
        for (int i = 0; i < 100; i++) { // a 1.5 sigma bias
            if (!s.checkInnovation((500 + i) * SECOND, 1.5 + 0.5 * rnd.nextGaussian()).accepted()) {
                detectedAfter = i;
                break;
            }
        }
        assertThat(detectedAfter).isBetween(1, 10);
        s.resetDrift();
        assertThat(s.checkInnovation(1, 0).accepted()).isTrue();
    }

    @Test
    void valuesOutOfOrderAndNonFiniteValues() {
        SignalScreen s = warmScreen(new Random(6), 10);
        assertThat(s.check(11 * SECOND, Double.NaN).accepted()).isFalse();
        assertThatThrownBy(() -> s.check(1 * SECOND, 40)).hasMessageContaining("older than the previous");
        assertThatThrownBy(() -> new ScreenSettings(3, 5, 10, 0, 1, 0.5, 5)).hasMessageContaining("window >= 5");
    }
}
