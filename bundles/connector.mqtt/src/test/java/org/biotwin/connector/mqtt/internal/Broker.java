package org.biotwin.connector.mqtt.internal;

/** A real MQTT 5 broker started by a test on 127.0.0.1. */
interface Broker extends AutoCloseable {

    /** tcp://127.0.0.1:port */
    String uri();

    /** Stops the broker, keeping its persistent sessions on disk. */
    void stop() throws Exception;

    /** Starts it again on the same port with the same data. */
    void start() throws Exception;

    /** Whether {@link #stop()}/{@link #start()} keeps persistent sessions and queued messages. */
    boolean keepsSessionsAcrossRestart();

    @Override
    void close() throws Exception;
}
