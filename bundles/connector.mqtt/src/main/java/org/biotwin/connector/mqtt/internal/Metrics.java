package org.biotwin.connector.mqtt.internal;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.biotwin.api.sample.RejectReason;

/** Counters of one connection. Thread-safe (LongAdder). */
final class Metrics {
    final LongAdder received = new LongAdder();
    final LongAdder acked = new LongAdder();
    final LongAdder accepted = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder redeliveredDuplicates = new LongAdder();
    final LongAdder backPressure = new LongAdder();
    final LongAdder listenerErrors = new LongAdder();
    final LongAdder handlerMessages = new LongAdder();
    final LongAdder deadLetters = new LongAdder();
    final LongAdder deadLettersUnstored = new LongAdder();
    final LongAdder published = new LongAdder();
    final LongAdder storeFull = new LongAdder();
    final LongAdder connects = new LongAdder();
    final LongAdder connectionLosses = new LongAdder();
    final LongAdder waitingForListener = new LongAdder();
    final LongAdder waitingForHandler = new LongAdder();
    private final Map<RejectReason, LongAdder> rejects = new EnumMap<>(RejectReason.class);

    Metrics() {
        for (RejectReason r : RejectReason.values()) {
            rejects.put(r, new LongAdder());
        }
    }

    void reject(RejectReason r) {
        rejected.increment();
        rejects.get(r).increment();
    }

    Map<RejectReason, Long> rejects() {
        Map<RejectReason, Long> out = new EnumMap<>(RejectReason.class);
        rejects.forEach((r, a) -> {
            long v = a.sum();
            if (v > 0) {
                out.put(r, v);
            }
        });
        return out;
    }
}
