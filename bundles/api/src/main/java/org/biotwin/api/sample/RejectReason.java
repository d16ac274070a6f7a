package org.biotwin.api.sample;

/**
 * Why the data path refused an inbound plant message or one value in it. Each refusal is published to the
 * connector's dead-letter topic with the reason's {@link #name()} and counted per reason; it never stops ingestion.
 * <p>
 * New reasons may be added in minor versions: consumers that switch over this enum need a default branch.
 */
public enum RejectReason {
    /** The payload has no bytes. */
    EMPTY_PAYLOAD,
    /** The payload is larger than the configured maximum. */
    OVERSIZE_PAYLOAD,
    /** The payload is not valid UTF-8 text. */
    NOT_UTF8,
    /** The payload is not well-formed JSON. */
    MALFORMED_JSON,
    /** A plain (non-JSON) payload is not a decimal number. */
    MALFORMED_NUMBER,
    /** The JSON document is valid but not of a supported shape (for example a string at the top level). */
    UNSUPPORTED_SHAPE,
    /** A required field ({@code ts}, {@code value}, {@code uom}, {@code tag}, {@code unit}) is absent or null. */
    MISSING_FIELD,
    /** A field has the wrong JSON type (for example a string or boolean value). */
    WRONG_TYPE,
    /** The value is NaN or infinite, also when written as a string such as {@code "NaN"}. */
    NON_FINITE_VALUE,
    /** The timestamp is neither ISO-8601 nor epoch milliseconds. */
    INVALID_TIMESTAMP,
    /** The timestamp lies further in the future than the configured plausibility window allows. */
    TIMESTAMP_IN_FUTURE,
    /** The timestamp lies further in the past than the configured plausibility window allows. */
    TIMESTAMP_TOO_OLD,
    /** The unit of measure is not a valid UCUM code. */
    UNKNOWN_UOM,
    /** The unit of measure is valid but of another dimension than the tag's declared unit (for g/L on a Cel tag). */
    UOM_MISMATCH,
    /** The ISA-88 unit (bioreactor) is not configured. */
    UNKNOWN_UNIT,
    /** The tag is not declared for the unit. */
    UNKNOWN_TAG,
    /** The topic matches no configured pattern or mapping. */
    UNKNOWN_TOPIC,
    /** The quality is not one of GOOD, UNCERTAIN, BAD. */
    INVALID_QUALITY,
    /** The topic and the payload name different units or tags. */
    FIELD_CONFLICT,
    /** A batch carries no values. */
    EMPTY_BATCH,
    /** The same unit, tag and timestamp was already accepted (within the de-duplication window). */
    DUPLICATE,
    /** A {@code MessageHandler} refused the message. */
    HANDLER_REJECTED
}
