package org.biotwin.advisory.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.biotwin.api.advisory.ProposedAction;
import org.biotwin.api.advisory.WhatIfResult;
import org.biotwin.api.kinetics.Constraint;
import org.biotwin.api.kinetics.FeedOptimizer;
import org.biotwin.api.kinetics.Objective;
import org.biotwin.api.kinetics.OptimizationProblem;
import org.biotwin.api.kinetics.OptimizationResult;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.Simulator;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.model.InputProfile;
import org.biotwin.api.model.ModelInput;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.api.model.ProcessEvent;
import org.biotwin.api.twin.PlanningBasis;

/**
 * The advisor's reasoning, without OSGi: when does a batch need advice, what is the best allowed action, and what
 * does an action do compared with the current plan.
 * <p>
 * Advice is triggered by the current plan's paired-ensemble outcome: a median titre at harvest below target, a
 * planned harvest outside the policy's harvest window, or a probability above the risk limit of substrate depletion,
 * overfeeding or overfilling. Two actions are searched:
 * <ul>
 * <li>the feed profile that maximises product mass at harvest under the recipe's rate bounds and the path
 * constraints (kinetic core's control-vector-parameterisation optimiser, from the mean estimate) with the
 * constraints tightened by a back-off margin that widens until the ensemble's violation risks are within the limit
 * (a simple form of the back-off approach to optimisation under uncertainty; Srinivasan, Bonvin et al., Comput.
 * Chem. Eng. 27 (2003) 1-26); it is kept if the paired ensemble confirms a median gain above the configured minimum
 * without a risk above the limit, or if it removes a risk;</li>
 * <li>with a harvest window, the harvest age ({@link HarvestSearch}); it is kept if it meets a target the plan misses
 * or gains more than the minimum (value after occupancy cost with a price), without raising a risk;</li>
 * <li>with a bolus window, the time of the recipe's bolus ({@link BolusSearch}); kept like a feed profile.</li>
 * </ul>
 * If several are kept, {@link #preference} picks one: within the risk limit first, then meeting the targets, then the
 * higher score. Temperature shifts are not searched: no model of this suite has a temperature dependence (what-if
 * accepts a setpoint change for models that do). Thread-safe.
 */
final class AdvisorCore {

    /** A proposal before it is registered. */
    record Candidate(List<String> triggers, WhatIfResult whatIf) {
    }

    private final Simulator simulator;
    private final FeedOptimizer optimizer;
    private final ExecutorService executor;
    private final Clock clock;

    AdvisorCore(Simulator simulator, FeedOptimizer optimizer, ExecutorService executor, Clock clock) {
        this.simulator = simulator;
        this.optimizer = optimizer;
        this.executor = executor;
        this.clock = clock;
    }

    WhatIfResult whatIf(PlanningBasis b, AdvisoryPolicy policy, ProposedAction action, long seed) {
        PairedEnsemble.Plan baseline = new PairedEnsemble.Plan(b.schedule(), b.harvestAge());
        PairedEnsemble.Plan withAction = apply(b, action);
        PairedEnsemble.Comparison c = PairedEnsemble.compare(b, baseline, withAction, policy, simulator, seed,
                executor);
        double g50 = c.gainQuantile(0.5);
        // Business value of the median gain, less the occupancy cost of the reactor time the action adds (or plus
        // what it saves); the harvest-age difference is the same in every member, so this is the median value.
        double extraHours = withAction.harvestAge() - baseline.harvestAge();
        double value = policy.price() > 0 ? g50 * policy.price() - policy.occupancyCostPerHour() * extraHours
                : Double.NaN;
        return new WhatIfResult(b.unitId(), clock.instant(), b.batchAge(), action, c.baseline(), c.withAction(),
                c.gainQuantile(0.05), g50, c.gainQuantile(0.95), value, policy.price() > 0 ? policy.currency() : "");
    }

