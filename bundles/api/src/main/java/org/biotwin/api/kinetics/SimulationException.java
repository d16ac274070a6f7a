package org.biotwin.api.kinetics;

/**
 * A simulation that cannot be carried out or cannot meet its tolerance or budget. The message names the model, and
 * the state or input at fault where there is one.
 */
public class SimulationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SimulationException(String message) {
        super(message);
    }

    public SimulationException(String message, Throwable cause) {
        super(message, cause);
    }
}
