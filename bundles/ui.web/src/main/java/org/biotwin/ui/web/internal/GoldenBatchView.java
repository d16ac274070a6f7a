package org.biotwin.ui.web.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.biotwin.api.twin.GoldenBatchBand;

/**
 * Turns a twin's golden-batch envelope ({@link GoldenBatchBand}, one per plant tag) into the series the unit charts
 * draw behind the trajectories. A band goes on the chart of the predicted variable its tag is mapped to by the
 * panel's {@code measuredTags} (the same mapping as the measured points), and only when its unit of measure is the
 * chart's (a {@code weight} band in kg never lands on a {@code volume} chart in L). Maturity bins without enough good
 * batches (NaN in the band) are left out, so the chart interpolates across an interior gap rather than breaking the
 * band at every other point; where two tags map to one variable, the band with more defined bins wins (then the tag
 * that sorts first). Bands that cannot be drawn are listed with the reason.
 * <p>
 * JSON: {@code {available, bands, series[{variable, tag, unit, times_h[], lower[], mean[], upper[], batches[]}],
 * unmatched[{tag, unit, reason}]}}. Stateless and thread-safe.
 */
final class GoldenBatchView {

    private GoldenBatchView() {
    }

    /**
     * The chart series of an envelope.
     *
     * @param bands        the twin's envelope, one band per tag (empty when the twin has none)
     * @param tagToVariable historian tag → predicted variable whose chart shows it
     * @param chartUnits   predicted variable → unit of its chart; a variable without a chart gets no envelope
     */
    static ObjectNode view(List<GoldenBatchBand> bands, Map<String, String> tagToVariable,
            Map<String, String> chartUnits) {
        ObjectNode n = Views.object().put("available", !bands.isEmpty()).put("bands", bands.size());
        ArrayNode series = n.putArray("series");
        ArrayNode unmatched = n.putArray("unmatched");
        Map<String, GoldenBatchBand> chosen = new LinkedHashMap<>();
        List<GoldenBatchBand> sorted = new ArrayList<>(bands);
        sorted.sort(Comparator.comparing(GoldenBatchBand::tag));
        for (GoldenBatchBand b : sorted) {
            String variable = tagToVariable.get(b.tag());
            String reason = null;
            if (variable == null) {
                reason = "tag " + b.tag() + " is not mapped to a chart (measuredTags)";
            } else if (!chartUnits.containsKey(variable)) {
                reason = "no chart of variable " + variable;
            } else if (!chartUnits.get(variable).equals(b.unit())) {
                reason = "unit " + b.unit() + " differs from the chart's " + chartUnits.get(variable) + " ("
                        + variable + ")";
            } else if (defined(b) == 0) {
                reason = "no maturity bin has enough good batches";
            }
            if (reason != null) {
                unmatched.addObject().put("tag", b.tag()).put("unit", b.unit()).put("reason", reason);
                continue;
            }
            GoldenBatchBand other = chosen.get(variable);
            if (other == null || defined(b) > defined(other)) {
                if (other != null) {
                    unmatched.addObject().put("tag", other.tag()).put("unit", other.unit()).put("reason",
                            "tag " + b.tag() + " has more defined bins for " + variable);
                }
                chosen.put(variable, b);
            } else {
                unmatched.addObject().put("tag", b.tag()).put("unit", b.unit()).put("reason",
                        "tag " + other.tag() + " has at least as many defined bins for " + variable);
            }
        }
        chosen.forEach((variable, b) -> series.add(series(variable, b)));
        return n;
    }

    private static ObjectNode series(String variable, GoldenBatchBand b) {
        double[] t = b.times();
        double[] lo = b.lower();
        double[] mean = b.mean();
        double[] hi = b.upper();
        int[] count = b.batches();
        ObjectNode n = Views.object().put("variable", variable).put("tag", b.tag()).put("unit", b.unit());
        ArrayNode times = n.putArray("times_h");
        ArrayNode lower = n.putArray("lower");
        ArrayNode means = n.putArray("mean");
        ArrayNode upper = n.putArray("upper");
        ArrayNode batches = n.putArray("batches");
        for (int i = 0; i < t.length; i++) {
            if (isDefined(t[i], lo[i], mean[i], hi[i])) {
                times.add(t[i]);
                lower.add(lo[i]);
                means.add(mean[i]);
                upper.add(hi[i]);
                batches.add(count[i]);
            }
        }
        return n;
    }

    private static int defined(GoldenBatchBand b) {
        double[] t = b.times();
        double[] lo = b.lower();
        double[] mean = b.mean();
        double[] hi = b.upper();
        int k = 0;
        for (int i = 0; i < t.length; i++) {
            if (isDefined(t[i], lo[i], mean[i], hi[i])) {
                k++;
            }
        }
        return k;
    }

    private static boolean isDefined(double t, double lo, double mean, double hi) {
        return Double.isFinite(t) && Double.isFinite(lo) && Double.isFinite(mean) && Double.isFinite(hi);
    }
}
