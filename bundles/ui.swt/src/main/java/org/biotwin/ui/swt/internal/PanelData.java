package org.biotwin.ui.swt.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.biotwin.api.advisory.Advisory;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.ModelInput;
import org.biotwin.api.model.Observable;
import org.biotwin.api.twin.PlanningBasis;
import org.biotwin.api.twin.Prediction;
import org.biotwin.api.twin.PredictionBand;
import org.biotwin.api.twin.Twin;
import org.biotwin.ui.swt.MeasuredHistory;
import org.jspecify.annotations.Nullable;

/**
 * Turns a twin's snapshots into chart data. The twin publishes only its latest estimate, so the panel keeps the
 * course of the estimated observables itself: at each new estimate it evaluates the model's measurement function at
 * the estimated state (the model, its adapted parameters and the planned inputs from the planning basis). Bounded:
 * at most {@value #MAX_ESTIMATES} estimates per unit. Not thread-safe: UI thread only.
 */
final class PanelData {

    static final int MAX_ESTIMATES = 5000;

    private final PanelSettings settings;
    /** unit → course of estimated observables. */
    private final Map<String, Estimates> estimates = new HashMap<>();

    private static final class Estimates {
        final List<Double> ages = new ArrayList<>();
        final Map<String, List<Double>> values = new HashMap<>();
        double lastAge = Double.NaN;
        @Nullable String batch;
    }

    PanelData(PanelSettings settings) {
        this.settings = settings;
    }

    /** Records the twin's current estimate, if it is new. Returns true if it was. */
    boolean track(Twin twin) {
        PlanningBasis b = twin.planningBasis().orElse(null);
        if (b == null) {
            return false;
        }
        Estimates e = estimates.computeIfAbsent(twin.unitId(), u -> new Estimates());
        if (e.batch != null && !e.batch.equals(b.batchId())) {
            estimates.put(twin.unitId(), e = new Estimates()); // a new batch starts a new course
        }
        e.batch = b.batchId();
        if (b.batchAge() == e.lastAge) {
            return false;
        }
        KineticModel m = b.model();
        double[] z = new double[m.observables().size()];
        double[] u = new double[m.inputs().size()];
        for (int i = 0; i < u.length; i++) {
            ModelInput in = m.inputs().get(i);
            u[i] = b.schedule().profile(in.name()).map(p -> p.valueAt(b.batchAge(), in.defaultValue()))
                    .orElse(in.defaultValue());
        }
        try {
            m.observe(b.batchAge(), b.mean(), b.parameters(), u, z);
        } catch (RuntimeException ex) {
            return false; // a model that cannot observe this state plots no estimate; the twin raises its own alarm
        }
        if (e.ages.size() == MAX_ESTIMATES) {
            e.ages.remove(0);
            e.values.values().forEach(l -> l.remove(0));
        }
        e.ages.add(b.batchAge());
        List<Observable> obs = m.observables();
        for (int i = 0; i < obs.size(); i++) {
            List<Double> l = e.values.computeIfAbsent(obs.get(i).name(), k -> new ArrayList<>());
            while (l.size() < e.ages.size() - 1) {
                l.add(Double.NaN); // observable new since a model swap
            }
            l.add(z[i]);
        }
        e.lastAge = b.batchAge();
        return true;
    }

    /** Chart data of one observable of a twin. */
    ChartData chart(Twin twin, String variable, @Nullable MeasuredHistory history, @Nullable Advisory advisory) {
        PlanningBasis b = twin.planningBasis().orElse(null);
        Prediction p = twin.prediction().orElse(null);
        String unit = "";
        ChartData.Band band = null;
        if (p != null) {
            PredictionBand pb = p.band(variable).orElse(null);
            if (pb != null) {
                unit = pb.unit();
                band = new ChartData.Band(pb.times(), pb.p05(), pb.p50(), pb.p95());
            }
        }
        if (unit.isEmpty() && b != null) {
            unit = b.model().observables().stream().filter(o -> o.name().equals(variable)).map(Observable::unit)
                    .findFirst().orElse("");
        }
        ChartData.Band advised = null;
        if (advisory != null) {
            advised = advisory.whatIf().withAction().trajectories().stream()
                    .filter(t -> t.variable().equals(variable)).findFirst()
                    .map(t -> new ChartData.Band(t.times(), t.p50(), t.p50(), t.p50())).orElse(null);
        }
        // Measured: sample times as batch age from the batch start of the planning basis.
        double[] mt = new double[0];
        double[] mv = new double[0];
        if (history != null && b != null) {
            Instant start = b.batchStart();
            List<double[]> pts = new ArrayList<>();
            for (String tag : settings.tagsOf(variable)) {
                for (MeasuredHistory.Point pt : history.series(twin.unitId(), tag)) {
                    double age = Duration.between(start, pt.time()).toMillis() / 3.6e6;
                    if (age >= 0) {
                        pts.add(new double[] {age, pt.value()});
                    }
                }
                if (!pts.isEmpty()) {
                    break; // the first tag that has data is the measurement of this observable
                }
            }
            mt = pts.stream().mapToDouble(x -> x[0]).toArray();
            mv = pts.stream().mapToDouble(x -> x[1]).toArray();
        }
        double[] et = new double[0];
        double[] ev = new double[0];
        Estimates e = estimates.get(twin.unitId());
        if (e != null && e.values.containsKey(variable)) {
            et = e.ages.stream().mapToDouble(Double::doubleValue).toArray();
            ev = e.values.get(variable).stream().mapToDouble(Double::doubleValue).toArray();
            et = java.util.Arrays.copyOf(et, ev.length);
        }
        return new ChartData(variable, unit, mt, mv, et, ev, band, advised, b == null ? Double.NaN : b.batchAge(),
                b == null ? Double.NaN : b.harvestAge());
    }
}
