package org.biotwin.connector.mqtt.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.biotwin.api.sample.RejectReason;
import org.biotwin.api.sample.Sample;
import org.jspecify.annotations.Nullable;

/**
 * From one MQTT message to accepted samples and refusals, in phases: envelope checks (empty, oversize, UTF-8),
 * routing (topic to unit/tag), decoding ({@link PayloadDecoder}), resolution against the declared tags, unit
 * conversion to the declared unit ({@link UnitNormalizer}), time plausibility, and de-duplication.
 * <p>
 * De-duplication remembers the last {@code dedup.window} accepted (unit, tag, timestamp) keys in insertion order;
 * a key older than that window, or seen before a restart or reconfiguration, is not detected here (consumers key on
 * {@link Sample#key()} to be idempotent).
 * <p>
 * Not thread-safe: one instance per connection, used by its single ingest thread.
 */
final class MessageProcessor {

    /** One refused message or value. */
    record Rejection(RejectReason reason, String detail, @Nullable String unit, @Nullable String tag) {
    }

    /** What became of one message. */
    record Result(List<Sample> accepted, List<Rejection> rejected, boolean routed) {
    }

    private final ConnectionSettings settings;
    private final UnitNormalizer units;
    private final Clock clock;
    private final List<PayloadDecoder> decoders = List.of(new JsonPayloadDecoder(), new PlainNumberDecoder());
    private final Map<Key, Boolean> recent;

    /** The identity of {@link Sample#key()}, without formatting the timestamp to a string for every sample. */
    private record Key(String unit, String tag, Instant timestamp) {
    }

