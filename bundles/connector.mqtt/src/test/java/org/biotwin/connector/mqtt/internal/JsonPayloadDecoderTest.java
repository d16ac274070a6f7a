package org.biotwin.connector.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The streaming fast path takes the plain shapes and agrees with the tree path; anything else it leaves alone. */
class JsonPayloadDecoderTest {

    private final JsonPayloadDecoder decoder = new JsonPayloadDecoder();

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void plainSingleValuesAndBatchesTakeTheFastPathWithTheTreePathsResult() throws Exception {
        for (String payload : new String[] {
                "{\"ts\":1732975000000,\"value\":41.2,\"uom\":\"%\"}",
                "{\"unit\":\"BR-101\",\"tag\":\"DO\",\"ts\":\"2026-11-30T10:00:00Z\",\"value\":7,\"uom\":\"%\","
                        + "\"quality\":\"UNCERTAIN\"}",
                "{\"unit\":\"BR-101\",\"ts\":1732975000000,\"quality\":\"GOOD\",\"values\":{"
                        + "\"DO\":{\"value\":40.1,\"uom\":\"%\"},"
                        + "\"pH\":{\"value\":7.01,\"uom\":\"1\",\"ts\":1732975000500,\"quality\":\"BAD\"}}}"}) {
            assertThat(decoder.fast(json(payload))).as(payload).isNotNull()
                    .isEqualTo(decoder.decodeTree(json(payload)));
        }
    }

    @Test
    void anythingNotPlainlyValidIsLeftToTheTreePath() {
        for (String payload : new String[] {
                "{\"ts\":1732975000000,\"value\":41.2}", // no uom
                "{\"ts\":1732975000000,\"value\":41.2,\"uom\":\"%\",\"value\":3}", // duplicate key
                "{\"ts\":1732975000000,\"value\":\"41.2\",\"uom\":\"%\"}", // number in a string
                "{\"ts\":1732975000000,\"value\":41.2,\"uom\":\"%\",\"colour\":\"red\"}", // unknown key
                "{\"ts\":1732975000000,\"values\":{\"DO\":{\"value\":1,\"uom\":\"%\",\"unit\":\"BR-1\"}}}", // entry key
                "{\"ts\":1732975000000,\"value\":41.2,\"uom\":\"%\"} {}", // trailing data
                "{\"values\":{\"DO\":{\"value\":1,\"uom\":\"%\"}}}"}) { // no time stamp anywhere
            assertThat(decoder.fast(json(payload))).as(payload).isNull();
        }
    }
}
