package org.biotwin.connector.mqtt.internal;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** HiveMQ Community Edition 2025.5, embedded in the test JVM (MQTT 3 and 5), on a free loopback port. */
final class HiveMqBroker implements Broker {

    private final Path dir;
    private final int port;
    private EmbeddedHiveMQ hivemq;

    HiveMqBroker(Path dir) throws Exception {
        this.dir = dir;
        this.port = MosquittoBroker.freePort();
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("extensions"));
        Files.writeString(dir.resolve("conf/config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners><tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener></listeners>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                  <mqtt><queued-messages><max-queue-size>1000000</max-queue-size></queued-messages></mqtt>
                </hivemq>
                """.formatted(port));
        start();
    }

    @Override
    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public synchronized void start() throws Exception {
        hivemq = EmbeddedHiveMQ.builder().withConfigurationFolder(dir.resolve("conf")).withDataFolder(dir.resolve("data"))
                .withExtensionsFolder(dir.resolve("extensions")).build();
        hivemq.start().get(60, TimeUnit.SECONDS);
    }

    @Override
    public synchronized void stop() throws Exception {
        if (hivemq != null) {
            hivemq.stop().get(60, TimeUnit.SECONDS);
            hivemq.close();
            hivemq = null;
        }
    }

    @Override
    public boolean keepsSessionsAcrossRestart() {
        return false; // not relied upon for the embedded broker; the restart tests run against Mosquitto
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
