package org.biotwin.api.kinetics;

import java.util.List;
import java.util.Objects;

/**
 * A simulated trajectory: states and observables at the requested output times. Arrays are copied on the way in and
 * out. Immutable.
 *
 * @param stateNames      names of the state columns
 * @param observableNames names of the observable columns
 * @param times           output times, h
 * @param states          {@code states[k][i]}: state i at {@code times[k]}
 * @param observables     {@code observables[k][j]}: observable j at {@code times[k]}
 * @param statistics      solver cost
 */
public record Trajectory(List<String> stateNames, List<String> observableNames, double[] times, double[][] states,
        double[][] observables, SolverStatistics statistics) {

    public Trajectory {
        stateNames = List.copyOf(stateNames);
        observableNames = List.copyOf(observableNames);
        Objects.requireNonNull(statistics, "statistics");
        times = times.clone();
        states = deepCopy(states);
        observables = deepCopy(observables);
    }

    @Override
    public double[] times() {
        return times.clone();
    }

    @Override
    public double[][] states() {
        return deepCopy(states);
    }

    @Override
    public double[][] observables() {
        return deepCopy(observables);
    }

    /** The time series of one state. */
    public double[] state(String name) {
        return column(states, index(stateNames, name));
    }

    /** The time series of one observable. */
    public double[] observable(String name) {
        return column(observables, index(observableNames, name));
    }

    /** The state vector at the last output time. */
    public double[] finalState() {
        return states[states.length - 1].clone();
    }

    private static int index(List<String> names, String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("No column '" + name + "' in " + names);
        }
        return i;
    }

    private static double[] column(double[][] m, int j) {
        double[] c = new double[m.length];
        for (int k = 0; k < m.length; k++) {
            c[k] = m[k][j];
        }
        return c;
    }

    private static double[][] deepCopy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int k = 0; k < m.length; k++) {
            c[k] = m[k].clone();
        }
        return c;
    }
}
