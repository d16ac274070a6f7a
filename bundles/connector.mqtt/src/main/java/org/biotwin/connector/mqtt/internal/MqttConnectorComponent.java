package org.biotwin.connector.mqtt.internal;

import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.biotwin.api.audit.AuditTrail;
import org.biotwin.api.messaging.ConnectionStatus;
import org.biotwin.api.messaging.MessageHandler;
import org.biotwin.api.messaging.PlantWriter;
import org.biotwin.api.sample.RejectReason;
import org.biotwin.api.sample.SampleListener;
import org.jspecify.annotations.Nullable;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One plant broker connection per factory configuration {@value ConnectionSettings#FACTORY_PID}.
 * <p>
 * A configuration change re-activates the component (there is deliberately no modified method): the old instance
 * stops acknowledging, delivers every sample it already acknowledged to the listeners, and disconnects; the new one
 * resumes the same persistent session (same client id), so the broker redelivers whatever was not acknowledged.
 * Nothing accepted is lost across it; a message in flight at that moment may be delivered twice (consumers key on
 * {@code Sample.key()}). A new client id starts a new session: messages queued for the old one are not taken over.
 */
@Component(service = {PlantWriter.class, ConnectionStatus.class}, configurationPid = ConnectionSettings.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true) // connect now, not on first use
@Designate(ocd = ConnectorConfig.class, factory = true)
public final class MqttConnectorComponent implements PlantWriter, ConnectionStatus {

    private final MqttConnection connection;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile @Nullable AuditTrail audit;

    /**
     * @throws IllegalArgumentException naming the bad property; DS logs it and the component stays unsatisfied
     */
    @Activate
    public MqttConnectorComponent(BundleContext context, Map<String, Object> properties) {
        File data = context.getDataFile("mqtt-store");
        Path parent = data == null ? null : data.toPath();
        UnitNormalizer units = new UnitNormalizer();
        ConnectionSettings settings = ConnectionSettings.parse(properties, parent, units);
        this.connection = new MqttConnection(settings, units, Clock.systemUTC(), () -> audit);
    }

    @Deactivate
    void deactivate() {
        connection.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSampleListener(SampleListener listener, Map<String, Object> properties) {
        connection.addSampleListener(listener, Set.copyOf(strings(properties.get(SampleListener.UNITS))),
                isTrue(properties.get(SampleListener.DURABLE)));
    }

    void removeSampleListener(SampleListener listener) {
        connection.removeSampleListener(listener);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(" + MessageHandler.TOPICS + "=*)")
    void addMessageHandler(MessageHandler handler, Map<String, Object> properties) {
        connection.addMessageHandler(handler, strings(properties.get(MessageHandler.TOPICS)));
    }

    void removeMessageHandler(MessageHandler handler) {
        connection.removeMessageHandler(handler);
    }

    static boolean isTrue(@Nullable Object v) {
        return v instanceof Boolean b ? b : v != null && Boolean.parseBoolean(String.valueOf(v).trim());
    }

    static List<String> strings(@Nullable Object v) {
        if (v == null) {
            return List.of();
        }
        if (v instanceof String s) {
            return List.of(s);
        }
        if (v instanceof String[] a) {
            return Arrays.asList(a);
        }
        if (v instanceof java.util.Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(v));
    }

    @Override
    public void publish(String topic, byte[] payload, boolean retained) {
        connection.publish(topic, payload, retained);
    }

    @Override
    public String name() {
        return connection.name();
    }

    @Override
    public boolean connected() {
        return connection.connected();
    }

    @Override
    public Map<String, Long> counters() {
        return connection.counters();
    }

    @Override
    public Map<RejectReason, Long> rejects() {
        return connection.rejects();
    }
}
