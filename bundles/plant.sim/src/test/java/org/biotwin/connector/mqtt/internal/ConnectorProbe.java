package org.biotwin.connector.mqtt.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.biotwin.api.sample.Sample;

/**
 * Test bridge into the MQTT connector's package: its real {@link MessageProcessor} (routing, JSON decoding, UCUM unit
 * normalisation, plausibility), configured as a site would configure it for the plant's tags. Lives in the
 * connector's package because those classes are package-private; used by the plant's contract test.
 */
public final class ConnectorProbe {

    /** What the connector made of one message. */
    public record Outcome(List<Sample> accepted, List<String> rejected) {
    }

    private final MessageProcessor processor;

    public ConnectorProbe(String unit, String[] tags, Clock clock, Path storeDir) {
        Map<String, Object> p = new HashMap<>();
        p.put("name", "plant-contract");
        p.put("broker.uri", "tcp://127.0.0.1:1883");
        p.put("client.id", "plant-contract");
        p.put("units", new String[] {unit});
        p.put("tags", tags);
        p.put("store.dir", storeDir.toString());
        UnitNormalizer u = new UnitNormalizer();
        processor = new MessageProcessor(ConnectionSettings.parse(p, null, u), u, clock);
    }

    public Outcome process(String topic, byte[] payload) {
        MessageProcessor.Result r = processor.process(topic, payload, null);
        return new Outcome(r.accepted(), r.rejected().stream()
                .map(x -> x.reason() + " " + x.unit() + "/" + x.tag() + ": " + x.detail()).toList());
    }
}