    MessageProcessor(ConnectionSettings settings, UnitNormalizer units, Clock clock) {
        this.settings = settings;
        this.units = units;
        this.clock = clock;
        int window = settings.dedupWindow;
        this.recent = new LinkedHashMap<>((int) Math.min(window / 0.75 + 1, 1 << 24), 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Boolean> eldest) {
                return size() > window;
            }
        };
    }

    /**
     * Forgets the accepted keys: after a delivery to a durable listener failed for good, the broker redelivers those
     * messages, and they must then reach the listeners again rather than be refused as duplicates.
     */
    void forgetRecent() {
        recent.clear();
    }

    /** Where a topic leads: unit and tag from the topic (either may be null), or not routed. */
    private record Route(boolean routed, @Nullable String unit, @Nullable String tag) {
    }

    private static final Route NOT_ROUTED = new Route(false, null, null);
    /** Plant topics repeat all day: route each once. Bounded: cleared when it grows past this. */
    private static final int ROUTE_CACHE_LIMIT = 65_536;
    private final Map<String, Route> routes = new HashMap<>();

    private Route route(String topic) {
        Route r = routes.get(topic);
        if (r != null) {
            return r;
        }
        // Explicit mappings win over patterns.
        ConnectionSettings.TagRef mapped = settings.mappings.get(topic);
        if (mapped != null) {
            r = new Route(true, mapped.unit(), mapped.tag());
        } else {
            r = NOT_ROUTED;
            String[] levels = topic.split("/", -1);
            for (TopicPattern p : settings.patterns) {
                String[] m = p.match(levels);
                if (m != null) {
                    r = new Route(true, m[0], m[1]);
                    break;
                }
            }
        }
        if (routes.size() >= ROUTE_CACHE_LIMIT) {
            routes.clear();
        }
        routes.put(topic, r);
        return r;
    }

    /** Whether the topic is one of the sample topics (pattern or mapping). */
    boolean isSampleTopic(String topic) {
        return route(topic).routed();
    }

    Result process(String topic, byte[] payload, @Nullable String tsProperty) {
        Instant now = clock.instant();
        List<Sample> ok = new ArrayList<>();
        List<Rejection> bad = new ArrayList<>();
        // Phase 1: routing.
        Route route = route(topic);
        String unitFromTopic = route.unit();
        String tagFromTopic = route.tag();
        if (!route.routed()) {
            bad.add(new Rejection(RejectReason.UNKNOWN_TOPIC, "topic '" + topic + "' matches no pattern or mapping",
                    null, null));
            return new Result(ok, bad, false);
        }
        // Phase 2: envelope.
        try {
            checkEnvelope(payload);
            PayloadDecoder decoder = decoders.get(decoders.get(0).accepts(payload) ? 0 : 1);
            List<PayloadDecoder.Item> items = decoder.decode(
                    new PayloadDecoder.Context(topic, unitFromTopic, tagFromTopic, tsProperty, now), payload);
            // Phase 3: per value.
            for (PayloadDecoder.Item item : items) {
                if (item.error() != null) {
                    bad.add(new Rejection(item.error().reason(), item.error().getMessage(), item.unit(), item.tag()));
                    continue;
                }
                try {
                    ok.add(resolve(item, unitFromTopic, tagFromTopic, now));
                } catch (RejectException e) {
                    bad.add(new Rejection(e.reason(), e.getMessage(),
                            item.unit() != null ? item.unit() : unitFromTopic,
                            item.tag() != null ? item.tag() : tagFromTopic));
                }
            }
        } catch (RejectException e) {
            bad.add(new Rejection(e.reason(), e.getMessage(), unitFromTopic, tagFromTopic));
        }
        return new Result(ok, bad, true);
    }

    private void checkEnvelope(byte[] payload) throws RejectException {
        if (payload.length == 0) {
            throw new RejectException(RejectReason.EMPTY_PAYLOAD, "payload is empty");
        }
        if (payload.length > settings.payloadMaxBytes) {
            throw new RejectException(RejectReason.OVERSIZE_PAYLOAD,
                    "payload has " + payload.length + " bytes, more than payload.max.bytes=" + settings.payloadMaxBytes);
        }
        boolean ascii = true;
        for (byte b : payload) {
            if (b < 0) {
                ascii = false;
                break;
            }
        }
        if (!ascii) {
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload));
            } catch (CharacterCodingException e) {
                throw new RejectException(RejectReason.NOT_UTF8, "payload is not valid UTF-8");
            }
        }
    }

    private Sample resolve(PayloadDecoder.Item item, @Nullable String unitFromTopic, @Nullable String tagFromTopic,
            Instant now) throws RejectException {
        String unit = pick("unit", unitFromTopic, item.unit());
        String tag = pick("tag", tagFromTopic, item.tag());
        if (!settings.catalog.hasUnit(unit)) {
            throw new RejectException(RejectReason.UNKNOWN_UNIT, "unit '" + unit + "' is not configured");
        }
        String declared = settings.catalog.uomOf(unit, tag);
        if (declared == null) {
            throw new RejectException(RejectReason.UNKNOWN_TAG, "tag '" + tag + "' is not declared for unit " + unit);
        }
        double value = item.value();
        if (item.uom() != null) {
            value = units.convert(value, item.uom(), declared);
            if (!Double.isFinite(value)) {
                throw new RejectException(RejectReason.NON_FINITE_VALUE, "value overflows after conversion to " + declared);
            }
        }
        Instant ts = Objects.requireNonNull(item.timestamp());
        if (ts.isAfter(now.plusSeconds(settings.maxFutureSeconds))) {
            throw new RejectException(RejectReason.TIMESTAMP_IN_FUTURE, "timestamp " + ts + " is "
                    + Duration.between(now, ts).toSeconds() + " s ahead, more than timestamp.max.future.s="
                    + settings.maxFutureSeconds);
        }
        if (ts.isBefore(now.minusSeconds(settings.maxAgeSeconds))) {
            throw new RejectException(RejectReason.TIMESTAMP_TOO_OLD, "timestamp " + ts + " is older than "
                    + "timestamp.max.age.s=" + settings.maxAgeSeconds);
        }
        Sample s = new Sample(unit, tag, ts, value, declared, item.quality());
        if (settings.dedupWindow > 0 && recent.putIfAbsent(new Key(unit, tag, ts), Boolean.TRUE) != null) {
            throw new RejectException(RejectReason.DUPLICATE, unit + "/" + tag + " at " + ts + " was already accepted");
        }
        return s;
    }

    private static String pick(String what, @Nullable String fromTopic, @Nullable String fromPayload)
            throws RejectException {
        if (fromTopic != null && fromPayload != null && !fromTopic.equals(fromPayload)) {
            throw new RejectException(RejectReason.FIELD_CONFLICT,
                    "topic names " + what + " '" + fromTopic + "' but the payload names '" + fromPayload + "'");
        }
        String v = fromTopic != null ? fromTopic : fromPayload;
        if (v == null) {
            throw new RejectException(RejectReason.MISSING_FIELD, "'" + what + "' is in neither the topic nor the payload");
        }
        return v;
    }
}
