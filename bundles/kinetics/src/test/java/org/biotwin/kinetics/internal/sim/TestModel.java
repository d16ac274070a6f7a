package org.biotwin.kinetics.internal.sim;

import java.util.List;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.ModelDescriptor;
import org.biotwin.api.model.ModelInput;
import org.biotwin.api.model.ModelParameter;
import org.biotwin.api.model.Observable;
import org.biotwin.api.model.StateKind;
import org.biotwin.api.model.StateVariable;

/**
 * A small model assembled from a right-hand side, for event, non-negativity, budget and bad-input tests. Its
 * observables echo its inputs ({@code u_<input>}), so tests can see which input value an output time used. Stateless.
 */
final class TestModel implements KineticModel {

    @FunctionalInterface
    interface Rhs {
        void f(double t, double[] y, double[] p, double[] u, double[] yDot);
    }

    private final ModelDescriptor descriptor;
    private final List<StateVariable> states;
    private final List<ModelParameter> parameters;
    private final List<ModelInput> inputs;
    private final Rhs rhs;

    TestModel(String id, List<StateVariable> states, List<ModelParameter> parameters, List<ModelInput> inputs,
            Rhs rhs) {
        this.descriptor = new ModelDescriptor(id, "1.0.0", id, "none", "test", "test", List.of());
        this.states = states;
        this.parameters = parameters;
        this.inputs = inputs;
        this.rhs = rhs;
    }

    static StateVariable state(String name, StateKind kind) {
        return new StateVariable(name, "1", kind, 0, 0, 1e-10, name);
    }

    static StateVariable signed(String name) {
        return new StateVariable(name, "1", StateKind.INTENSIVE, 0, Double.NEGATIVE_INFINITY, 1e-10, name);
    }

    static ModelParameter parameter(String name, double nominal) {
        return new ModelParameter(name, "1", nominal, -1e9, 1e9, name);
    }

    static ModelInput input(String name) {
        return new ModelInput(name, "1", 0, -1e9, 1e9, name);
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public List<StateVariable> states() {
        return states;
    }

    @Override
    public List<ModelParameter> parameters() {
        return parameters;
    }

    @Override
    public List<ModelInput> inputs() {
        return inputs;
    }

    @Override
    public List<Observable> observables() {
        return inputs.stream().map(i -> new Observable("u_" + i.name(), i.unit(), "echo of " + i.name())).toList();
    }

    @Override
    public void derivatives(double t, double[] y, double[] p, double[] u, double[] yDot) {
        rhs.f(t, y, p, u, yDot);
    }

    @Override
    public void observe(double t, double[] y, double[] p, double[] u, double[] z) {
        System.arraycopy(u, 0, z, 0, u.length);
    }
}
