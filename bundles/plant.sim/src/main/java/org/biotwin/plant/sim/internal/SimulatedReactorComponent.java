package org.biotwin.plant.sim.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.biotwin.api.kinetics.Simulator;
import org.biotwin.api.model.KineticModel;
import org.jspecify.annotations.Nullable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated bioreactor per factory configuration {@value ReactorSettings#FACTORY_PID}.
 * <p>
 * Uses the kinetic core's {@link Simulator} (static, mandatory) and binds every {@link KineticModel} dynamically,
 * choosing the one with {@code biotwin.model.id} = {@code model.id} and the configured version, or the highest
 * version. Without such a model the reactor pauses (its clock too); when another version appears mid-batch, the batch
 * continues with it, states handed over by name.
 * <p>
 * A configuration update that changes only {@code faults} applies at the next step; any other change stops this
 * reactor and starts a new batch with the new configuration. Deactivation stops the reactor thread and the MQTT
 * connection. Thread-safe.
 */
// Immediate: a configured reactor runs its batch whether or not anybody looks at its control service.
@Component(configurationPid = ReactorSettings.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = ReactorControl.class, immediate = true)
@Designate(ocd = PlantConfiguration.class, factory = true)
public final class SimulatedReactorComponent implements ReactorControl {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedReactorComponent.class);

    private record BoundModel(KineticModel model, String id, String version) {
    }

    private final Simulator simulator;
    private final List<BoundModel> models = new CopyOnWriteArrayList<>();
    private final AtomicReference<Reactor> reactor = new AtomicReference<>();
    private final AtomicReference<Map<String, Object>> lastProperties = new AtomicReference<>();

    @Activate
    public SimulatedReactorComponent(@Reference Simulator simulator, PlantConfiguration config,
            Map<String, Object> properties) {
        this.simulator = simulator;
        ReactorSettings settings = ReactorSettings.from(config); // fails fast, naming the property
        lastProperties.set(comparable(properties));
        reactor.set(new Reactor(settings, simulator, () -> select(settings)));
    }

    @Reference(service = KineticModel.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindModel(KineticModel model, Map<String, Object> properties) {
        Object id = properties.get(KineticModel.MODEL_ID);
        Object version = properties.get(KineticModel.MODEL_VERSION);
        if (id == null || version == null) {
            LOG.warn("KineticModel service without {} or {} ignored", KineticModel.MODEL_ID, KineticModel.MODEL_VERSION);
            return;
        }
        models.add(new BoundModel(model, id.toString(), version.toString()));
    }

    void unbindModel(KineticModel model, Map<String, Object> properties) {
        models.removeIf(b -> b.model() == model);
    }

    /** The model the reactor should run now, or null. */
    private @Nullable KineticModel select(ReactorSettings s) {
        return models.stream()
                .filter(b -> b.id().equals(s.modelId()))
                .filter(b -> s.modelVersion() == null || b.version().equals(s.modelVersion()))
                .max(Comparator.comparing(BoundModel::version, SimulatedReactorComponent::compareVersions))
                .map(BoundModel::model).orElse(null);
    }

    static int compareVersions(String a, String b) {
        int[] x = numbers(a);
        int[] y = numbers(b);
        for (int i = 0; i < 3; i++) {
            if (x[i] != y[i]) {
                return Integer.compare(x[i], y[i]);
            }
        }
        return a.compareTo(b);
    }

    private static int[] numbers(String v) {
        int[] n = new int[3];
        String[] parts = v.split("[.+-]");
        for (int i = 0; i < 3 && i < parts.length; i++) {
            try {
                n[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                n[i] = -1;
            }
        }
        return n;
    }

    @Modified
    void modified(PlantConfiguration config, Map<String, Object> properties) {
        ReactorSettings next = ReactorSettings.from(config);
        Map<String, Object> now = comparable(properties);
        Map<String, Object> before = lastProperties.getAndSet(now);
        Map<String, Object> a = new TreeMap<>(before);
        Map<String, Object> b = new TreeMap<>(now);
        a.remove("faults");
        b.remove("faults");
        if (a.equals(b)) {
            reactor.get().configuredFaults(next.faults());
            return;
        }
        LOG.info("Plant {}: configuration changed; restarting the reactor with a new batch", next.unit());
        Reactor old = reactor.getAndSet(null);
        if (old != null) {
            old.close();
        }
        reactor.set(new Reactor(next, simulator, () -> select(next)));
    }

    @Deactivate
    void deactivate() {
        Reactor r = reactor.getAndSet(null);
        if (r != null) {
            r.close();
        }
    }

    /** Configuration properties in a form whose equals compares arrays by content. */
    private static Map<String, Object> comparable(Map<String, Object> properties) {
        Map<String, Object> m = new TreeMap<>();
        properties.forEach((k, v) -> {
            if (k.startsWith("component.") || k.startsWith("service.")) {
                return;
            }
            m.put(k, v instanceof Object[] arr ? Arrays.asList(arr) : v instanceof double[] d
                    ? Arrays.toString(d) : v);
        });
        return m;
    }

    private Reactor current() {
        return Objects.requireNonNull(reactor.get(), "the reactor is stopped");
    }

    @Override
    public String unit() {
        return current().unit();
    }

    @Override
    public String status() {
        return current().status();
    }

    @Override
    public ReactorCore.@Nullable Truth truth() {
        return current().truth();
    }

    @Override
    public Map<String, Long> counters() {
        return current().counters();
    }

    @Override
    public void fault(String fault, boolean on) {
        current().fault(fault, on);
    }

    @Override
    public void setpoint(String input, double value) {
        current().setpoint(input, value);
    }
}
