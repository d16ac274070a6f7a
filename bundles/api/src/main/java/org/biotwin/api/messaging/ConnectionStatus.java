package org.biotwin.api.messaging;

import java.util.Map;
import org.biotwin.api.sample.RejectReason;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Health and counters of one plant broker connection, for operators and monitoring. Counters are monotonic since the
 * connection was (re)configured; gauges such as {@link #queuedSamples()} are current values. Thread-safe; each call
 * returns a fresh snapshot.
 */
@ProviderType
public interface ConnectionStatus {

    /**
     * Service property carrying the connection name: the connector's configuration property {@code name}, which
     * Declarative Services publishes with the service. Select a connection with a filter such as {@code (name=plant)}.
     */
    String NAME = "name";

    /** The configured connection name. */
    String name();

    /** Whether the client is connected to the broker now. */
    boolean connected();

    /**
     * Named counters and gauges, for example {@code received}, {@code accepted}, {@code rejected},
     * {@code backpressure.events}, {@code listener.queued}, {@code store.records}, {@code store.bytes},
     * {@code store.full}, {@code reconnects}. The connector's README lists them all.
     */
    Map<String, Long> counters();

    /** Rejected messages or values per reason, zero counts omitted. */
    Map<RejectReason, Long> rejects();
}