    Optional<Candidate> advise(PlanningBasis b, AdvisoryPolicy policy, long seed) {
        PairedEnsemble.Plan plan = new PairedEnsemble.Plan(b.schedule(), b.harvestAge());
        PairedEnsemble.Comparison now = PairedEnsemble.compare(b, plan, plan, policy, simulator, seed, executor);
        List<String> triggers = triggers(b, policy, now);
        if (triggers.isEmpty()) {
            return Optional.empty();
        }
        List<WhatIfResult> options = new ArrayList<>(3);
        feedOption(b, policy, seed).ifPresent(options::add);
        harvestOption(b, policy, seed, now).ifPresent(options::add);
        bolusOption(b, policy, seed).ifPresent(options::add);
        return options.stream().max(preference(b, policy)).map(w -> new Candidate(triggers, w));
    }

    /**
     * Which of two proposals is better: first, one that keeps every risk within the limit; then, one that meets the
     * batch targets (titre at harvest, harvest in the window) the plan misses; then the higher score (business value
     * with a price, else the median gain of product).
     */
    static Comparator<WhatIfResult> preference(PlanningBasis b, AdvisoryPolicy policy) {
        return Comparator.<WhatIfResult, Boolean>comparing(w -> maxRisk(w) <= policy.riskLimit())
                .thenComparing(w -> meetsTargets(w.withAction(), policy) && !meetsTargets(w.baseline(), policy))
                .thenComparingDouble(w -> score(w, policy));
    }

    static double score(WhatIfResult w, AdvisoryPolicy policy) {
        return policy.price() > 0 ? w.value() : w.gainP50();
    }

    /** Median titre at harvest at or above the target (if any), and harvest inside the window (if any). */
    static boolean meetsTargets(org.biotwin.api.advisory.Outcome o, AdvisoryPolicy policy) {
        boolean titre = policy.titreTarget() <= 0 || finalMedian(o) >= policy.titreTarget();
        boolean window = !policy.harvestWindow() || (o.harvestAge() >= policy.harvestEarliestAge() - 1e-9
                && o.harvestAge() <= policy.harvestLatestAge() + 1e-9);
        return titre && window;
    }

    private static double finalMedian(org.biotwin.api.advisory.Outcome o) {
        return o.trajectories().get(0).finalMedian();
    }

    /** The best feed profile from now to the planned harvest, if it gains enough or removes a risk. */
    Optional<WhatIfResult> feedOption(PlanningBasis b, AdvisoryPolicy policy, long seed) {
        // The optimum sits on its constraints at the mean estimate, so half of the ensemble would violate them:
        // optimise against bounds tightened by a margin, widening it until the ensemble's risks are within limits.
        WhatIfResult best = null;
        for (double margin : MARGINS) {
            OptimizationResult opt = optimizeFeed(b, policy, margin);
            ProposedAction action = ProposedAction.feed(opt.optimalProfile(), describe(policy, opt));
            WhatIfResult w = whatIf(b, policy, action, seed);
            if (best == null || maxRisk(w) < maxRisk(best)) {
                best = w;
            }
            if (maxRisk(w) <= policy.riskLimit()) {
                best = w;
                break;
            }
        }
        WhatIfResult w = best;
        boolean gains = w.gainP50() > policy.minimumRelativeGain() * Math.abs(w.baseline().p50());
        boolean safer = maxRisk(w) < maxRisk(w.baseline()) && maxRisk(w) <= policy.riskLimit();
        boolean notRiskier = maxRisk(w) <= Math.max(policy.riskLimit(), maxRisk(w.baseline()));
        if (!(gains && notRiskier) && !safer) {
            return Optional.empty();
        }
        return Optional.of(w);
    }

