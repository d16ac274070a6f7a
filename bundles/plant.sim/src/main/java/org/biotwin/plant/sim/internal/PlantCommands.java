package org.biotwin.plant.sim.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Gogo shell commands: {@code plant:list}, {@code plant:fault <unit> <fault> on|off}, {@code plant:state <unit>}.
 * Registered through the {@code osgi.command.scope}/{@code osgi.command.function} service properties, so the bundle
 * needs no Gogo import. Thread-safe.
 */
@Component(service = PlantCommands.class, property = {"osgi.command.scope=plant", "osgi.command.function=list",
    "osgi.command.function=fault", "osgi.command.function=state"})
public final class PlantCommands {

    private final List<ReactorControl> reactors = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindReactor(ReactorControl r) {
        reactors.add(r);
    }

    void unbindReactor(ReactorControl r) {
        reactors.remove(r);
    }

    /** One line per simulated bioreactor: unit, status, batch age, model, faults, publishing counters. */
    public String list() {
        if (reactors.isEmpty()) {
            return "no simulated bioreactors (create configurations of org.biotwin.plant.sim.reactor)";
        }
        StringBuilder sb = new StringBuilder();
        for (ReactorControl r : reactors) {
            ReactorCore.Truth t = r.truth();
            Map<String, Long> c = r.counters();
            sb.append(String.format("%-10s %-18s age %8.2f h  model %-24s faults %s  published %d failed %d dropped %d%n",
                    r.unit(), shortStatus(r.status()), t == null ? 0.0 : t.ageH(), t == null ? "-" : t.model(),
                    t == null ? "[]" : t.activeFaults(), c.get("published"), c.get("failed"), c.get("dropped")));
        }
        return sb.toString();
    }

    /** Switches a fault: aeration_loss, feed_pump_failure or freeze:&lt;tag&gt;. */
    public String fault(String unit, String fault, String onOff) {
        ReactorControl r = find(unit);
        boolean on = Payloads.onOff(onOff);
        r.fault(fault, on);
        return "fault " + fault + " " + (on ? "ON" : "OFF") + " requested for " + unit + " (applies at the next step)";
    }

    /** The true state of a unit: states, observables, loops, faults, counters. */
    public String state(String unit) {
        ReactorControl r = find(unit);
        ReactorCore.Truth t = r.truth();
        StringBuilder sb = new StringBuilder();
        sb.append(unit).append(": ").append(r.status()).append('\n');
        if (t != null) {
            sb.append(String.format("batch age %.4f h, model %s%n", t.ageH(), t.model()));
            sb.append("states       ").append(t.states()).append('\n');
            sb.append("observables  ").append(t.observables()).append('\n');
            sb.append("inputs       ").append(t.inputs()).append("  feed setpoints ").append(t.feedSetpoints()).append('\n');
            sb.append(String.format("DO %.2f %%, air %.2f NL/min, kLa %.2f /h, O2 limitation %.3f, T %.2f Cel, pH %.3f%n",
                    t.doPercent(), t.airFlow(), t.kla(), t.oxygenLimitation(), t.temperature(), t.ph()));
            sb.append("sensor drift ").append(t.drift()).append('\n');
            sb.append("faults       ").append(t.activeFaults()).append(", lab results pending ").append(t.pendingLab())
                    .append('\n');
        }
        sb.append("counters     ").append(r.counters()).append('\n');
        return sb.toString();
    }

    private ReactorControl find(String unit) {
        for (ReactorControl r : reactors) {
            if (r.unit().equals(unit)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no simulated bioreactor '" + unit + "'; units: "
                + reactors.stream().map(ReactorControl::unit).toList());
    }

    private static String shortStatus(String s) {
        int colon = s.indexOf(':');
        return colon < 0 ? s : s.substring(0, colon);
    }
}
