package org.biotwin.plant.sim.internal;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A running simulated bioreactor, as the Gogo commands see it. Registered as a service by each
 * {@link SimulatedReactorComponent}; internal to this bundle (the package is private). Thread-safe.
 */
public interface ReactorControl {

    /** The ISA-88 unit id. */
    String unit();

    /** RUNNING, WAITING_FOR_MODEL, CONFIG_ERROR, FAILED or FINISHED, with the reason when not running. */
    String status();

    /** The true plant at the last step, or null before the first step. */
    ReactorCore.@Nullable Truth truth();

    /** Publishing counters (published, failed, dropped, ...) and clock counters (steps, clock.slips). */
    Map<String, Long> counters();

    /**
     * Switches a fault from the next step on.
     *
     * @throws IllegalArgumentException for an unknown fault name
     */
    void fault(String fault, boolean on);

    /**
     * Requests a setpoint from the next step on; validation happens then, and a rejection is logged and published on
     * {@code <prefix>/<unit>/setpoint/rejected}.
     */
    void setpoint(String input, double value);
}
