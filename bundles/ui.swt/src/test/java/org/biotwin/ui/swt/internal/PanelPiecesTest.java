package org.biotwin.ui.swt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.biotwin.api.sample.Sample;
import org.biotwin.ui.swt.MeasuredHistory;
import org.junit.jupiter.api.Test;

/** The display-free pieces: settings parsing, the bounded sample history, axis steps. */
class PanelPiecesTest {

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    @Test
    void badSettingsAreRefusedWithTheEntryNamed() {
        assertThatThrownBy(() -> PanelSettings.parse(new String[] {"titre"}, new String[] {"GLC_lab"}, 2000))
                .hasMessageContaining("'GLC_lab'").hasMessageContaining("tag=observable");
        assertThatThrownBy(() -> PanelSettings.parse(new String[] {"titre", " "}, new String[0], 2000))
                .hasMessageContaining("empty entry");
        assertThatThrownBy(() -> PanelSettings.parse(new String[] {"titre"}, new String[0], 50))
                .hasMessageContaining("200 to 600000 ms, got 50");
        assertThatThrownBy(() -> PanelSettings.parse(new String[0], new String[0], 2000))
                .hasMessageContaining("1 to 6 charts");
        assertThat(PanelSettings.DEFAULTS.tagsOf("glucose")).containsExactly("GLC_lab", "glucose");
        assertThat(PanelSettings.DEFAULTS.tagsOf("volume")).containsExactly("volume");
    }

    @Test
    void historyKeepsTheLastValuesPerSeriesInSamplingOrder() {
        SampleHistory h = new SampleHistory(3);
        List<Sample> in = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            in.add(Sample.of("BR-1", "OUR", T0.plusSeconds(60L * i), i, "mmol/L/h"));
        }
        in.add(Sample.of("BR-1", "GLC_lab", T0.plusSeconds(7200), 4.0, "g/L"));
        in.add(Sample.of("BR-1", "GLC_lab", T0.plusSeconds(3600), 5.0, "g/L")); // a lab result delivered late
        h.onSamples(in);
        assertThat(h.series("BR-1", "OUR")).extracting(MeasuredHistory.Point::value).containsExactly(2.0, 3.0, 4.0);
        assertThat(h.series("BR-1", "GLC_lab")).extracting(MeasuredHistory.Point::value).containsExactly(5.0, 4.0);
        assertThat(h.series("BR-9", "OUR")).isEmpty();
        assertThatThrownBy(() -> new SampleHistory(1)).hasMessageContaining(">= 2, was 1");
    }

    @Test
    void axisStepsAreOneTwoFive() {
        assertThat(TrendChart.niceStep(0.13)).isEqualTo(0.2);
        assertThat(TrendChart.niceStep(3.1)).isEqualTo(5);
        assertThat(TrendChart.niceStep(7)).isEqualTo(10);
        assertThat(TrendChart.niceStep(0)).isEqualTo(1);
        assertThat(TrendChart.label(0.4, 0.2)).isEqualTo("0.4");
        assertThat(TrendChart.label(1e-12, 0.2)).isEqualTo("0");
    }
}
