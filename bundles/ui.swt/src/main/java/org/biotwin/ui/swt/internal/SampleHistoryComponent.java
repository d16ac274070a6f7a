package org.biotwin.ui.swt.internal;

import java.util.List;
import org.biotwin.api.sample.Sample;
import org.biotwin.api.sample.SampleListener;
import org.biotwin.ui.swt.MeasuredHistory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Keeps the recent samples of every unit for the panel's "measured" series: a sample whiteboard listener without a
 * unit filter, offered as {@link MeasuredHistory} (an e4 application finds it in the OSGi registry by that type).
 */
@Component(service = {SampleListener.class, MeasuredHistory.class}, configurationPid = SampleHistoryComponent.PID)
@Designate(ocd = SampleHistoryComponent.Config.class)
public final class SampleHistoryComponent implements SampleListener, MeasuredHistory {

    static final String PID = "org.biotwin.ui.swt.history";

    @ObjectClassDefinition(name = "BioTwin SWT panel: measured history",
            description = "Recent plant samples the SWT panel plots as measured values.")
    public @interface Config {
        @AttributeDefinition(name = "Samples per series", min = "2",
                description = "Values kept per unit and tag (a ring, 16 bytes a value): 20160 = 14 days of one-minute"
                        + " data, 320 kB per series.")
        int capacity() default 20160;
    }

    private final SampleHistory history;

    @Activate
    public SampleHistoryComponent(Config config) {
        this.history = new SampleHistory(config.capacity());
    }

    @Override
    public void onSamples(List<Sample> samples) {
        history.onSamples(samples);
    }

    @Override
    public List<Point> series(String unitId, String tag) {
        return history.series(unitId, tag);
    }
}
