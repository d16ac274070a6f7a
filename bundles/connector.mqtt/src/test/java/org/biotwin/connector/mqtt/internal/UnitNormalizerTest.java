package org.biotwin.connector.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.biotwin.api.sample.RejectReason;
import org.junit.jupiter.api.Test;

/** Reference values: UCUM definitions (https://ucum.org/ucum), e.g. [degF] = 5/9 K with offset 459.67 [degF]. */
class UnitNormalizerTest {

    private final UnitNormalizer u = new UnitNormalizer();

    @Test
    void convertsBetweenCommensurableUnits() throws Exception {
        assertThat(u.convert(98.6, "[degF]", "Cel")).isCloseTo(37.0, within(1e-12));
        assertThat(u.convert(32, "degF", "Cel")).isCloseTo(0.0, within(1e-12));
        assertThat(u.convert(310.15, "K", "Cel")).isCloseTo(37.0, within(1e-9));
        assertThat(u.convert(2500, "mg/L", "g/L")).isCloseTo(2.5, within(1e-12));
        assertThat(u.convert(25, "mL/min", "L/h")).isCloseTo(1.5, within(1e-12));
        assertThat(u.convert(14.5037738, "[psi]", "bar")).isCloseTo(1.0, within(1e-6));
        assertThat(u.convert(0.4, "1", "%")).isCloseTo(40.0, within(1e-12));
        assertThat(u.convert(5.55, "mmol/L", "mol/L")).isCloseTo(0.00555, within(1e-15));
        assertThat(u.convert(36.8, "Cel", "Cel")).isEqualTo(36.8);
    }

    @Test
    void convertsCellDensitiesWithPowerOfTenFactors() throws Exception {
        // 1e6 cells/mL = 1e9 cells/L: the CHO model's states and its VCD observable
        assertThat(u.isKnown("10*6{cells}/mL")).isTrue();
        assertThat(u.convert(12.5, "10*6{cells}/mL", "10*9{cells}/L")).isCloseTo(12.5, within(1e-12));
        assertThat(u.convert(2.0, "10*6{cells}/mL", "/L")).isCloseTo(2.0e9, within(1e-3));
        assertThat(u.convert(3.0, "10*5{cells}/mL", "10*6{cells}/mL")).isCloseTo(0.3, within(1e-12));
        assertThatThrownBy(() -> u.convert(1, "10*6{cells}/mL", "g/L"))
                .isInstanceOfSatisfying(RejectException.class, e -> assertThat(e.reason()).isEqualTo(RejectReason.UOM_MISMATCH));
    }

    @Test
    void refusesIncompatibleAndUnknownUnits() {
        assertThatThrownBy(() -> u.convert(1, "g/L", "Cel"))
                .isInstanceOfSatisfying(RejectException.class, e -> assertThat(e.reason()).isEqualTo(RejectReason.UOM_MISMATCH))
                .hasMessageContaining("g/L").hasMessageContaining("Cel");
        assertThatThrownBy(() -> u.convert(1, "furlong", "m"))
                .isInstanceOfSatisfying(RejectException.class, e -> assertThat(e.reason()).isEqualTo(RejectReason.UNKNOWN_UOM));
        assertThatThrownBy(() -> u.convert(1, "L/h", "L"))
                .isInstanceOfSatisfying(RejectException.class, e -> assertThat(e.reason()).isEqualTo(RejectReason.UOM_MISMATCH));
        assertThat(u.isKnown("")).isFalse();
        assertThat(u.isKnown("mL/min")).isTrue();
    }
}
