package org.biotwin.kinetics.internal.sim;

import org.biotwin.api.kinetics.SimulationRequest;
import org.biotwin.api.kinetics.Simulator;
import org.biotwin.api.kinetics.Trajectory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The {@link Simulator} service: Dormand-Prince 8(5,3) (Hipparchus) for non-stiff segments, RODAS4 for stiff ones, an
 * automatic switch between them, restarts at every input breakpoint and event. Per-request settings
 * ({@code SolverSettings}) carry tolerances and budgets, so the component has no configuration.
 * <p>
 * Thread-safe and stateless.
 */
@Component(service = Simulator.class)
public final class SimulatorComponent implements Simulator {

    private final SimulationEngine engine;

    @Activate
    public SimulatorComponent() {
        this.engine = new SimulationEngine();
    }

    @Override
    public Trajectory simulate(SimulationRequest request) {
        return engine.simulate(request);
    }
}
