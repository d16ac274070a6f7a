package org.biotwin.plant.sim.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.biotwin.api.model.InputProfile;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.ModelInput;
import org.biotwin.api.model.ModelParameter;
import org.biotwin.api.model.Observable;
import org.biotwin.api.model.ProcessEvent;
import org.biotwin.api.model.StateKind;
import org.biotwin.api.model.StateVariable;

/**
 * The plant configuration checked against one model: the parameter vector with its overrides, the initial state, and
 * the indices of the states, inputs and observables the plant reads. Every mismatch is an
 * {@link IllegalArgumentException} naming the property and listing what the model offers. Immutable.
 */
final class ModelBinding {

    final KineticModel model;
    final String coordinates;
    final List<StateVariable> states;
    final List<ModelInput> inputs;
    final List<Observable> observables;
    /** Plant parameter vector: the model's nominal values with the configured overrides. */
    private final double[] parameters;
    private final double[] initialState;
    final int volumeIndex;
    final int ourIndex;
    final int cerIndex;
    final int[] limitedParameters;
    final int[] assayObservables;
    final List<String> feedInputs;

    ModelBinding(ReactorSettings s, KineticModel model) {
        this.model = model;
        this.coordinates = model.descriptor().coordinates();
        this.states = List.copyOf(model.states());
        this.inputs = List.copyOf(model.inputs());
        this.observables = List.copyOf(model.observables());
        List<ModelParameter> params = model.parameters();

        double[] p = model.nominalParameters();
        for (Map.Entry<String, Double> e : s.parameters().entrySet()) {
            int i = indexOf(params.stream().map(ModelParameter::name).toList(), e.getKey());
            if (i < 0) {
                throw bad("parameters", "'" + e.getKey() + "' is not a parameter; it has "
                        + params.stream().map(ModelParameter::name).toList());
            }
            ModelParameter mp = params.get(i);
            if (e.getValue() < mp.lowerBound() || e.getValue() > mp.upperBound()) {
                throw bad("parameters", mp.name() + " = " + e.getValue() + " " + mp.unit() + " is outside its bounds ["
                        + mp.lowerBound() + ", " + mp.upperBound() + "]");
            }
            p[i] = e.getValue();
        }
        this.parameters = p;

        double[] y = model.nominalInitialState();
        List<String> stateNames = states.stream().map(StateVariable::name).toList();
        for (Map.Entry<String, Double> e : s.initialState().entrySet()) {
            int i = indexOf(stateNames, e.getKey());
            if (i < 0) {
                throw bad("initial.state", "'" + e.getKey() + "' is not a state; it has " + stateNames);
            }
            if (e.getValue() < states.get(i).lowerBound()) {
                throw bad("initial.state", e.getKey() + " = " + e.getValue() + " is below its lower bound "
                        + states.get(i).lowerBound());
            }
            y[i] = e.getValue();
        }
        this.initialState = y;

        int vol = -1;
        for (int i = 0; i < states.size(); i++) {
            if (states.get(i).kind() == StateKind.VOLUME) {
                if (vol >= 0) {
                    throw bad("model.id", "the model has two VOLUME states; the plant needs exactly one");
                }
                vol = i;
            }
        }
        if (vol < 0) {
            throw bad("model.id", "the model has no VOLUME state; the plant needs one for volume and weight");
        }
        this.volumeIndex = vol;

        List<String> obsNames = observables.stream().map(Observable::name).toList();
        this.ourIndex = requireIndex(obsNames, s.ourObservable(), "our.observable", "observable");
        this.cerIndex = requireIndex(obsNames, s.cerObservable(), "cer.observable", "observable");
        this.assayObservables = new int[s.labAssays().size()];
        for (int k = 0; k < assayObservables.length; k++) {
            assayObservables[k] = requireIndex(obsNames, s.labAssays().get(k).observable(), "lab.assays",
                    "observable");
        }
        List<String> paramNames = params.stream().map(ModelParameter::name).toList();
        this.limitedParameters = s.oxygenLimitedParameters().stream()
                .mapToInt(n -> requireIndex(paramNames, n, "oxygen.limited.parameters", "parameter")).toArray();
        List<String> inputNames = inputs.stream().map(ModelInput::name).toList();
        for (String f : s.feedInputs()) {
            requireIndex(inputNames, f, "feed.inputs", "input");
        }
        this.feedInputs = List.copyOf(s.feedInputs());

        // The recipe: every profile must drive a model input within its bounds; boluses name model states.
        for (InputProfile prof : s.schedule().profiles()) {
            int i = indexOf(inputNames, prof.input());
            if (i < 0) {
                throw bad("schedule", "profile of '" + prof.input() + "': not an input; the model has " + inputNames);
            }
            ModelInput in = inputs.get(i);
            for (double v : prof.values()) {
                if (v < in.lowerBound() || v > in.upperBound()) {
                    throw bad("schedule", "profile of " + in.name() + ": " + v + " " + in.unit()
                            + " is outside the input's bounds [" + in.lowerBound() + ", " + in.upperBound() + "]");
                }
            }
        }
        for (ProcessEvent e : s.schedule().events()) {
            if (e instanceof ProcessEvent.Bolus b) {
                for (String st : b.content().keySet()) {
                    if (indexOf(stateNames, st) < 0) {
                        throw bad("schedule", "bolus at " + b.time() + " h names '" + st + "', not a state; the model has "
                                + stateNames);
                    }
                }
            }
        }
    }

    double[] parameters() {
        return parameters.clone();
    }

    double[] initialState() {
        return initialState.clone();
    }

    int inputIndex(String name) {
        return indexOf(inputs.stream().map(ModelInput::name).toList(), name);
    }

    int observableIndex(String name) {
        return indexOf(observables.stream().map(Observable::name).toList(), name);
    }

    /** Maps a state vector of another binding onto this model's states by name; absent states start at nominal. */
    double[] stateFrom(ModelBinding other, double[] y) {
        double[] out = initialState();
        List<String> names = new ArrayList<>();
        for (StateVariable sv : other.states) {
            names.add(sv.name());
        }
        for (int i = 0; i < states.size(); i++) {
            int j = names.indexOf(states.get(i).name());
            if (j >= 0) {
                out[i] = y[j];
            }
        }
        return out;
    }

    private int requireIndex(List<String> names, String name, String property, String what) {
        int i = indexOf(names, name);
        if (i < 0) {
            throw bad(property, "'" + name + "' is not an " + what + " of the model; it has " + names);
        }
        return i;
    }

    private IllegalArgumentException bad(String property, String what) {
        return new IllegalArgumentException("Simulated bioreactor: property '" + property + "' does not fit model "
                + coordinates + ": " + what);
    }

    private static int indexOf(List<String> names, String name) {
        return names.indexOf(name);
    }
}