    /**
     * The best harvest age in the policy's window ({@link HarvestSearch}), checked by the paired comparison with the
     * plan, if it meets a target the plan misses or gains more than the minimum without raising a risk.
     */
    Optional<WhatIfResult> harvestOption(PlanningBasis b, AdvisoryPolicy policy, long seed,
            PairedEnsemble.Comparison now) {
        Optional<HarvestSearch.Choice> found = HarvestSearch.search(b, policy, simulator, seed, executor);
        if (found.isEmpty() || !HarvestSearch.worthProposing(found.get(), b, policy, now.baseline().p50())) {
            return Optional.empty();
        }
        HarvestSearch.Choice c = found.get();
        String unit = now.baseline().trajectories().get(0).unit();
        WhatIfResult w = whatIf(b, policy, ProposedAction.harvestAt(c.age(), HarvestSearch.describe(c, b, policy,
                unit)), seed);
        boolean meets = meetsTargets(w.withAction(), policy) && !meetsTargets(w.baseline(), policy);
        boolean gains = score(w, policy) > policy.minimumRelativeGain() * Math.abs(w.baseline().p50())
                * (policy.price() > 0 ? policy.price() : 1);
        boolean notRiskier = maxRisk(w) <= Math.max(policy.riskLimit(), maxRisk(w.baseline()));
        return (meets || gains) && notRiskier ? Optional.of(w) : Optional.empty();
    }

    /**
     * The best time of the recipe's bolus in its window ({@link BolusSearch}, from the mean estimate), checked by the
     * paired comparison with the plan, if it gains more than the minimum without raising a risk, or removes one.
     */
    Optional<WhatIfResult> bolusOption(PlanningBasis b, AdvisoryPolicy policy, long seed) {
        Optional<BolusSearch.Choice> found = BolusSearch.search(b, policy, simulator, executor);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        BolusSearch.Choice c = found.get();
        WhatIfResult w = whatIf(b, policy, ProposedAction.bolus(c.time(), policy.bolusVolume(),
                policy.bolusContent(), BolusSearch.describe(c, policy)), seed);
        boolean gains = w.gainP50() > policy.minimumRelativeGain() * Math.abs(w.baseline().p50());
        boolean safer = maxRisk(w) < maxRisk(w.baseline()) && maxRisk(w) <= policy.riskLimit();
        boolean notRiskier = maxRisk(w) <= Math.max(policy.riskLimit(), maxRisk(w.baseline()));
        return (gains && notRiskier) || safer ? Optional.of(w) : Optional.empty();
    }

    /** Margins tried, as fractions of each constraint's range (or of its bound when one-sided). */
    static final double[] MARGINS = {0.1, 0.25, 0.5};

    private static double maxRisk(WhatIfResult w) {
        return maxRisk(w.withAction());
    }

