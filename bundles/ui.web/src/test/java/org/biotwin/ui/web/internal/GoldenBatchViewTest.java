package org.biotwin.ui.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.biotwin.api.twin.GoldenBatchBand;
import org.junit.jupiter.api.Test;

class GoldenBatchViewTest {

    private static final double NaN = Double.NaN;

    private static GoldenBatchBand band(String tag, String unit, double[] mean, int[] batches) {
        double[] t = new double[mean.length];
        double[] lo = new double[mean.length];
        double[] hi = new double[mean.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = 1 + 2 * i;
            lo[i] = mean[i] - 0.5;
            hi[i] = mean[i] + 0.5;
        }
        return new GoldenBatchBand(tag, unit, t, lo, mean, hi, batches);
    }

    @Test
    void aBandGoesOnTheChartOfItsMappedVariableWithoutTheBinsLackingGoodBatches() {
        GoldenBatchBand glc = band("GLC_lab", "g/L", new double[] {NaN, 5.0, 4.0, NaN, 3.0, NaN},
                new int[] {2, 3, 4, 1, 3, 0});
        JsonNode v = GoldenBatchView.view(List.of(glc), Map.of("GLC_lab", "glucose"), Map.of("glucose", "g/L"));

        assertThat(v.get("available").asBoolean()).isTrue();
        assertThat(v.get("bands").asInt()).isEqualTo(1);
        assertThat(v.get("unmatched")).isEmpty();
        JsonNode s = v.get("series").get(0);
        assertThat(s.get("variable").asText()).isEqualTo("glucose");
        assertThat(s.get("tag").asText()).isEqualTo("GLC_lab");
        assertThat(s.get("unit").asText()).isEqualTo("g/L");
        // bins 1, 2 and 4 are defined (centres 3, 5 and 9 h); NaN bins are left out, not sent as zeros
        assertThat(s.get("times_h").toString()).isEqualTo("[3.0,5.0,9.0]");
        assertThat(s.get("mean").toString()).isEqualTo("[5.0,4.0,3.0]");
        assertThat(s.get("lower").toString()).isEqualTo("[4.5,3.5,2.5]");
        assertThat(s.get("upper").toString()).isEqualTo("[5.5,4.5,3.5]");
        assertThat(s.get("batches").toString()).isEqualTo("[3,4,3]");
    }

    @Test
    void aBandInAnotherUnitOrWithoutAChartIsNotDrawnAndSaysWhy() {
        GoldenBatchBand weight = band("weight", "kg", new double[] {1000, 1010}, new int[] {3, 3});
        GoldenBatchBand do2 = band("DO", "%", new double[] {40, 41}, new int[] {3, 3});
        GoldenBatchBand titre = band("titre_lab", "g/L", new double[] {0.1, 0.2}, new int[] {3, 3});
        GoldenBatchBand empty = band("OUR", "mmol/L/h", new double[] {NaN, NaN}, new int[] {2, 1});
        JsonNode v = GoldenBatchView.view(List.of(weight, do2, titre, empty),
                Map.of("weight", "volume", "titre_lab", "titre", "OUR", "OUR"),
                Map.of("volume", "L", "OUR", "mmol/L/h"));

        assertThat(v.get("series")).isEmpty();
        assertThat(v.get("unmatched")).hasSize(4);
        String reasons = v.get("unmatched").toString();
        assertThat(reasons).contains("unit kg differs from the chart's L (volume)")
                .contains("tag DO is not mapped to a chart (measuredTags)")
                .contains("no chart of variable titre")
                .contains("no maturity bin has enough good batches");
    }

    @Test
    void whereTwoTagsMapToOneVariableTheBandWithMoreDefinedBinsIsDrawn() {
        GoldenBatchBand volume = band("volume", "L", new double[] {NaN, 1000, 1010}, new int[] {0, 3, 3});
        GoldenBatchBand level = band("level", "L", new double[] {990, 1000, 1010}, new int[] {3, 3, 3});
        JsonNode v = GoldenBatchView.view(List.of(volume, level), Map.of("volume", "volume", "level", "volume"),
                Map.of("volume", "L"));

        assertThat(v.get("series")).hasSize(1);
        assertThat(v.get("series").get(0).get("tag").asText()).isEqualTo("level");
        assertThat(v.get("unmatched").get(0).get("tag").asText()).isEqualTo("volume");
        assertThat(v.get("unmatched").get(0).get("reason").asText())
                .contains("tag level has at least as many defined bins for volume");
    }

    @Test
    void aTwinWithoutAnEnvelopeHasNone() {
        JsonNode v = GoldenBatchView.view(List.of(), Map.of("GLC_lab", "glucose"), Map.of("glucose", "g/L"));
        assertThat(v.get("available").asBoolean()).isFalse();
        assertThat(v.get("series")).isEmpty();
    }
}
