package org.biotwin.engine.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.biotwin.api.kinetics.Distribution;
import org.biotwin.api.kinetics.EnsembleResult;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.kinetics.UncertaintyProblem;
import org.biotwin.api.kinetics.UncertaintyPropagator;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.StateVariable;
import org.biotwin.api.twin.PlanningBasis;
import org.biotwin.api.twin.Prediction;
import org.biotwin.api.twin.PredictionBand;

/**
 * End-of-batch prediction: a Monte Carlo ensemble from the current estimate to the harvest age under the planned
 * schedule, through the kinetic core's {@link UncertaintyPropagator}.
 * <p>
 * Each member starts from a draw of the estimate: state i is normal with the estimate's mean and standard deviation
 * (correlations between states are not carried into the draw — a documented simplification of the kinetic core's
 * per-state initial-state distributions). Parameters the twin adapts online enter at their estimates, each drawn from
 * a normal with its estimated standard deviation. The output grid has {@value #POINTS} points. Stateless and thread-safe.
 */
final class EndOfBatchPredictor {

    static final int POINTS = 49;

    private EndOfBatchPredictor() {
    }

    static Prediction predict(PredictionInput in, UncertaintyPropagator propagator, long seed) {
        PlanningBasis b = in.basis();
        double t0 = b.batchAge();
        double t1 = Math.max(b.harvestAge(), t0 + 1e-3);
        double[] grid = new double[POINTS];
        for (int k = 0; k < POINTS; k++) {
            grid[k] = t0 + (t1 - t0) * k / (POINTS - 1);
        }
        grid[POINTS - 1] = t1;
        double[] mean = b.mean();
        double[][] cov = b.covariance();
        KineticModel model = b.model();
        Map<String, Distribution> parameterDistributions = new HashMap<>();
        in.parameterSd().forEach((name, sd) -> {
            if (sd > 0) {
                int j = parameterIndex(model, name);
                parameterDistributions.put(name, new Distribution.Normal(b.parameters()[j], sd));
            }
        });
        SimulationRequest nominal = new SimulationRequest(model, mean, b.parameters(), t0, t1, grid, b.schedule(),
                SolverSettings.DEFAULT);
        List<StateVariable> states = model.states();
        Map<String, Distribution> initial = new HashMap<>();
        for (int i = 0; i < states.size(); i++) {
            double sd = Math.sqrt(Math.max(0, cov[i][i]));
            if (sd > 0) {
                initial.put(states.get(i).name(), new Distribution.Normal(mean[i], sd));
            }
        }
        if (initial.isEmpty() && parameterDistributions.isEmpty()) {
            // a certain estimate: a nominal run is the whole prediction; the propagator needs one uncertain input
            StateVariable s0 = states.get(0);
            initial.put(s0.name(), new Distribution.Normal(mean[0], Math.max(s0.absTolerance(), 1e-12)));
        }
        UncertaintyProblem problem = new UncertaintyProblem(nominal, null, parameterDistributions, initial,
                in.ensembleSize(), seed);
        EnsembleResult r = propagator.propagate(problem, p -> { });
        if (r.succeeded() == 0) {
            throw new IllegalStateException("Prediction of " + b.unitId() + " with " + r.model()
                    + ": every ensemble member failed, first: " + (r.failures().isEmpty() ? "?" : r.failures().get(0)));
        }
        List<PredictionBand> bands = new ArrayList<>(r.observableBands());
        bands.addAll(r.stateBands());
        return new Prediction(b.unitId(), b.batchId(), b.at(t0), b.at(t1), r.succeeded(), bands, in.lineage());
    }

    private static int parameterIndex(KineticModel model, String name) {
        for (int j = 0; j < model.parameters().size(); j++) {
            if (model.parameters().get(j).name().equals(name)) {
                return j;
            }
        }
        throw new IllegalArgumentException(model.descriptor().coordinates() + " has no parameter " + name);
    }
}