    private static double maxRisk(org.biotwin.api.advisory.Outcome o) {
        return o.violationRisk().values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    private List<String> triggers(PlanningBasis b, AdvisoryPolicy policy, PairedEnsemble.Comparison now) {
        List<String> t = new ArrayList<>();
        if (policy.titreTarget() > 0) {
            double[] p50 = now.baseline().trajectories().get(0).p50();
            double titre = p50[p50.length - 1];
            if (titre < policy.titreTarget()) {
                t.add(String.format(Locale.ROOT, "target: %s at harvest %.4g (median) below the target %.4g",
                        policy.productVariable(), titre, policy.titreTarget()));
            }
        }
        if (policy.harvestWindow() && (b.harvestAge() < policy.harvestEarliestAge()
                || b.harvestAge() > policy.harvestLatestAge())) {
            t.add("target: planned harvest at " + hours(b.harvestAge()) + " h outside the window ["
                    + hours(policy.harvestEarliestAge()) + ", " + hours(policy.harvestLatestAge()) + "] h");
        }
        now.baseline().violationRisk().forEach((constraint, risk) -> {
            if (risk > policy.riskLimit()) {
                t.add(String.format(Locale.ROOT, "risk: P(%s) = %.0f %% exceeds %.0f %%", constraint, 100 * risk,
                        100 * policy.riskLimit()));
            }
        });
        return t;
    }

    private OptimizationResult optimizeFeed(PlanningBasis b, AdvisoryPolicy policy, double margin) {
        ModelInput input = b.model().inputs().stream().filter(i -> i.name().equals(policy.feedInput())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Model " + b.model().descriptor().coordinates()
                        + " has no input '" + policy.feedInput() + "' (advisory policy of " + b.unitId() + ")"));
        double t0 = b.batchAge();
        double t1 = b.harvestAge();
        if (!(t1 > t0)) {
            throw new IllegalArgumentException("Batch of " + b.unitId() + " is at " + t0
                    + " h, past its planned harvest at " + t1 + " h: nothing left to optimise");
        }
        int n = policy.intervals();
        double lower = Math.max(policy.feedMin(), input.lowerBound());
        double upper = Math.min(policy.feedMax(), input.upperBound());
        double[] initial = new double[n];
        InputProfile current = b.schedule().profile(input.name()).orElse(null);
        for (int k = 0; k < n; k++) {
            double mid = t0 + (k + 0.5) * (t1 - t0) / n;
            double rate = current == null ? input.defaultValue() : current.valueAt(mid, input.defaultValue());
            initial[k] = Math.min(upper, Math.max(lower, rate));
        }
        SimulationRequest base = new SimulationRequest(b.model(), b.mean(), b.parameters(), t0, t1, new double[] {t1},
                b.schedule(), SolverSettings.DEFAULT);
        double range = policy.substrateMax() - policy.substrateMin();
        List<Constraint> constraints = List.of(
                Constraint.pathMin(policy.substrateVariable(), policy.substrateMin() + margin * range),
                Constraint.pathMax(policy.substrateVariable(), policy.substrateMax() - margin * range),
                Constraint.pathMax(policy.volumeVariable(), policy.volumeMax() * (1 - 0.1 * margin)));
        return optimizer.optimize(new OptimizationProblem(base, input.name(), t0, n, lower, upper, initial,
                Objective.maximiseMass(policy.productVariable(), policy.volumeVariable()), constraints, 49, 1e-3,
                5000, Duration.ofMillis(Math.round(policy.optimisationSeconds() * 1000 / MARGINS.length))));
    }

    /** A batch age for people: whole hours without decimals. */
    static String hours(double h) {
        return h == Math.rint(h) ? String.format(Locale.ROOT, "%.0f", h) : String.format(Locale.ROOT, "%.4g", h);
    }

    private static String describe(AdvisoryPolicy policy, OptimizationResult opt) {
        StringBuilder sb = new StringBuilder("Feed ").append(policy.feedInput()).append(" at");
        double[] times = opt.optimalProfile().times();
        double[] rates = opt.rates();
        for (int k = 0; k < rates.length; k++) {
            sb.append(String.format(Locale.ROOT, " %.3g from %.0f h%s", rates[k], times[k],
                    k < rates.length - 1 ? "," : ""));
        }
        return sb.append(" (").append(opt.feasible() ? "all constraints met" : "best compromise: " + opt.message())
                .append(')').toString();
    }

    static PairedEnsemble.Plan apply(PlanningBasis b, ProposedAction a) {
        OperatingSchedule s = b.schedule();
        return switch (a.kind()) {
            case FEED_PROFILE, SETPOINT_CHANGE -> {
                if (b.model().inputs().stream().noneMatch(i -> i.name().equals(a.profile().input()))) {
                    throw new IllegalArgumentException("Model " + b.model().descriptor().coordinates()
                            + " has no input '" + a.profile().input() + "'");
                }
                yield new PairedEnsemble.Plan(s.with(a.profile()), b.harvestAge());
            }
            case BOLUS -> {
                if (a.time() < b.batchAge()) {
                    throw new IllegalArgumentException("A bolus at " + a.time() + " h lies before the estimate at "
                            + b.batchAge() + " h");
                }
                yield new PairedEnsemble.Plan(s.with(new ProcessEvent.Bolus(a.time(), a.volume(), a.content())),
                        b.harvestAge());
            }
            case HARVEST_TIME -> {
                if (a.time() <= b.batchAge()) {
                    throw new IllegalArgumentException("A harvest at " + a.time() + " h lies before the estimate at "
                            + b.batchAge() + " h");
                }
                yield new PairedEnsemble.Plan(s, a.time());
            }
        };
    }
}
