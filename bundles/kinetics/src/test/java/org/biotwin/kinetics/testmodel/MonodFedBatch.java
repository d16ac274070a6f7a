package org.biotwin.kinetics.testmodel;

import java.util.List;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.ModelDescriptor;
import org.biotwin.api.model.ModelInput;
import org.biotwin.api.model.ModelParameter;
import org.biotwin.api.model.Observable;
import org.biotwin.api.model.StateKind;
import org.biotwin.api.model.StateVariable;

/**
 * Test model of the estimation, uncertainty and optimisation tests: an unstructured Monod fed-batch with
 * Luedeking-Piret product formation and first-order death (Bailey and Ollis, Biochemical Engineering Fundamentals,
 * 2nd ed., 1986, ch. 7):
 *
 * <pre>
 * mu = mu_max S / (K_s + S),  D = F / V
 * dX/dt = (mu - k_d) X - D X                  X biomass, g/L
 * dS/dt = -mu X / Y_xs + D (S_in - S)         S substrate, g/L
 * dP/dt = (alpha mu + beta) X - D P           P product, g/L
 * dV/dt = F                                   V volume, L
 * </pre>
 *
 * Stateless and thread-safe.
 */
public final class MonodFedBatch implements KineticModel {

    public static final int X = 0;
    public static final int S = 1;
    public static final int P = 2;
    public static final int V = 3;

    private static final ModelDescriptor DESCRIPTOR = new ModelDescriptor("test.monod.fedbatch", "1.0.0",
            "Monod fed-batch (test model)", "generic", "fed-batch", "Bailey and Ollis 1986, ch. 7", List.of());
    private static final List<StateVariable> STATES = List.of(
            new StateVariable("X", "g/L", StateKind.CONCENTRATION, 0.5, 0, 1e-8, "biomass"),
            new StateVariable("S", "g/L", StateKind.CONCENTRATION, 20, 0, 1e-8, "substrate"),
            new StateVariable("P", "g/L", StateKind.CONCENTRATION, 0, 0, 1e-8, "product"),
            new StateVariable("V", "L", StateKind.VOLUME, 1.0, 0, 1e-8, "broth volume"));
    private static final List<ModelParameter> PARAMETERS = List.of(
            new ModelParameter("mu_max", "/h", 0.30, 0, 2, "maximum specific growth rate"),
            new ModelParameter("K_s", "g/L", 0.50, 0, 50, "Monod half-saturation constant"),
            new ModelParameter("Y_xs", "g/g", 0.50, 0.01, 1, "biomass yield on substrate"),
            new ModelParameter("alpha", "g/g", 0.20, 0, 5, "growth-associated product yield"),
            new ModelParameter("beta", "g/(g.h)", 0.010, 0, 1, "non-growth-associated product rate"),
            new ModelParameter("k_d", "/h", 0.010, 0, 0.5, "death rate"),
            new ModelParameter("S_in", "g/L", 200, 0, 1000, "substrate concentration in the feed"));
    private static final List<ModelInput> INPUTS = List.of(new ModelInput("F", "L/h", 0, 0, 0.5, "feed rate"));
    private static final List<Observable> OBSERVABLES = List.of(
            new Observable("biomass", "g/L", "biomass concentration"),
            new Observable("glucose", "g/L", "substrate concentration"),
            new Observable("titre", "g/L", "product concentration"),
            new Observable("product_mass", "g", "product in the vessel, P*V"));

    @Override
    public ModelDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<StateVariable> states() {
        return STATES;
    }

    @Override
    public List<ModelParameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public List<ModelInput> inputs() {
        return INPUTS;
    }

    @Override
    public List<Observable> observables() {
        return OBSERVABLES;
    }

    @Override
    public void derivatives(double t, double[] y, double[] p, double[] u, double[] yDot) {
        double s = Math.max(y[S], 0);
        double mu = p[0] * s / (p[1] + s);
        double d = u[0] / y[V];
        yDot[X] = (mu - p[5]) * y[X] - d * y[X];
        yDot[S] = -mu * y[X] / p[2] + d * (p[6] - y[S]);
        yDot[P] = (p[3] * mu + p[4]) * y[X] - d * y[P];
        yDot[V] = u[0];
    }

    @Override
    public void observe(double t, double[] y, double[] p, double[] u, double[] z) {
        z[0] = y[X];
        z[1] = y[S];
        z[2] = y[P];
        z[3] = y[P] * y[V];
    }
}
