package org.biotwin.host;

import java.util.Map;

/**
 * A server the reference host runs in its own JVM but outside the OSGi framework, for example the embedded MQTT
 * broker or the embedded QuestDB historian that later issues add. Implementations are found with
 * {@link java.util.ServiceLoader} on the launcher's class path ({@code lib/}), started in ascending {@link #order()}
 * before the framework is created, and stopped in reverse order after the framework has stopped, so that no bundle
 * ever sees its server disappear under it.
 * <p>
 * Implementations are called from one thread at a time.
 */
public interface EmbeddedServer {

    /** Short name for logs, for example {@code mqtt-broker}. */
    String name();

    /**
     * Whether the host runs this server; a disabled one is neither started nor stopped, and the bundles are pointed
     * at an external server by configuration instead (for example {@code biotwin.mqtt.embedded=false} with
     * {@code biotwin.mqtt.uri}).
     *
     * @throws IllegalArgumentException naming the property when the configuration is invalid
     */
    default boolean enabled(HostConfig config) {
        return true;
    }

    /** Start order; lower starts first and stops last. */
    default int order() {
        return 100;
    }

    /**
     * Starts the server and returns the framework properties that tell bundles where to find it, for example
     * {@code biotwin.mqtt.url=tcp://127.0.0.1:1883}. Bundles read them with {@code BundleContext.getProperty}.
     *
     * @param config the host configuration (data directory, bind address)
     * @return framework properties to add; never null
     * @throws Exception when the server cannot start; the host then stops the servers it started and exits
     */
    Map<String, String> start(HostConfig config) throws Exception;

    /** Stops the server and releases its ports and files. Called once, after the framework has stopped. */
    void stop() throws Exception;
}
