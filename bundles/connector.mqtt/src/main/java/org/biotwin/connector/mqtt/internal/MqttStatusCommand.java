package org.biotwin.connector.mqtt.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.biotwin.api.messaging.ConnectionStatus;
import org.biotwin.api.sample.RejectReason;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** Gogo shell command {@code mqtt:status}: counters of every MQTT connection. */
@Component(service = Object.class, property = {"osgi.command.scope=mqtt", "osgi.command.function=status"})
public final class MqttStatusCommand {

    private final List<ConnectionStatus> connections = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addConnection(ConnectionStatus s) {
        connections.add(s);
    }

    void removeConnection(ConnectionStatus s) {
        connections.remove(s);
    }

    /** Renders every connection's counters and rejects per reason. */
    public String status() {
        return render(connections);
    }

    static String render(List<ConnectionStatus> connections) {
        if (connections.isEmpty()) {
            return "no MQTT connection is configured (factory PID " + ConnectionSettings.FACTORY_PID + ")";
        }
        StringBuilder b = new StringBuilder();
        for (ConnectionStatus c : connections) {
            b.append("connection ").append(c.name()).append(c.connected() ? " (connected)" : " (DISCONNECTED)")
                    .append('\n');
            for (Map.Entry<String, Long> e : c.counters().entrySet()) {
                b.append(String.format("  %-24s %d%n", e.getKey(), e.getValue()));
            }
            Map<RejectReason, Long> r = c.rejects();
            if (!r.isEmpty()) {
                b.append("  rejects per reason:\n");
                r.forEach((k, v) -> b.append(String.format("    %-22s %d%n", k, v)));
            }
        }
        return b.toString();
    }
}
