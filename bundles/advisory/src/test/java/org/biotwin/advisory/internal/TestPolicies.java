package org.biotwin.advisory.internal;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.Map;
import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.SolverSettings;
import org.biotwin.api.kinetics.Trajectory;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.OperatingSchedule;
import org.biotwin.api.twin.PlanningBasis;
import org.biotwin.kinetics.internal.sim.SimulatorComponent;

/**
 * Test fixtures: a policy configuration as ConfigAdmin would give it (the values given, the metatype defaults for the
 * rest), and a twin's planning basis on a simulated batch.
 */
final class TestPolicies {

    private TestPolicies() {
    }

    static AdvisoryPolicy policy(Map<String, Object> values) {
        return AdvisoryPolicy.from((AdvisoryPolicyConfiguration) Proxy.newProxyInstance(
                AdvisoryPolicyConfiguration.class.getClassLoader(), new Class<?>[] {AdvisoryPolicyConfiguration.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return AdvisoryPolicyConfiguration.class;
                    }
                    Object v = values.containsKey(method.getName()) ? values.get(method.getName())
                            : method.getDefaultValue();
                    if (v == null) {
                        throw new IllegalStateException("test policy lacks '" + method.getName() + "'");
                    }
                    return v;
                }));
    }

    /**
     * The planning basis a twin would have at {@code now} h: the batch simulated from the model's nominal start under
     * {@code schedule}, with a 5 % standard uncertainty on every state.
     */
    static PlanningBasis basis(SimulatorComponent sim, KineticModel model, OperatingSchedule schedule, double now,
            double harvestAge, String unit, String batch) {
        Trajectory t = sim.simulate(new SimulationRequest(model, model.nominalInitialState(),
                model.nominalParameters(), 0, now, new double[] {now}, schedule, SolverSettings.DEFAULT));
        double[] x = t.finalState();
        double[][] cov = new double[x.length][x.length];
        for (int i = 0; i < x.length; i++) {
            double sd = 0.05 * Math.abs(x[i]);
            cov[i][i] = sd * sd;
        }
        return new PlanningBasis(unit, batch, Instant.parse("2026-03-01T00:00:00Z"), model, model.nominalParameters(),
                now, x, cov, schedule, harvestAge);
    }
}
