package org.biotwin.softsensor.internal;

import org.biotwin.api.estimation.ScreenSettings;
import org.biotwin.api.estimation.SignalScreen;
import org.biotwin.api.estimation.SignalScreening;
import org.osgi.service.component.annotations.Component;

/** Opens sensor-fault screens. Thread-safe (stateless). */
@Component(service = SignalScreening.class)
public final class SignalScreeningComponent implements SignalScreening {

    @Override
    public SignalScreen open(String signal, ScreenSettings settings) {
        return new RobustSignalScreen(signal, settings);
    }
}
