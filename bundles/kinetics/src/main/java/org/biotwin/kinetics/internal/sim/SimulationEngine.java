package org.biotwin.kinetics.internal.sim;

import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.Trajectory;

/**
 * The simulation entry point shared by the {@code Simulator} service and the other parts of the kinetic core
 * (estimation, Monte Carlo, optimisation): a stateless function from request to trajectory.
 * <p>
 * Thread-safe: every call builds its own {@link SimulationRun} with its own work arrays, so one engine serves any number
 * of threads; the model must be stateless as the SPI requires.
 */
public final class SimulationEngine {

    /** Simulates a request; see {@link SimulationRun} for segments, events and the integrator choice. */
    public Trajectory simulate(SimulationRequest request) {
        return new SimulationRun(request).run();
    }
}
