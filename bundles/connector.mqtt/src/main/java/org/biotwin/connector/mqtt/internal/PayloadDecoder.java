package org.biotwin.connector.mqtt.internal;

import java.time.Instant;
import java.util.List;
import org.biotwin.api.sample.Quality;
import org.jspecify.annotations.Nullable;

/**
 * Turns one MQTT payload into readings. Implementations: {@link JsonPayloadDecoder} (single values, batches, arrays)
 * and {@link PlainNumberDecoder} (a bare number; the topic carries unit and tag). Sparkplug B is meant to be one more
 * implementation: it would sniff its protobuf payload on {@code spBv1.0/...} topics and emit the same readings.
 * <p>
 * A decoder checks syntax and types only; unit and tag resolution, unit conversion, plausibility and de-duplication
 * happen afterwards, the same for every format. Implementations are stateless and thread-safe.
 */
interface PayloadDecoder {

    /** What the topic and transport say about a message. */
    record Context(String topic, @Nullable String unitFromTopic, @Nullable String tagFromTopic,
            @Nullable String tsProperty, Instant arrival) {
    }

    /**
     * One decoded value, before resolution: {@code unit}, {@code tag} and {@code uom} may be null when the payload
     * did not say (then the topic or the declaration must). Or, if {@code error} is set, one refused value of a batch.
     */
    record Item(@Nullable String unit, @Nullable String tag, @Nullable Instant timestamp, double value,
            @Nullable String uom, Quality quality, @Nullable RejectException error) {

        static Item rejected(@Nullable String unit, @Nullable String tag, RejectException e) {
            return new Item(unit, tag, null, Double.NaN, null, Quality.BAD, e);
        }
    }

    /** Whether this decoder understands the payload (it is not empty). */
    boolean accepts(byte[] payload);

    /**
     * Decodes a payload.
     *
     * @return at least one item
     * @throws RejectException if the whole payload is refused
     */
    List<Item> decode(Context context, byte[] payload) throws RejectException;
}
