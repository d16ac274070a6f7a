package org.biotwin.host.server;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.biotwin.host.EmbeddedServer;
import org.biotwin.host.HostConfig;

/**
 * The reference host's MQTT broker: HiveMQ Community Edition 2025.5 embedded (MQTT 3.1.1 and 5; Moquette, lighter,
 * refuses MQTT 5, which the connector needs for manual acknowledgement, receive maximum and shared subscriptions).
 * It runs in the launcher's JVM, outside the framework, bound to 127.0.0.1 only, with file persistence under
 * {@code <biotwin.data.dir>/hivemq/data}: persistent sessions and their queued QoS 1 messages survive a broker
 * restart. Offline queues hold up to {@value #MAX_QUEUE} messages per client (HiveMQ's default of 1000 would drop
 * the plant's messages during a long outage of the host's connector).
 * <p>
 * Host properties: {@code biotwin.mqtt.embedded} (default true), {@code biotwin.mqtt.port} (default 1883; 0 picks a
 * free port, kept across restarts of this instance). Contributes {@code biotwin.mqtt.uri}. Started about 2.5 s.
 * Called from one thread at a time.
 */
public final class HiveMqServer implements EmbeddedServer {

    public static final String NAME = "mqtt-broker";
    public static final String ENABLED = "biotwin.mqtt.embedded";
    public static final String PORT = "biotwin.mqtt.port";
    public static final String URI = "biotwin.mqtt.uri";
    static final int MAX_QUEUE = 5_000_000;

    private EmbeddedHiveMQ hivemq;
    private int port = -1;
    private Path dir;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    public boolean enabled(HostConfig config) {
        return config.flag(ENABLED, true);
    }

    /** The bound port; -1 before the first start. */
    public int port() {
        return port;
    }

    @Override
    public Map<String, String> start(HostConfig config) throws Exception {
        if (port < 0) {
            int configured = config.integer(PORT, 1883, 0, 65535);
            port = configured == 0 ? Ports.free() : configured;
            dir = config.dataDir().resolve("hivemq");
        }
        Ports.requireFree(port, PORT);
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Path data = Files.createDirectories(dir.resolve("data")); // HiveMQ fails when it does not exist
        Path extensions = Files.createDirectories(dir.resolve("extensions"));
        Files.writeString(conf.resolve("config.xml"), """
                <?xml version="1.0"?>
                <!-- Written by the BioTwin host on every start (biotwin.mqtt.port); edits are overwritten. -->
                <hivemq>
                  <listeners>
                    <tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener>
                  </listeners>
                  <mqtt>
                    <queued-messages><max-queue-size>%d</max-queue-size><strategy>discard</strategy></queued-messages>
                  </mqtt>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, MAX_QUEUE));
        Files.writeString(conf.resolve("logback.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- Written by the BioTwin host: warnings and errors to the console. HiveMQ also routes
                     java.util.logging into this configuration (JUL bridge), so the logger name is shown. -->
                <configuration>
                  <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%logger{0}] %msg%n</pattern></encoder>
                  </appender>
                  <root level="WARN"><appender-ref ref="CONSOLE"/></root>
                </configuration>
                """);
        hivemq = EmbeddedHiveMQ.builder().withConfigurationFolder(conf).withDataFolder(data)
                .withExtensionsFolder(extensions).build();
        try {
            hivemq.start().get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            hivemq.close();
            hivemq = null;
            throw new IllegalStateException("HiveMQ did not start on 127.0.0.1:" + port + " (data " + data + "): "
                    + e, e);
        }
        return Map.of(URI, uri());
    }

    /** {@code tcp://127.0.0.1:<port>}. */
    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void stop() throws Exception {
        if (hivemq != null) {
            EmbeddedHiveMQ h = hivemq;
            hivemq = null;
            try {
                h.stop().get(60, TimeUnit.SECONDS);
            } finally {
                h.close();
            }
        }
    }
}
