package org.biotwin.api.kinetics;

import java.util.Objects;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.OperatingSchedule;

/**
 * A simulation of a model from an initial state over {@code [startTime, endTime]} under an operating schedule.
 * Arrays are copied. Immutable.
 *
 * @param model        the model
 * @param initialState state at {@code startTime}, in the model's state order and units
 * @param parameters   parameter vector, in the model's parameter order
 * @param startTime    batch age at start, h
 * @param endTime      batch age at end, h, > startTime
 * @param outputTimes  times at which to report the state, h, increasing, within [startTime, endTime]
 * @param schedule     inputs and events
 * @param settings     integrator settings
 */
public record SimulationRequest(KineticModel model, double[] initialState, double[] parameters, double startTime,
        double endTime, double[] outputTimes, OperatingSchedule schedule, SolverSettings settings) {

    public SimulationRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(settings, "settings");
        initialState = initialState.clone();
        parameters = parameters.clone();
        outputTimes = outputTimes.clone();
    }

    @Override
    public double[] initialState() {
        return initialState.clone();
    }

    @Override
    public double[] parameters() {
        return parameters.clone();
    }

    @Override
    public double[] outputTimes() {
        return outputTimes.clone();
    }
}
