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
 * Robertson's stiff chemical kinetics (H. H. Robertson 1966; problem ROBER of Hairer and Wanner, <i>Solving ODEs
 * II</i>, 1996, §IV.1): {@code y1' = -k1 y1 + k3 y2 y3}, {@code y2' = k1 y1 - k3 y2 y3 - k2 y2^2},
 * {@code y3' = k2 y2^2}, k1 = 0.04, k2 = 3e7, k3 = 1e4, y(0) = (1, 0, 0). Time unit h stands in for the problem's
 * dimensionless time. The stiffness ratio is about 1e4 at t = 0 and grows with t. Test model; stateless.
 */
public class RobertsonModel implements KineticModel {

    private final boolean analyticJacobian;

    /** @param analyticJacobian whether to offer the analytic Jacobian (else the simulator uses finite differences) */
    public RobertsonModel(boolean analyticJacobian) {
        this.analyticJacobian = analyticJacobian;
    }

    @Override
    public ModelDescriptor descriptor() {
        return new ModelDescriptor("test.robertson", analyticJacobian ? "1.0.0" : "1.0.1-fd", "Robertson kinetics",
                "none", "stiff chemical kinetics", "H. H. Robertson (1966); Hairer & Wanner (1996) ROBER", List.of());
    }

    @Override
    public List<StateVariable> states() {
        return List.of(
                new StateVariable("y1", "1", StateKind.INTENSIVE, 1, 0, 1e-12, "species A"),
                new StateVariable("y2", "1", StateKind.INTENSIVE, 0, 0, 1e-16, "species B (fast, ~1e-5)"),
                new StateVariable("y3", "1", StateKind.INTENSIVE, 0, 0, 1e-12, "species C"));
    }

    @Override
    public List<ModelParameter> parameters() {
        return List.of(
                new ModelParameter("k1", "/h", 0.04, 0, 1, "A -> B"),
                new ModelParameter("k2", "/h", 3e7, 0, 1e9, "2B -> B + C"),
                new ModelParameter("k3", "/h", 1e4, 0, 1e6, "B + C -> A + C"));
    }

    @Override
    public List<ModelInput> inputs() {
        return List.of();
    }

    @Override
    public List<Observable> observables() {
        return List.of(new Observable("total", "1", "y1 + y2 + y3, conserved (= 1)"));
    }

    @Override
    public void derivatives(double t, double[] y, double[] p, double[] u, double[] yDot) {
        double r1 = p[0] * y[0];
        double r2 = p[1] * y[1] * y[1];
        double r3 = p[2] * y[1] * y[2];
        yDot[0] = -r1 + r3;
        yDot[1] = r1 - r3 - r2;
        yDot[2] = r2;
    }

    @Override
    public boolean hasJacobian() {
        return analyticJacobian;
    }

    @Override
    public void jacobian(double t, double[] y, double[] p, double[] u, double[][] j) {
        if (!analyticJacobian) {
            KineticModel.super.jacobian(t, y, p, u, j);
        }
        j[0][0] = -p[0];
        j[0][1] = p[2] * y[2];
        j[0][2] = p[2] * y[1];
        j[1][0] = p[0];
        j[1][1] = -p[2] * y[2] - 2 * p[1] * y[1];
        j[1][2] = -p[2] * y[1];
        j[2][0] = 0;
        j[2][1] = 2 * p[1] * y[1];
        j[2][2] = 0;
    }

    @Override
    public void observe(double t, double[] y, double[] p, double[] u, double[] z) {
        z[0] = y[0] + y[1] + y[2];
    }
}
