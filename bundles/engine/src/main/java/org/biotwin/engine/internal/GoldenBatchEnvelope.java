package org.biotwin.engine.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.biotwin.api.historian.Series;
import org.biotwin.api.historian.SeriesPoint;
import org.biotwin.api.twin.GoldenBatchBand;

/**
 * A univariate golden-batch envelope: for each tag, batch maturity (batch age) is cut into bins; each good batch
 * contributes its mean value in each bin; the envelope is the mean across batches ± k standard deviations, defined
 * where at least {@value #MIN_BATCHES} batches contribute. This is the band over maturity that batch monitoring tools
 * draw (Nomikos & MacGregor, Technometrics 37 (1995) 41-59, use it as the univariate reference before their
 * multivariate model; the multivariate batch evolution model with T² and DModX limits is not built yet).
 * <p>
 * Immutable and thread-safe.
 */
final class GoldenBatchEnvelope {

    static final int MIN_BATCHES = 3;

    private final double binHours;
    private final Map<String, GoldenBatchBand> bands;

    private GoldenBatchEnvelope(double binHours, Map<String, GoldenBatchBand> bands) {
        this.binHours = binHours;
        this.bands = Map.copyOf(bands);
    }

    /**
     * Builds the envelope.
     *
     * @param batches  per good batch: its start and its series (one per tag)
     * @param binHours width of a maturity bin, h
     * @param k        half-width of the band in standard deviations
     * @throws IllegalArgumentException with fewer than {@value #MIN_BATCHES} batches
     */
    static GoldenBatchEnvelope build(Map<Instant, List<Series>> batches, double binHours, double k) {
        if (batches.size() < MIN_BATCHES) {
            throw new IllegalArgumentException("A golden-batch envelope needs at least " + MIN_BATCHES
                    + " good batches, got " + batches.size());
        }
        // tag -> bin -> list of per-batch bin means
        Map<String, Map<Integer, List<Double>>> byTag = new HashMap<>();
        Map<String, String> units = new HashMap<>();
        int maxBin = 0;
        for (Map.Entry<Instant, List<Series>> batch : batches.entrySet()) {
            Instant start = batch.getKey();
            for (Series s : batch.getValue()) {
                units.putIfAbsent(s.tag(), s.uom());
                Map<Integer, double[]> sums = new HashMap<>();
                for (SeriesPoint p : s.points()) {
                    double age = (p.time().toEpochMilli() - start.toEpochMilli()) / 3.6e6;
                    if (age < 0) {
                        continue;
                    }
                    int bin = (int) Math.floor(age / binHours);
                    double[] acc = sums.computeIfAbsent(bin, b -> new double[2]);
                    acc[0] += p.value();
                    acc[1]++;
                }
                Map<Integer, List<Double>> bins = byTag.computeIfAbsent(s.tag(), t -> new HashMap<>());
                for (Map.Entry<Integer, double[]> e : sums.entrySet()) {
                    bins.computeIfAbsent(e.getKey(), b -> new ArrayList<>()).add(e.getValue()[0] / e.getValue()[1]);
                    maxBin = Math.max(maxBin, e.getKey());
                }
            }
        }
        Map<String, GoldenBatchBand> bands = new HashMap<>();
        for (Map.Entry<String, Map<Integer, List<Double>>> tag : byTag.entrySet()) {
            int n = maxBin + 1;
            double[] times = new double[n];
            double[] lower = new double[n];
            double[] mean = new double[n];
            double[] upper = new double[n];
            int[] count = new int[n];
            for (int b = 0; b < n; b++) {
                times[b] = (b + 0.5) * binHours;
                List<Double> v = tag.getValue().getOrDefault(b, List.of());
                count[b] = v.size();
                if (v.size() < MIN_BATCHES) {
                    lower[b] = mean[b] = upper[b] = Double.NaN;
                    continue;
                }
                double m = v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                double var = v.stream().mapToDouble(x -> (x - m) * (x - m)).sum() / (v.size() - 1);
                double sd = Math.sqrt(var);
                mean[b] = m;
                lower[b] = m - k * sd;
                upper[b] = m + k * sd;
            }
            bands.put(tag.getKey(), new GoldenBatchBand(tag.getKey(), units.get(tag.getKey()), times, lower, mean,
                    upper, count));
        }
        return new GoldenBatchEnvelope(binHours, bands);
    }

    List<GoldenBatchBand> bands() {
        return List.copyOf(bands.values());
    }

    /**
     * The live batch's bin means, each compared with the envelope when its bin is complete (the first sample of a
     * later bin arrives): the band is a band of bin means, so a single noisy sample is not compared with it. Not
     * thread-safe; one per twin, reset with each batch.
     */
    static final class LiveBins {
        /** Per tag: the open bin's index, sum and count. */
        private final Map<String, double[]> open = new java.util.HashMap<>();

        /** Adds a sample; returns why the bin it completes lies outside the envelope, if it does. */
        Optional<String> add(GoldenBatchEnvelope env, String tag, double age, double value) {
            if (age < 0 || !Double.isFinite(value)) {
                return Optional.empty();
            }
            int bin = (int) Math.floor(age / env.binHours);
            double[] acc = open.get(tag);
            Optional<String> why = Optional.empty();
            if (acc != null && (int) acc[0] != bin) {
                double from = acc[0] * env.binHours;
                why = env.check(tag, from, acc[1] / acc[2]).map(w -> String.format(java.util.Locale.ROOT,
                        "mean of %d samples in [%.1f, %.1f) h: %s", (long) acc[2], from, from + env.binHours, w));
            }
            if (acc == null || (int) acc[0] != bin) {
                open.put(tag, new double[] {bin, value, 1});
            } else {
                acc[1] += value;
                acc[2]++;
            }
            return why;
        }

        void clear() {
            open.clear();
        }
    }

    /** Why a value lies outside the envelope, or empty when inside or where the envelope is undefined. */
    Optional<String> check(String tag, double age, double value) {
        GoldenBatchBand b = bands.get(tag);
        if (b == null || age < 0) {
            return Optional.empty();
        }
        int bin = (int) Math.floor(age / binHours);
        double[] lo = b.lower();
        double[] hi = b.upper();
        if (bin >= lo.length || Double.isNaN(lo[bin])) {
            return Optional.empty();
        }
        if (value < lo[bin] || value > hi[bin]) {
            return Optional.of(String.format(java.util.Locale.ROOT,
                    "%s = %.4g %s at %.1f h is outside the golden-batch envelope [%.4g, %.4g] of %d batches", tag,
                    value, b.unit(), age, lo[bin], hi[bin], b.batches()[bin]));
        }
        return Optional.empty();
    }
}
