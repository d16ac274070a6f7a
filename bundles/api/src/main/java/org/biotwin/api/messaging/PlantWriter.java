package org.biotwin.api.messaging;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Publishes messages to the plant broker with QoS 1. While the broker is unreachable, messages are kept in a bounded
 * store on disk and forwarded in order when it returns; a full store raises an alarm and refuses new messages with
 * {@link IllegalStateException}, never dropping one silently. Thread-safe.
 */
@ProviderType
public interface PlantWriter {

    /**
     * Queues a message for delivery. When this method returns, the message is durable in the store or acknowledged by
     * the broker.
     *
     * @param retained whether the broker keeps it as the topic's last value
     * @throws IllegalStateException if the store is full
     */
    void publish(String topic, byte[] payload, boolean retained);
}
