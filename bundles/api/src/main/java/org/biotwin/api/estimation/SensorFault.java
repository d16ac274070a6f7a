package org.biotwin.api.estimation;

/** Kinds of sensor fault that a signal screen detects. */
public enum SensorFault {
    /** The value stopped changing although the signal is noisy (a frozen transmitter or a stuck PLC register). */
    FREEZE,
    /** A single value far from its neighbours (robust z-score on a moving window). */
    SPIKE,
    /** A persistent bias against the model's prediction (CUSUM on normalised innovations). */
    DRIFT,
    /** No value for longer than the signal's maximum gap. */
    GAP
}
