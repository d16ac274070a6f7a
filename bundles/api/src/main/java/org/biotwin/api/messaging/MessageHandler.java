package org.biotwin.api.messaging;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard handler for inbound MQTT messages. Register it as a service with the property {@value #TOPICS}
 * (String or String[], MQTT topic filters with {@code +} and {@code #}); the connector subscribes to those filters and
 * delivers matching messages in arrival order, from a thread of its own, through a bounded queue.
 * <p>
 * A handler that throws is logged and counted; the message goes to the connector's dead-letter topic with the
 * exception message as the reason.
 */
@ConsumerType
public interface MessageHandler {

    /** Service property: the topic filters this handler wants. */
    String TOPICS = "biotwin.mqtt.topics";

    /**
     * Handles one message.
     *
     * @param topic   the concrete topic
     * @param payload the payload; must not be retained after the call
     * @throws IllegalArgumentException for a payload the handler refuses, with the reason
     */
    void onMessage(String topic, byte[] payload);
}
