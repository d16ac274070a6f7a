package org.biotwin.advisory.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.Simulator;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.model.ProcessEvent;
import org.biotwin.api.model.StateVariable;
import org.biotwin.api.twin.PlanningBasis;

/**
 * Searches the time of the recipe's bolus (volume and content from the policy) over the policy's bolus window, from
 * the mean estimate, as the feed optimiser does; the chosen time is then checked on the paired Monte Carlo ensemble
 * like any action ({@link AdvisorCore#whatIf}).
 * <p>
 * Method: one simulation of the plan with the bolus added, from the mean estimate to the planned harvest, per
 * candidate time (a grid of at most {@value #MAX_CANDIDATES} times, 1 h apart or wider, in the window and at least
 * {@value #LEAD_HOURS} h from now). Score: product mass at harvest (product × volume). A candidate whose path keeps
 * the substrate within its bounds and the volume below its maximum is admissible; the best-scoring admissible
 * candidate is chosen, or, when none is, the best-scoring one among those whose worst relative bound violation is
 * within {@value #VIOLATION_TOLERANCE} of the smallest (the ensemble check then decides whether it is worth
 * proposing). Cost: {@code candidates} simulations on the executor. Thread-safe.
 */
final class BolusSearch {

    static final int MAX_CANDIDATES = 48;
    static final double LEAD_HOURS = 1;
    private static final int PATH_POINTS = 200;
    /** Violations (fractions of the bound's range) this close count as equal, so that the score decides. */
    static final double VIOLATION_TOLERANCE = 0.01;

    /**
     * The chosen bolus time.
     *
     * @param time        batch age of the bolus, h
     * @param massAtMean  product mass at harvest with it, from the mean estimate
     * @param admissible  whether its mean path stays within the substrate and volume bounds
     */
    record Choice(double time, double massAtMean, boolean admissible) {
    }

    private BolusSearch() {
    }

    /** Candidate bolus times in the window, or none when no bolus is configured or the window has passed. */
    static double[] candidates(PlanningBasis b, AdvisoryPolicy policy) {
        if (!policy.bolusConfigured()) {
            return new double[0];
        }
        double lo = Math.max(policy.bolusEarliestAge(), b.batchAge() + LEAD_HOURS);
        double hi = Math.min(policy.bolusLatestAge(), b.harvestAge() - LEAD_HOURS);
        if (hi < lo) {
            return new double[0];
        }
        double step = Math.max(1.0, (hi - lo) / (MAX_CANDIDATES - 1));
        int n = (int) Math.floor((hi - lo) / step + 1e-9) + 1;
        double[] t = new double[n];
        for (int k = 0; k < n; k++) {
            t[k] = lo + k * step;
        }
        return t;
    }

    static Optional<Choice> search(PlanningBasis b, AdvisoryPolicy policy, Simulator sim, ExecutorService executor) {
        double[] times = candidates(b, policy);
        if (times.length == 0) {
            return Optional.empty();
        }
        requireStates(b, policy);
        List<Future<double[]>> futures = new ArrayList<>();
        for (double t : times) {
            futures.add(executor.submit(() -> evaluate(b, policy, sim, t)));
        }
        double[] mass = new double[times.length];
        double[] violation = new double[times.length];
        double leastViolation = Double.POSITIVE_INFINITY;
        for (int k = 0; k < times.length; k++) {
            double[] r;
            try {
                r = futures.get(k).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while searching the bolus time", e);
            } catch (ExecutionException e) {
                violation[k] = Double.NaN; // a candidate that cannot be simulated is not proposed
                continue;
            }
            mass[k] = r[0];
            violation[k] = r[1];
            leastViolation = Math.min(leastViolation, r[1]);
        }
        boolean anyAdmissible = leastViolation <= 0;
        Choice best = null;
        for (int k = 0; k < times.length; k++) {
            boolean eligible = anyAdmissible ? violation[k] <= 0
                    : violation[k] <= leastViolation + VIOLATION_TOLERANCE;
            if (eligible && (best == null || mass[k] > best.massAtMean())) {
                best = new Choice(times[k], mass[k], anyAdmissible);
            }
        }
        return Optional.ofNullable(best);
    }

    static String describe(Choice c, AdvisoryPolicy policy) {
        StringBuilder content = new StringBuilder();
        policy.bolusContent().forEach((s, v) -> content.append(content.length() == 0 ? "" : ", ")
                .append(s).append(' ').append(AdvisorCore.hours(v)));
        return String.format(Locale.ROOT, "Bolus of %s L (%s) at %s h%s", AdvisorCore.hours(policy.bolusVolume()),
                content, AdvisorCore.hours(Math.rint(c.time() * 10) / 10), c.admissible() ? ""
                        : " (at the mean estimate no time in the window keeps the path within the bounds; the best"
                                + " of the least violating)");
    }

    /** [0] product mass at harvest, [1] worst relative violation of a path bound (<= 0 when none). */
    private static double[] evaluate(PlanningBasis b, AdvisoryPolicy policy, Simulator sim, double time) {
        double t0 = b.batchAge();
        double t1 = b.harvestAge();
        double[] out = new double[PATH_POINTS];
        for (int k = 0; k < PATH_POINTS; k++) {
            out[k] = t0 + (t1 - t0) * (k + 1) / PATH_POINTS;
        }
        Trajectory tr = sim.simulate(new SimulationRequest(b.model(), b.mean(), b.parameters(), t0, t1, out,
                b.schedule().with(new ProcessEvent.Bolus(time, policy.bolusVolume(), policy.bolusContent())),
                SolverSettings.DEFAULT));
        double[] product = PairedEnsemble.series(tr, policy.productVariable());
        double[] volume = PairedEnsemble.series(tr, policy.volumeVariable());
        double[] substrate = PairedEnsemble.series(tr, policy.substrateVariable());
        double range = policy.substrateMax() - policy.substrateMin();
        double worst = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < substrate.length; k++) {
            worst = Math.max(worst, (policy.substrateMin() - substrate[k]) / range);
            worst = Math.max(worst, (substrate[k] - policy.substrateMax()) / range);
            worst = Math.max(worst, (volume[k] - policy.volumeMax()) / policy.volumeMax());
        }
        int last = product.length - 1;
        return new double[] {product[last] * volume[last], worst};
    }

    private static void requireStates(PlanningBasis b, AdvisoryPolicy policy) {
        List<String> states = b.model().states().stream().map(StateVariable::name).toList();
        for (Map.Entry<String, Double> e : policy.bolusContent().entrySet()) {
            if (!states.contains(e.getKey())) {
                throw new IllegalArgumentException("Advisory policy of " + b.unitId() + ": property 'bolusContent' "
                        + "names '" + e.getKey() + "', which is not a state of " + b.model().descriptor()
                        .coordinates() + " (states " + states + ")");
            }
        }
    }
}
