package org.biotwin.softsensor.internal;

import java.util.List;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.ModelDescriptor;
import org.biotwin.api.model.ModelInput;
import org.biotwin.api.model.ModelParameter;
import org.biotwin.api.model.Observable;
import org.biotwin.api.model.StateKind;
import org.biotwin.api.model.StateVariable;

/**
 * Monod fed-batch (X g/L, S g/L, V L) with an oxygen-uptake observable by Pirt's law, for filter tests. Textbook model:
 * Dunn et al., Biological Reaction Engineering, 2nd ed., Wiley-VCH 2003, §2.
 */
final class MonodTestModel implements KineticModel {
    // parameters: mu_max /h, K_S g/L, Y_XS g/g, S_F g/L, Y_XO g/mmol, m_O mmol/g/h
    static final double[] NOMINAL = {0.4, 0.1, 0.5, 200, 0.03, 0.5};

    @Override
    public ModelDescriptor descriptor() {
        return new ModelDescriptor("test.monod", "1.0.0", "Monod fed-batch", "generic", "fed-batch", "Dunn 2003",
                List.of());
    }

    @Override
    public List<StateVariable> states() {
        return List.of(
                new StateVariable("X", "g/L", StateKind.CONCENTRATION, 0.5, 0, 1e-8, "biomass"),
                new StateVariable("S", "g/L", StateKind.CONCENTRATION, 10, 0, 1e-8, "substrate"),
                new StateVariable("V", "L", StateKind.VOLUME, 2, 0, 1e-8, "volume"));
    }

    @Override
    public List<ModelParameter> parameters() {
        return List.of(
                new ModelParameter("mu_max", "/h", NOMINAL[0], 0.01, 2, "max growth rate"),
                new ModelParameter("K_S", "g/L", NOMINAL[1], 1e-4, 10, "affinity"),
                new ModelParameter("Y_XS", "g/g", NOMINAL[2], 0.01, 1, "yield"),
                new ModelParameter("S_F", "g/L", NOMINAL[3], 0, 1000, "feed concentration"),
                new ModelParameter("Y_XO", "g/mmol", NOMINAL[4], 1e-3, 1, "yield on oxygen"),
                new ModelParameter("m_O", "mmol/g/h", NOMINAL[5], 0, 10, "maintenance"));
    }

    @Override
    public List<ModelInput> inputs() {
        return List.of(new ModelInput("F", "L/h", 0, 0, 1, "feed rate"));
    }

    @Override
    public List<Observable> observables() {
        return List.of(new Observable("OUR", "mmol/L/h", "oxygen uptake rate"));
    }

    @Override
    public void derivatives(double t, double[] y, double[] p, double[] u, double[] yDot) {
        double mu = p[0] * y[1] / (p[1] + y[1]);
        double d = u[0] / y[2];
        yDot[0] = mu * y[0] - d * y[0];
        yDot[1] = -mu * y[0] / p[2] + d * (p[3] - y[1]);
        yDot[2] = u[0];
    }

    @Override
    public void observe(double t, double[] y, double[] p, double[] u, double[] z) {
        double mu = p[0] * y[1] / (p[1] + y[1]);
        z[0] = (mu / p[4] + p[5]) * y[0];
    }
}
