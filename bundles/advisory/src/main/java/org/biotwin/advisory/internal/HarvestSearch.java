package org.biotwin.advisory.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.Simulator;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.twin.PlanningBasis;

/**
 * Searches the harvest age over the policy's harvest window, from the current estimate, on the paired Monte Carlo
 * ensemble of {@link PairedEnsemble} (same draws for the same seed).
 * <p>
 * Method: each member runs the current plan's schedule once, from its draw of the estimate to the later of the
 * window's end and the planned harvest; every candidate age (a grid of at most {@value #MAX_CANDIDATES} ages, 1 h
 * apart or wider) is read off that one run, so the search costs one ensemble simulation, not one per candidate.
 * Per member and candidate age t, the score is the product mass {@code M(t)} (product × volume) or, with a price p
 * and an occupancy cost c per hour of reactor time, the batch value {@code p·M(t) − c·t}; the gain is the paired
 * difference to the member's score at the planned harvest. Path risks at t are the fractions of members whose
 * substrate left its bounds, or whose volume exceeded its maximum, anywhere between now and t (checked at the output
 * grid: 25 points up to the window's start, then every candidate age).
 * <p>
 * Admissible ages: no constraint risk above the larger of the risk limit and the plan's own risk for it, and,
 * with a titre target, a median titre at t not below the target or not below the plan's. Choice: with a target the
 * plan misses (or a planned harvest outside the window), the best-scoring admissible age that reaches the target (and
 * lies in the window); otherwise the best-scoring admissible age. Cost: one ensemble run of {@code ensembleSize}
 * simulations to the window's end; memory O(members × grid). The harvest time cannot be changed before now + 1 h
 * ({@value #LEAD_HOURS} h to prepare the harvest). Thread-safe; the simulations run on the given executor.
 */
final class HarvestSearch {

    static final int MAX_CANDIDATES = 240;
    static final double LEAD_HOURS = 1;
    private static final int LEAD_POINTS = 25;

    /**
     * The chosen harvest age with the search's own statistics (the advisory's numbers come from the paired comparison
     * of the chosen age with the plan, run afterwards).
     *
     * @param age            harvest age, h
     * @param scoreGainP50   median paired gain of the score (g of product, or currency with a price)
     * @param titreP50       median titre at {@code age}
     * @param planTitreP50   median titre at the planned harvest
     * @param reachesTarget  {@code age} meets the titre target (if any) and lies in the window, where the plan does not
     * @param targetMissRisk fraction of members below the titre target at {@code age} (0 without a target)
     * @param risks          path risks up to {@code age}, by constraint
     */
    record Choice(double age, double scoreGainP50, double titreP50, double planTitreP50, boolean reachesTarget,
            double targetMissRisk, Map<String, Double> risks) {
        Choice {
            risks = Map.copyOf(risks);
        }
    }

    private HarvestSearch() {
    }

    /** Candidate ages in the window, or none when the window is off or already closed. */
    static double[] candidates(PlanningBasis b, AdvisoryPolicy policy) {
        if (!policy.harvestWindow()) {
            return new double[0];
        }
        double lo = Math.max(policy.harvestEarliestAge(), b.batchAge() + LEAD_HOURS);
        double hi = policy.harvestLatestAge();
        if (hi < lo) {
            return new double[0];
        }
        double step = Math.max(1.0, (hi - lo) / (MAX_CANDIDATES - 1));
        int n = (int) Math.floor((hi - lo) / step + 1e-9) + 1;
        double[] ages = new double[n];
        for (int k = 0; k < n; k++) {
            ages[k] = lo + k * step;
        }
        return ages;
    }

