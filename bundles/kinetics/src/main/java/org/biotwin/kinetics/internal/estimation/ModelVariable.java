package org.biotwin.kinetics.internal.estimation;

import java.util.List;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.Observable;
import org.biotwin.api.model.StateVariable;

/**
 * A named model output resolved to a column of a trajectory: an observable if the model has one of that name,
 * otherwise a state. Shared by estimation, uncertainty and optimisation. Immutable, thread-safe.
 *
 * @param name       the name
 * @param unit       the model's declared UCUM unit
 * @param observable whether it is an observable (else a state)
 * @param index      column in the observable or state array
 */
public record ModelVariable(String name, String unit, boolean observable, int index) {

    /**
     * Resolves {@code name} in {@code model}.
     *
     * @param context prefix of the error message, for example {@code "Fit of cho:1.0.0, batch B1"}
     * @throws IllegalArgumentException naming the model's observables and states if there is no such variable
     */
    public static ModelVariable resolve(KineticModel model, String name, String context) {
        List<Observable> obs = model.observables();
        for (int j = 0; j < obs.size(); j++) {
            if (obs.get(j).name().equals(name)) {
                return new ModelVariable(name, obs.get(j).unit(), true, j);
            }
        }
        List<StateVariable> states = model.states();
        for (int i = 0; i < states.size(); i++) {
            if (states.get(i).name().equals(name)) {
                return new ModelVariable(name, states.get(i).unit(), false, i);
            }
        }
        throw new IllegalArgumentException(context + ": model " + model.descriptor().coordinates()
                + " has no observable or state named '" + name + "' (observables: "
                + obs.stream().map(Observable::name).toList() + ", states: "
                + states.stream().map(StateVariable::name).toList() + ")");
    }

    /** The value at output index {@code k}, given the trajectory's state and observable matrices. */
    public double value(double[][] states, double[][] observables, int k) {
        return observable ? observables[k][index] : states[k][index];
    }
}
