package org.biotwin.kinetics.internal.sim.testmodels;

import java.util.List;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.ModelDescriptor;
import org.biotwin.api.model.ModelInput;
import org.biotwin.api.model.ModelParameter;
import org.biotwin.api.model.Observable;
import org.biotwin.api.model.StateKind;
import org.biotwin.api.model.StateVariable;

/**
 * Fed-batch secreted-protein model of S. Park and W. F. Ramirez, "Optimal production of secreted protein in fed-batch
 * reactors", AIChE J. 34(9):1550-1558, 1988 (doi:10.1002/aic.690340917), in the benchmark form of R. Luus,
 * Biotechnol. Bioeng. 41:599, 1993. States: secreted protein x1 and total protein x2 (units/L), cells x3 (g/L),
 * glucose x4 (g/L), volume x5 (L); input u = feed rate (L/h) of 20 g/L glucose. Constants are the paper's. Test model;
 * stateless.
 */
public final class ParkRamirezModel implements KineticModel {

    @Override
    public ModelDescriptor descriptor() {
        return new ModelDescriptor("test.park-ramirez", "1.0.0", "Park-Ramirez secreted protein", "recombinant yeast",
                "fed-batch protein secretion", "Park & Ramirez, AIChE J 34:1550 (1988)", List.of());
    }

    @Override
    public List<StateVariable> states() {
        return List.of(
                new StateVariable("x1", "[U]/L", StateKind.CONCENTRATION, 0, 0, 1e-10, "secreted protein"),
                new StateVariable("x2", "[U]/L", StateKind.CONCENTRATION, 0, 0, 1e-10, "total protein"),
                new StateVariable("x3", "g/L", StateKind.CONCENTRATION, 1, 0, 1e-10, "cell density"),
                new StateVariable("x4", "g/L", StateKind.CONCENTRATION, 5, 0, 1e-10, "glucose"),
                new StateVariable("x5", "L", StateKind.VOLUME, 1, 0, 1e-10, "broth volume"));
    }

    @Override
    public List<ModelParameter> parameters() {
        return List.of(new ModelParameter("S_F", "g/L", 20, 0, 1000, "glucose in the feed (Park & Ramirez 1988)"));
    }

    @Override
    public List<ModelInput> inputs() {
        return List.of(new ModelInput("u", "L/h", 0, 0, 10, "feed rate"));
    }

    @Override
    public List<Observable> observables() {
        return List.of(new Observable("P_sec", "[U]", "secreted protein amount x1 x5"));
    }

    @Override
    public void derivatives(double t, double[] x, double[] p, double[] u, double[] dx) {
        double x4 = x[3];
        double g3 = 21.87 * x4 / ((x4 + 0.4) * (x4 + 62.5));
        double g1 = 4.75 * g3 / (0.12 + g3);
        double g2 = x4 / (0.1 + x4) * Math.exp(-5.0 * x4);
        double d = u[0] / x[4];
        dx[0] = g1 * (x[1] - x[0]) - d * x[0];
        dx[1] = g2 * x[2] - d * x[1];
        dx[2] = g3 * x[2] - d * x[2];
        dx[3] = -7.3 * g3 * x[2] + d * (p[0] - x4);
        dx[4] = u[0];
    }

    @Override
    public void observe(double t, double[] x, double[] p, double[] u, double[] z) {
        z[0] = x[0] * x[4];
    }
}
