package org.biotwin.historian.influxdb.internal;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.biotwin.api.audit.AuditEntry;
import org.biotwin.api.audit.AuditEvent;
import org.biotwin.api.audit.AuditTrail;
import org.biotwin.api.batch.BatchContext;
import org.biotwin.api.batch.BatchRecord;
import org.biotwin.api.batch.BatchState;

/**
 * Test doubles for the two optional services. The real ones (the ebr bundle) are being built in parallel and are not
 * available to this module; the historian only calls {@code BatchRecord.contextAt} and {@code AuditTrail.append}.
 * Dynamic proxies, so that methods the API gains later do not break the tests; any other call fails loudly.
 */
final class TestDoubles {

    private TestDoubles() {
    }

    /** A batch record with fixed phases of one batch on one unit: phase i starts at {@code starts[i]}. */
    static BatchRecord batchRecord(String batchId, String unitId, Instant end, List<Instant> starts,
            List<String> phases) {
        return (BatchRecord) Proxy.newProxyInstance(TestDoubles.class.getClassLoader(),
                new Class<?>[] { BatchRecord.class }, (proxy, m, args) -> {
                    if (!m.getName().equals("contextAt")) {
                        return objectMethod(proxy, m.getName(), args, "BatchRecord");
                    }
                    String unit = (String) args[0];
                    Instant time = (Instant) args[1];
                    if (!unit.equals(unitId) || time.isBefore(starts.get(0)) || !time.isBefore(end)) {
                        return Optional.empty();
                    }
                    int i = starts.size() - 1;
                    while (time.isBefore(starts.get(i))) {
                        i--;
                    }
                    return Optional.of(new BatchContext(batchId, unitId, "mAb-1", "R1", "1", BatchState.RUNNING,
                            phases.get(i), starts.get(0), Map.of()));
                });
    }

    /** An audit trail that records appended events in memory. */
    static final class RecordingAudit {
        final List<AuditEvent> events = Collections.synchronizedList(new ArrayList<>());
        final AuditTrail trail = (AuditTrail) Proxy.newProxyInstance(TestDoubles.class.getClassLoader(),
                new Class<?>[] { AuditTrail.class }, (proxy, m, args) -> {
                    if (!m.getName().equals("append")) {
                        return objectMethod(proxy, m.getName(), args, "AuditTrail");
                    }
                    AuditEvent event = (AuditEvent) args[0];
                    events.add(event);
                    return new AuditEntry(events.size(), Instant.now(), event, "0".repeat(64), "0".repeat(64));
                });

        List<String> actions() {
            synchronized (events) {
                return events.stream().map(AuditEvent::action).toList();
            }
        }
    }

    private static Object objectMethod(Object proxy, String name, Object[] args, String what) {
        return switch (name) {
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "toString" -> "test " + what;
            default -> throw new UnsupportedOperationException(what + "." + name + " is not used by the historian");
        };
    }
}
