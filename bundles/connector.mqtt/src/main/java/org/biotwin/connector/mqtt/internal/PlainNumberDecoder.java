package org.biotwin.connector.mqtt.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.biotwin.api.sample.Quality;
import org.biotwin.api.sample.RejectReason;

/**
 * A bare decimal number such as {@code 36.8}, as many PLC gateways send: the topic carries unit and tag, the value is
 * in the tag's declared unit, and the time is the MQTT v5 user property {@code ts} if present (ISO-8601 or epoch
 * ms), else the arrival time at the connector. Stateless.
 */
final class PlainNumberDecoder implements PayloadDecoder {

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern NON_FINITE = Pattern.compile("[+-]?(nan|inf|infinity)");

    @Override
    public boolean accepts(byte[] payload) {
        return true;
    }

    @Override
    public List<Item> decode(Context ctx, byte[] payload) throws RejectException {
        String text = new String(payload, StandardCharsets.UTF_8).trim();
        if (NON_FINITE.matcher(text.toLowerCase(Locale.ROOT)).matches()) {
            throw new RejectException(RejectReason.NON_FINITE_VALUE, "value is " + text);
        }
        if (!DECIMAL.matcher(text).matches()) {
            throw new RejectException(RejectReason.MALFORMED_NUMBER,
                    "plain payload '" + Timestamps.abbreviate(text) + "' is not a decimal number (nor JSON)");
        }
        double v = Double.parseDouble(text);
        if (!Double.isFinite(v)) {
            throw new RejectException(RejectReason.NON_FINITE_VALUE, "value " + text + " overflows a double");
        }
        Instant ts = ctx.tsProperty() != null ? Timestamps.parseText(ctx.tsProperty()) : ctx.arrival();
        return List.of(new Item(null, null, ts, v, null, Quality.GOOD, null));
    }
}
