package org.biotwin.connector.mqtt.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Metatype of one plant broker connection (factory PID {@value ConnectionSettings#FACTORY_PID}). The values are
 * parsed and checked by {@link ConnectionSettings#parse}; the defaults here are the same constants.
 */
@ObjectClassDefinition(
        id = ConnectionSettings.FACTORY_PID,
        name = "BioTwin MQTT connection",
        description = "One connection to a plant MQTT v5 broker: samples in, twin outputs out. Create one "
                + "configuration per broker or per share of the plant.")
@interface ConnectorConfig {

    @AttributeDefinition(name = "Connection name", description = "Short name used in logs, metrics, the store "
            + "directory and the service property biotwin.mqtt.connection. Letters, digits, '-', '_' and '.'.")
    String name() default "plant";

    @AttributeDefinition(name = "Broker URI", description = "tcp://host:port or ssl://host:port of the broker.")
    String broker_uri();

    @AttributeDefinition(name = "Client id", description = "Fixed MQTT client id. It names the persistent session "
            + "on the broker: keep it stable, and unique per connection and host.")
    String client_id();

    @AttributeDefinition(name = "User name", description = "User name for the broker; empty for none.", required = false)
    String username() default "";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false,
            description = "Password for the broker; never logged. A private property (.password): not published as a service property.")
    String _password() default "";

    @AttributeDefinition(name = "TLS trust store", required = false,
            description = "Path of the trust store with the broker's CA (ssl:// only). Empty: the JVM's default.")
    String tls_truststore_path() default "";

    @AttributeDefinition(name = "TLS trust store password", type = AttributeType.PASSWORD, required = false,
            description = "Password of the trust store.")
    String _tls_truststore_password() default "";

    @AttributeDefinition(name = "TLS trust store type", required = false, description = "Key store type of the trust store.",
            options = {@Option(label = "PKCS12", value = "PKCS12"), @Option(label = "JKS", value = "JKS")})
    String tls_truststore_type() default "PKCS12";

    @AttributeDefinition(name = "TLS client key store", required = false,
            description = "Path of the key store with this client's certificate and key, for mutual TLS. Empty: none.")
    String tls_keystore_path() default "";

    @AttributeDefinition(name = "TLS client key store password", type = AttributeType.PASSWORD, required = false,
            description = "Password of the client key store and of its key.")
    String _tls_keystore_password() default "";

    @AttributeDefinition(name = "TLS client key store type", required = false, description = "Key store type.",
            options = {@Option(label = "PKCS12", value = "PKCS12"), @Option(label = "JKS", value = "JKS")})
    String tls_keystore_type() default "PKCS12";

    @AttributeDefinition(name = "Session expiry (s)", description = "MQTT v5 session expiry interval. The broker keeps "
            + "the session and queues QoS 1 messages this long while the connector is away. Clean start is always false.")
    long session_expiry_s() default ConnectionSettings.DEFAULT_SESSION_EXPIRY_S;

    @AttributeDefinition(name = "Keep-alive (s)", description = "MQTT keep-alive interval.")
    int keepalive_s() default ConnectionSettings.DEFAULT_KEEPALIVE_S;

    @AttributeDefinition(name = "Connect timeout (s)", description = "Time allowed for one connection attempt.")
    int connect_timeout_s() default ConnectionSettings.DEFAULT_CONNECT_TIMEOUT_S;

    @AttributeDefinition(name = "Reconnect delay, first (ms)", description = "First reconnect delay; doubled after "
            + "each failed attempt up to the maximum, with 20 % jitter.")
    long reconnect_min_ms() default ConnectionSettings.DEFAULT_RECONNECT_MIN_MS;

    @AttributeDefinition(name = "Reconnect delay, maximum (ms)", description = "Cap of the exponential back-off.")
    long reconnect_max_ms() default ConnectionSettings.DEFAULT_RECONNECT_MAX_MS;

    @AttributeDefinition(name = "Receive maximum", description = "MQTT v5 flow control: QoS 1 messages the broker may "
            + "have unacknowledged at this client. Messages are acknowledged only after hand-over to all listeners, "
            + "so this bounds the memory held and is how back-pressure reaches the broker.")
    int receive_maximum() default ConnectionSettings.DEFAULT_RECEIVE_MAXIMUM;

    @AttributeDefinition(name = "Shared subscription group", required = false, description = "If set, sample "
            + "subscriptions become $share/<group>/<filter> so that several hosts split the plant's messages.")
    String shared_group() default "";

    @AttributeDefinition(name = "Units", description = "ISA-88 units (bioreactors) this connection accepts, for "
            + "example BR-101. Samples for other units are rejected as UNKNOWN_UNIT.")
    String[] units();

    @AttributeDefinition(name = "Tags", description = "Declared tags and their UCUM units: 'TAG=UOM' for every unit "
            + "or 'UNIT/TAG=UOM' for one unit, for example 'T=Cel', 'DO=%', 'BR-102/feed=L/h'. Incoming values are "
            + "converted to this unit; an incompatible unit is rejected.")
    String[] tags();

    @AttributeDefinition(name = "Topic patterns", required = false, description = "Topic patterns with {unit} and "
            + "{tag} placeholders, each standing for one topic level, for example 'plant/{unit}/{tag}' (single values "
            + "or plain numbers) and 'plant/{unit}' (batches). Tried in order.")
    String[] topic_patterns() default {"plant/{unit}/{tag}", "plant/{unit}"};

    @AttributeDefinition(name = "Topic mappings", required = false, description = "Explicit mappings "
            + "'topic=UNIT/TAG/UOM' for gateways with their own topic layout, for example "
            + "'site/plc7/ai3=BR-101/T/Cel'. They also declare the tag.")
    String[] topic_mappings() default {};

    @AttributeDefinition(name = "Dead-letter topic", description = "Rejected payloads are published here (QoS 1) "
            + "as JSON with the reason and the original topic.")
    String deadletter_topic() default ConnectionSettings.DEFAULT_DEADLETTER_TOPIC;

    @AttributeDefinition(name = "Store directory", required = false, description = "Directory of the on-disk "
            + "store-and-forward queue for outbound messages. Empty: the bundle's data area, sub-folder named after "
            + "the connection.")
    String store_dir() default "";

    @AttributeDefinition(name = "Store bound (bytes)", description = "Maximum size on disk of the outbound store. "
            + "When full, PlantWriter refuses messages with an alarm.")
    long store_max_bytes() default ConnectionSettings.DEFAULT_STORE_MAX_BYTES;

    @AttributeDefinition(name = "Maximum payload (bytes)", description = "Larger inbound payloads are rejected as "
            + "OVERSIZE_PAYLOAD.")
    int payload_max_bytes() default ConnectionSettings.DEFAULT_PAYLOAD_MAX_BYTES;

    @AttributeDefinition(name = "Future tolerance (s)", description = "Timestamps more than this ahead of the host "
            + "clock are rejected as TIMESTAMP_IN_FUTURE.")
    long timestamp_max_future_s() default ConnectionSettings.DEFAULT_MAX_FUTURE_S;

    @AttributeDefinition(name = "Maximum age (s)", description = "Timestamps older than this are rejected as "
            + "TIMESTAMP_TOO_OLD. Offline lab results arrive hours late: keep it generous.")
    long timestamp_max_age_s() default ConnectionSettings.DEFAULT_MAX_AGE_S;

    @AttributeDefinition(name = "De-duplication window", description = "Number of most recently accepted "
            + "(unit, tag, timestamp) keys remembered to reject duplicates.")
    int dedup_window() default ConnectionSettings.DEFAULT_DEDUP_WINDOW;

    @AttributeDefinition(name = "Listener queue (samples)", description = "Bound of each SampleListener's queue. "
            + "When full, ingestion waits (back-pressure, counted); nothing is dropped.")
    int listener_queue_capacity() default ConnectionSettings.DEFAULT_LISTENER_QUEUE;

    @AttributeDefinition(name = "Require a listener", description = "If true, no sample message is acknowledged "
            + "while no SampleListener is registered: the broker keeps them in the session until one arrives.")
    boolean require_listener() default true;

    @AttributeDefinition(name = "Handler grace (s)", description = "How long a message on a MessageHandler topic "
            + "waits, unacknowledged, for a handler while none is registered: after the connection starts (a resumed "
            + "session delivers before the handlers are bound) and after the last handler of a filter went (a handler "
            + "bundle restarting). The filter stays subscribed meanwhile. 0 dead-letters such messages at once.")
    long handler_grace_s() default ConnectionSettings.DEFAULT_HANDLER_GRACE_S;
}
