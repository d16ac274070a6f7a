package org.biotwin.api.model;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A mechanistic kinetic model of a bioprocess: an ODE system {@code dy/dt = f(t, y, p, u)} with measurement functions
 * {@code z = h(t, y, p, u)}.
 * <p>
 * Time {@code t} is batch age in h. Arrays follow the order of {@link #states()}, {@link #parameters()},
 * {@link #inputs()} and {@link #observables()}.
 * <p>
 * Implementations must be <em>stateless and thread-safe</em>: the kinetic core calls one instance from many threads
 * at once (ensembles, finite-difference Jacobians) with different parameter vectors. The declarative methods must
 * return the same lists on every call. Continuous feeds are part of the right-hand side (the model knows its feed
 * composition); discrete bolus and sampling events are applied by the simulator using each state's
 * {@link StateKind}.
 * <p>
 * Register as an OSGi service with {@link #MODEL_ID} and {@link #MODEL_VERSION} properties equal to the descriptor's.
 */
@ConsumerType
public interface KineticModel {

    /** Service property: the model id, equal to {@code descriptor().id()}. */
    String MODEL_ID = "biotwin.model.id";
    /** Service property: the model version, equal to {@code descriptor().version()}. */
    String MODEL_VERSION = "biotwin.model.version";

    /** Identity, provenance and validity range. */
    ModelDescriptor descriptor();

    /** The states, in the order of the state vector. */
    List<StateVariable> states();

    /** The parameters, in the order of the parameter vector. */
    List<ModelParameter> parameters();

    /** The manipulated inputs, in the order of the input vector. */
    List<ModelInput> inputs();

    /** The measurement functions, in the order of the observation vector. */
    List<Observable> observables();

    /**
     * The right-hand side.
     *
     * @param t    batch age, h
     * @param y    state, length {@code states().size()}; must not be modified
     * @param p    parameters, length {@code parameters().size()}; must not be modified
     * @param u    inputs at {@code t}, length {@code inputs().size()}; must not be modified
     * @param yDot output: time derivatives of the states, in state unit per h
     */
    void derivatives(double t, double[] y, double[] p, double[] u, double[] yDot);

    /** Whether {@link #jacobian} is implemented. When not, the kinetic core uses finite differences. */
    default boolean hasJacobian() {
        return false;
    }

    /**
     * The Jacobian {@code df/dy} of the right-hand side.
     *
     * @param dfdy output, {@code dfdy[i][j] = d yDot[i] / d y[j]}
     * @throws UnsupportedOperationException if {@link #hasJacobian()} is false
     */
    default void jacobian(double t, double[] y, double[] p, double[] u, double[][] dfdy) {
        throw new UnsupportedOperationException(descriptor().coordinates() + " has no analytic Jacobian");
    }

    /**
     * The measurement functions.
     *
     * @param z output, length {@code observables().size()}, each in its observable's unit
     */
    void observe(double t, double[] y, double[] p, double[] u, double[] z);

    /** The nominal parameter vector. */
    default double[] nominalParameters() {
        return parameters().stream().mapToDouble(ModelParameter::nominal).toArray();
    }

    /** The nominal initial state vector. */
    default double[] nominalInitialState() {
        return states().stream().mapToDouble(StateVariable::nominalInitial).toArray();
    }

    /** Index of a state by name, or -1. */
    default int stateIndex(String name) {
        List<StateVariable> s = states();
        for (int i = 0; i < s.size(); i++) {
            if (s.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
