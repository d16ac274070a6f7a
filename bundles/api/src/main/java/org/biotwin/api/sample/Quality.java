package org.biotwin.api.sample;

/**
 * Quality of a measured value, reduced to the three classes that OPC UA status codes and most PLC gateways agree on.
 * Consumers must not use {@link #BAD} values for estimation; they are kept for the record.
 */
public enum Quality {
    /** The value can be used. */
    GOOD,
    /** The value is usable with care, for example a sensor out of calibration or a substituted value. */
    UNCERTAIN,
    /** The value must not be used, for example a sensor failure or a communication fault. */
    BAD
}
