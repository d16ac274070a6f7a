package org.biotwin.closedloop.internal;

import org.biotwin.api.advisory.SetpointLimit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * What closed loop may write to one unit, one per factory configuration {@value #PID}. A unit without one can never be
 * switched to closed loop. Registered under its own (bundle-private) class so that only this bundle sees it; a
 * changed or deleted configuration switches an enabled loop off (the signature was bound to the old limits).
 */
@Component(configurationPid = UnitLimitsComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = UnitLimitsComponent.class)
@Designate(ocd = UnitLimitsComponent.Config.class, factory = true)
public final class UnitLimitsComponent {

    static final String PID = "org.biotwin.closedloop.unit";

    @ObjectClassDefinition(name = "BioTwin closed-loop limits of a unit",
            description = "Allows closed loop for one unit: the input it may write and the limits of every write. "
                    + "Closed loop stays off until an authorised person enables it with an electronic signature.")
    @interface Config {
        @AttributeDefinition(name = "Unit", description = "ISA-88 unit id, for example BR-101.")
        String unit();

        @AttributeDefinition(name = "Input", description = "Model input closed loop may write, for example F_feed.")
        String input() default "F_feed";

        @AttributeDefinition(name = "Minimum", description = "Smallest value that may be written, in the input's "
                + "unit (L/h for F_feed).")
        double min();

        @AttributeDefinition(name = "Maximum", description = "Largest value that may be written, in the input's "
                + "unit (L/h for F_feed).")
        double max();

        @AttributeDefinition(name = "Largest step", description = "Largest change from the value last written (or, "
                + "for the first write, from the planned value) in one write, in the input's unit.")
        double maxStep();

        @AttributeDefinition(name = "Resolution", description = "Setpoint resolution of the plant (for example of "
                + "the feed pump), in the input's unit: values are rounded to a multiple of it before they are checked "
                + "and written, and a value that rounds to the one last written is not written again. 0 = none.")
        double resolution() default 0;

        @AttributeDefinition(name = "Topic", description = "MQTT topic of the setpoint; {unit} and {input} are "
                + "replaced.")
        String topic() default "plant/{unit}/setpoint/{input}";
    }

    private final String unit;
    private final SetpointLimit limit;
    private final String topic;

    @Activate
    public UnitLimitsComponent(Config config) {
        this(config.unit(), new SetpointLimit(require(config.input(), "input"), config.min(), config.max(),
                config.maxStep(), config.resolution()), config.topic());
    }

    UnitLimitsComponent(String unit, SetpointLimit limit, String topicPattern) {
        this.unit = require(unit, "unit");
        this.limit = limit;
        String t = require(topicPattern, "topic").replace("{unit}", unit).replace("{input}", limit.input());
        if (t.contains("+") || t.contains("#") || t.contains("{")) {
            throw new IllegalArgumentException("Closed-loop limits of " + unit + ": property 'topic' must name one "
                    + "topic without wildcards or unknown placeholders, was '" + topicPattern + "'");
        }
        this.topic = t;
    }

    private static String require(String value, String property) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Closed-loop limits: property '" + property + "' is required");
        }
        return value.trim();
    }

    String unit() {
        return unit;
    }

    SetpointLimit limit() {
        return limit;
    }

    String topic() {
        return topic;
    }

    /** What an enablement signature is bound to. */
    String signedContent() {
        return "closed loop|" + unit + "|" + limit.input() + "|" + limit.min() + "|" + limit.max() + "|"
                + limit.maxStep() + "|" + limit.resolution() + "|" + topic;
    }
}
