package org.biotwin.wrap.paho;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttPublish;
import org.eclipse.paho.mqttv5.common.packet.MqttWireMessage;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.eclipse.paho.mqttv5.common.packet.util.CountingInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The wrap's CountingInputStream: counts like Paho's, reads in bulk, and Paho decodes PUBLISH packets through it. */
class CountingInputStreamTest {

    /** A byte source that counts how often it is asked for a single byte. */
    private static final class SingleReads extends ByteArrayInputStream {
        int singleReads;

        SingleReads(byte[] bytes) {
            super(bytes);
        }

        @Override
        public synchronized int read() {
            singleReads++;
            return super.read();
        }
    }

    @Test
    void readFullyGoesThroughInBulkAndIsCounted() throws IOException {
        byte[] data = new byte[1000];
        Arrays.fill(data, (byte) 7);
        SingleReads source = new SingleReads(data);
        CountingInputStream counting = new CountingInputStream(source);
        DataInputStream in = new DataInputStream(counting);

        byte[] buf = new byte[600];
        in.readFully(buf);

        assertThat(source.singleReads).as("single-byte reads of the source").isZero();
        assertThat(counting.getCounter()).isEqualTo(600);
        assertThat(buf).containsOnly(7);
    }

    @Test
    void countsSingleReadsSkipsAndStopsAtTheEnd() throws IOException {
        CountingInputStream counting = new CountingInputStream(new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5}));

        assertThat(counting.read()).isEqualTo(1);
        assertThat(counting.skip(2)).isEqualTo(2);
        assertThat(counting.available()).isEqualTo(2);
        assertThat(counting.read(new byte[10], 0, 10)).isEqualTo(2);
        assertThat(counting.getCounter()).isEqualTo(5);
        assertThat(counting.read()).isEqualTo(-1);
        assertThat(counting.read(new byte[4], 0, 4)).isEqualTo(-1);
        assertThat(counting.skip(3)).isZero();
        assertThat(counting.getCounter()).as("the end of the stream counts nothing").isEqualTo(5);

        counting.resetCounter();
        assertThat(counting.getCounter()).isZero();
    }

    /** Paho's own encoder and decoder, with the wrap's class in between: what goes in comes out. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 57, 127, 128, 16_383, 16_384, 70_000})
    void pahoDecodesAPublishItEncodedWhateverThePayloadSize(int payloadBytes) throws Exception {
        byte[] payload = new byte[payloadBytes];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31);
        }
        MqttMessage message = new MqttMessage(payload, 1, false, null);
        MqttProperties properties = new MqttProperties();
        properties.setUserProperties(List.of(new UserProperty("ts", "2026-11-30T16:00:00Z")));
        properties.setContentType("application/json");
        MqttPublish publish = new MqttPublish("plant/BR-101/DO", message, properties);
        publish.setMessageId(4711);

        byte[] header = publish.getHeader();
        byte[] body = publish.getPayload();
        byte[] packet = Arrays.copyOf(header, header.length + body.length);
        System.arraycopy(body, 0, packet, header.length, body.length);
        MqttPublish decoded = (MqttPublish) MqttWireMessage.createWireMessage(packet);

        assertThat(decoded.getTopicName()).isEqualTo("plant/BR-101/DO");
        assertThat(decoded.getMessageId()).isEqualTo(4711);
        assertThat(decoded.getMessage().getQos()).isEqualTo(1);
        assertThat(decoded.getMessage().getPayload()).isEqualTo(payload);
        assertThat(decoded.getProperties().getContentType()).isEqualTo("application/json");
        assertThat(decoded.getProperties().getUserProperties())
                .extracting(UserProperty::getKey, UserProperty::getValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ts", "2026-11-30T16:00:00Z"));
    }
}
