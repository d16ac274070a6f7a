package org.biotwin.engine.internal;

import java.util.ArrayList;
import java.util.List;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.ModelDescriptor;
import org.biotwin.api.model.ModelInput;
import org.biotwin.api.model.ModelParameter;
import org.biotwin.api.model.Observable;
import org.biotwin.api.model.StateKind;
import org.biotwin.api.model.StateVariable;

/**
 * A model whose selected parameters are extra states with zero drift, so that a Kalman filter estimates them jointly
 * with the states (joint state and parameter estimation by state augmentation; Jazwinski, Stochastic Processes and
 * Filtering Theory, 1970, §8; for bioprocesses Dochain, J. Process Control 13 (2003) 801-818). The random walk comes
 * from the filter's process noise on those states.
 * <p>
 * The augmented state is {@code [x; θ]}; the right-hand side and measurement functions use {@code θ} in place of the
 * configured parameters. The analytic Jacobian of the wrapped model is not reused (the filter differentiates
 * numerically). Stateless and thread-safe: the parameter vector is copied per call.
 */
final class ParameterAugmentedModel implements KineticModel {

    private final KineticModel base;
    private final int n;
    private final int[] parameterIndex;
    private final List<StateVariable> states;

    ParameterAugmentedModel(KineticModel base, List<AdaptedParameter> adapted) {
        this.base = base;
        this.n = base.states().size();
        this.parameterIndex = new int[adapted.size()];
        List<ModelParameter> params = base.parameters();
        List<StateVariable> s = new ArrayList<>(base.states());
        for (int k = 0; k < adapted.size(); k++) {
            String name = adapted.get(k).name();
            int idx = -1;
            for (int j = 0; j < params.size(); j++) {
                if (params.get(j).name().equals(name)) {
                    idx = j;
                }
            }
            if (idx < 0) {
                throw new IllegalArgumentException("Model " + base.descriptor().coordinates() + " has no parameter '"
                        + name + "' (property adaptedParameters)");
            }
            parameterIndex[k] = idx;
            ModelParameter p = params.get(idx);
            s.add(new StateVariable(adapted.get(k).stateName(), p.unit(), StateKind.INTENSIVE, p.nominal(),
                    p.lowerBound(), Math.max(1e-12, 1e-6 * Math.abs(p.nominal())),
                    "online estimate of parameter " + name));
        }
        this.states = List.copyOf(s);
    }

    KineticModel base() {
        return base;
    }

    /** Base parameters with the adapted ones taken from an augmented state. */
    double[] parametersFrom(double[] augmentedState, double[] p) {
        double[] q = p.clone();
        for (int k = 0; k < parameterIndex.length; k++) {
            q[parameterIndex[k]] = augmentedState[n + k];
        }
        return q;
    }

    @Override
    public ModelDescriptor descriptor() {
        return base.descriptor();
    }

    @Override
    public List<StateVariable> states() {
        return states;
    }

    @Override
    public List<ModelParameter> parameters() {
        return base.parameters();
    }

    @Override
    public List<ModelInput> inputs() {
        return base.inputs();
    }

    @Override
    public List<Observable> observables() {
        return base.observables();
    }

    @Override
    public void derivatives(double t, double[] y, double[] p, double[] u, double[] yDot) {
        double[] x = java.util.Arrays.copyOf(y, n);
        double[] d = new double[n];
        base.derivatives(t, x, parametersFrom(y, p), u, d);
        System.arraycopy(d, 0, yDot, 0, n);
        for (int k = 0; k < parameterIndex.length; k++) {
            yDot[n + k] = 0;
        }
    }

    @Override
    public void observe(double t, double[] y, double[] p, double[] u, double[] z) {
        base.observe(t, java.util.Arrays.copyOf(y, n), parametersFrom(y, p), u, z);
    }
}
