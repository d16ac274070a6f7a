package org.biotwin.ebr.internal.batch;

import java.util.Arrays;
import java.util.LinkedHashSet;
import org.biotwin.api.audit.AuditTrail;
import org.biotwin.api.batch.BatchRecord;
import org.biotwin.api.messaging.MessageHandler;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The {@link BatchRecord} service, also registered as a {@link MessageHandler} for MES batch events; the
 * configuration property {@code biotwin.mqtt.topics} becomes the service property the MQTT connector reads.
 */
@Component(service = {BatchRecord.class, MessageHandler.class}, configurationPid = BatchRecordComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true,
        property = MessageHandler.TOPICS + "=" + BatchRecordService.DEFAULT_TOPIC)
@Designate(ocd = BatchRecordComponent.Config.class)
public final class BatchRecordComponent extends BatchRecordService {

    /** Configuration PID. */
    public static final String PID = "org.biotwin.ebr.batch";

    @ObjectClassDefinition(name = "BioTwin batch record",
            description = "Batch lifecycle and ISA-88 phases per unit, driven by the MES; every command audited.")
    public @interface Config {
        @AttributeDefinition(name = "Allowed phases",
                description = "ISA-88 phase names (UPPER_SNAKE_CASE) that enterPhase accepts. Empty accepts any"
                        + " UPPER_SNAKE_CASE name.")
        String[] phases() default {"INOCULATION", "BATCH", "FED_BATCH", "TEMPERATURE_SHIFT", "INDUCTION",
            "PRODUCTION", "HARVEST"};

        @AttributeDefinition(name = "MQTT topic filters", description = "Topic filters of MES batch events, of the"
                + " form mes/<unitId>/batch/<command>; the MQTT connector subscribes to them.")
        String[] biotwin_mqtt_topics() default {BatchRecordService.DEFAULT_TOPIC};
    }

    @Activate
    public BatchRecordComponent(@Reference AuditTrail trail, Config config) {
        super(trail, new LinkedHashSet<>(Arrays.asList(config.phases())));
    }
}
