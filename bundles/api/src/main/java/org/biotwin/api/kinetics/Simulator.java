package org.biotwin.api.kinetics;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Simulates a kinetic model under an operating schedule, restarting the integration at every input discontinuity and
 * event. Implementations are thread-safe.
 */
@ProviderType
public interface Simulator {

    /**
     * Runs a simulation.
     *
     * @throws SimulationException if the request is inconsistent with the model (dimensions, unknown input), the
     *                             model returns a non-finite derivative, or the tolerance or budget cannot be met
     */
    Trajectory simulate(SimulationRequest request);
}
