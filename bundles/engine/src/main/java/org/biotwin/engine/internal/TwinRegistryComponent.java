package org.biotwin.engine.internal;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import org.biotwin.api.twin.Twin;
import org.biotwin.api.twin.TwinRegistry;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * All twins of this host, tracked as they come and go; also the {@code twin:*} Gogo commands. Thread-safe.
 */
@Component(service = {TwinRegistry.class, TwinRegistryComponent.class}, property = {
    "osgi.command.scope=twin", "osgi.command.function=list", "osgi.command.function=state",
    "osgi.command.function=predict"})
public final class TwinRegistryComponent implements TwinRegistry {

    private final ConcurrentSkipListMap<String, Twin> twins = new ConcurrentSkipListMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindTwin(Twin twin) {
        twins.put(twin.unitId(), twin);
    }

    void unbindTwin(Twin twin) {
        twins.remove(twin.unitId(), twin);
    }

    @Override
    public Collection<Twin> twins() {
        return List.copyOf(twins.values());
    }

    @Override
    public Optional<Twin> twin(String unitId) {
        return Optional.ofNullable(twins.get(unitId));
    }

    /** Gogo: {@code twin:list}. */
    public String list() {
        StringBuilder sb = new StringBuilder(String.format("%-10s %-28s %-8s %s%n", "UNIT", "MODEL", "AGE_H",
                "ALARMS"));
        for (Twin t : twins.values()) {
            String model = t.activeModel().orElse("-");
            String age = t.state().map(s -> String.format("%.2f", s.batchAge())).orElse("-");
            int alarms = t.alarms().size();
            sb.append(String.format("%-10s %-28s %-8s %d%n", t.unitId(), model, age, alarms));
        }
        return sb.toString();
    }

    /** Gogo: {@code twin:state <unit>}. */
    public String state(String unit) {
        Twin t = twins.get(unit);
        if (t == null) {
            return "No twin for unit " + unit + "; units: " + twins.keySet();
        }
        return t.state().map(s -> {
            StringBuilder sb = new StringBuilder();
            sb.append("unit ").append(s.unitId()).append(" batch ").append(s.batchId()).append(" at ")
                    .append(s.time()).append(String.format(" (%.3f h)%n", s.batchAge()));
            sb.append("model ").append(s.lineage().modelId()).append(':').append(s.lineage().modelVersion())
                    .append(" sha256 ").append(s.lineage().modelDigest()).append('\n');
            for (int i = 0; i < s.stateNames().size(); i++) {
                sb.append(String.format("  %-14s %12.5g ± %-10.3g %s%n", s.stateNames().get(i), s.mean()[i],
                        Math.sqrt(Math.max(0, s.covariance()[i][i])), s.units().get(i)));
            }
            return sb.toString();
        }).orElse("Twin " + unit + " has no estimate yet");
    }

    /** Gogo: {@code twin:predict <unit>}. */
    public String predict(String unit) {
        Twin t = twins.get(unit);
        if (!(t instanceof TwinComponent c)) {
            return "No twin for unit " + unit;
        }
        return c.predictNow().map(p -> {
            StringBuilder sb = new StringBuilder("harvest " + p.predictedHarvest() + ", " + p.ensembleSize()
                    + " members\n");
            p.bands().forEach(b -> sb.append(String.format("  %-14s %12.5g [%.5g, %.5g] %s%n", b.variable(),
                    b.finalMedian(), b.p05()[b.p05().length - 1], b.p95()[b.p95().length - 1], b.unit())));
            return sb.toString();
        }).orElse("No prediction: no estimate yet or no uncertainty propagator");
    }
}