    static Optional<Choice> search(PlanningBasis b, AdvisoryPolicy policy, Simulator sim, long seed,
            ExecutorService executor) {
        double[] ages = candidates(b, policy);
        double t0 = b.batchAge();
        double plan = b.harvestAge();
        if (ages.length == 0 || !(plan > t0)) {
            return Optional.empty();
        }
        // Phase 1: one run per member to the end of the window (or the plan, if later), on a grid that holds every
        // candidate age and the planned harvest.
        double tEnd = Math.max(ages[ages.length - 1], plan);
        double[] grid = grid(t0, ages, plan, tEnd);
        int planIndex = Arrays.binarySearch(grid, plan);
        int[] candidateIndex = new int[ages.length];
        for (int c = 0; c < ages.length; c++) {
            candidateIndex[c] = Arrays.binarySearch(grid, ages[c]);
        }
        double[][] draws = PairedEnsemble.draw(b, policy.ensembleSize(), seed);
        List<Future<double[][]>> futures = new ArrayList<>();
        for (double[] x0 : draws) {
            futures.add(executor.submit(() -> {
                try {
                    return run(b, x0, grid, tEnd, policy, sim);
                } catch (RuntimeException e) {
                    return null;
                }
            }));
        }
        List<double[][]> runs = new ArrayList<>();
        for (Future<double[][]> f : futures) {
            try {
                double[][] r = f.get();
                if (r != null) {
                    runs.add(r);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while searching the harvest time", e);
            } catch (ExecutionException e) {
                // a failed member is left out, as in PairedEnsemble
            }
        }
        if (runs.isEmpty()) {
            throw new IllegalStateException("Every member of the harvest-time ensemble failed to simulate with "
                    + b.model().descriptor().coordinates());
        }
        // Phase 2: statistics of every candidate, paired with the plan.
        int m = runs.size();
        double price = policy.price();
        double cost = price > 0 ? policy.occupancyCostPerHour() : 0;
        double planTitre = median(column(runs, 0, planIndex));
        double[] planRisk = risks(runs, planIndex, policy);
        boolean planMissesTarget = policy.titreTarget() > 0 && planTitre < policy.titreTarget();
        boolean planOutsideWindow = plan < policy.harvestEarliestAge() || plan > policy.harvestLatestAge();
        Choice best = null;
        boolean bestReaches = false;
        for (int c = 0; c < ages.length; c++) {
            int k = candidateIndex[c];
            double[] gains = new double[m];
            int miss = 0;
            for (int i = 0; i < m; i++) {
                double[][] r = runs.get(i);
                double mass = r[0][k] * r[1][k];
                double planMass = r[0][planIndex] * r[1][planIndex];
                gains[i] = price > 0 ? price * (mass - planMass) - cost * (ages[c] - plan) : mass - planMass;
                if (r[0][k] < policy.titreTarget()) {
                    miss++;
                }
            }
            double titre = median(column(runs, 0, k));
            double[] risk = risks(runs, k, policy);
            boolean admissible = true;
            for (int j = 0; j < risk.length; j++) {
                admissible &= risk[j] <= Math.max(policy.riskLimit(), planRisk[j]);
            }
            if (policy.titreTarget() > 0) {
                admissible &= titre >= policy.titreTarget() || titre >= planTitre;
            }
            if (!admissible) {
                continue;
            }
            boolean reaches = (planMissesTarget || planOutsideWindow)
                    && (policy.titreTarget() <= 0 || titre >= policy.titreTarget());
            double g50 = PairedEnsemble.quantile(gains, 0.5);
            boolean better = best == null || (reaches && !bestReaches)
                    || (reaches == bestReaches && g50 > best.scoreGainP50());
            if (better) {
                best = new Choice(ages[c], g50, titre, planTitre, reaches,
                        policy.titreTarget() > 0 ? (double) miss / m : 0, riskMap(policy, risk));
                bestReaches = reaches;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Whether a choice is worth an advisory: it meets a target the plan misses, or gains more than the minimum. */
    static boolean worthProposing(Choice c, PlanningBasis b, AdvisoryPolicy policy, double planProductP50) {
        if (Math.abs(c.age() - b.harvestAge()) < 1e-9) {
            return false;
        }
        double scale = Math.abs(planProductP50) * (policy.price() > 0 ? policy.price() : 1);
        return c.reachesTarget() || c.scoreGainP50() > policy.minimumRelativeGain() * scale;
    }

    static String describe(Choice c, PlanningBasis b, AdvisoryPolicy policy, String productUnit) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "Harvest at %.0f h instead of %.0f h",
                c.age(), b.harvestAge()));
        sb.append(String.format(Locale.ROOT, ": median %s %.3g %s (plan %.3g)", policy.productVariable(),
                c.titreP50(), productUnit, c.planTitreP50()));
        if (policy.titreTarget() > 0) {
            sb.append(String.format(Locale.ROOT, ", target %.3g %s %s (P(miss) %.0f %%)", policy.titreTarget(),
                    productUnit, c.titreP50() >= policy.titreTarget() ? "reached" : "missed",
                    100 * c.targetMissRisk()));
        }
        if (policy.price() > 0 && policy.occupancyCostPerHour() > 0) {
            sb.append(String.format(Locale.ROOT, "; value after occupancy cost (%.4g %s/h) %+.4g %s",
                    policy.occupancyCostPerHour(), policy.currency(), c.scoreGainP50(), policy.currency()));
        }
        return sb.toString();
    }

    /** [0] product, [1] volume, [2] running minimum of substrate, [3] running maximum of substrate, [4] volume max. */
    private static double[][] run(PlanningBasis b, double[] x0, double[] grid, double tEnd, AdvisoryPolicy policy,
            Simulator sim) {
        Trajectory tr = sim.simulate(new SimulationRequest(b.model(), x0, b.parameters(), b.batchAge(), tEnd, grid,
                b.schedule(), SolverSettings.DEFAULT));
        double[] product = PairedEnsemble.series(tr, policy.productVariable());
        double[] volume = PairedEnsemble.series(tr, policy.volumeVariable());
        double[] substrate = PairedEnsemble.series(tr, policy.substrateVariable());
        int n = grid.length;
        double[] sMin = new double[n];
        double[] sMax = new double[n];
        double[] vMax = new double[n];
        for (int k = 0; k < n; k++) {
            sMin[k] = Math.min(k == 0 ? Double.POSITIVE_INFINITY : sMin[k - 1], substrate[k]);
            sMax[k] = Math.max(k == 0 ? Double.NEGATIVE_INFINITY : sMax[k - 1], substrate[k]);
            vMax[k] = Math.max(k == 0 ? Double.NEGATIVE_INFINITY : vMax[k - 1], volume[k]);
        }
        return new double[][] {product, volume, sMin, sMax, vMax};
    }

    /** Path risks up to grid point k: substrate low, substrate high, volume high (fractions of members). */
    private static double[] risks(List<double[][]> runs, int k, AdvisoryPolicy policy) {
        double[] risk = new double[3];
        double m = runs.size();
        for (double[][] r : runs) {
            risk[0] += r[2][k] < policy.substrateMin() ? 1 / m : 0;
            risk[1] += r[3][k] > policy.substrateMax() ? 1 / m : 0;
            risk[2] += r[4][k] > policy.volumeMax() ? 1 / m : 0;
        }
        return risk;
    }

    private static Map<String, Double> riskMap(AdvisoryPolicy policy, double[] risk) {
        Map<String, Double> r = new LinkedHashMap<>();
        r.put(policy.substrateVariable() + " < " + policy.substrateMin(), risk[0]);
        r.put(policy.substrateVariable() + " > " + policy.substrateMax(), risk[1]);
        r.put(policy.volumeVariable() + " > " + policy.volumeMax(), risk[2]);
        return r;
    }

    private static double[] column(List<double[][]> runs, int series, int k) {
        double[] v = new double[runs.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = runs.get(i)[series][k];
        }
        return v;
    }

    private static double median(double[] v) {
        return PairedEnsemble.quantile(v, 0.5);
    }

    static double[] grid(double t0, double[] ages, double plan, double tEnd) {
        TreeSet<Double> g = new TreeSet<>();
        double lo = ages[0];
        for (int j = 0; j < LEAD_POINTS - 1; j++) { // the window's start itself is a candidate
            g.add(t0 + (lo - t0) * j / (LEAD_POINTS - 1));
        }
        for (double a : ages) {
            g.add(a);
        }
        g.add(plan);
        g.add(tEnd);
        return g.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
