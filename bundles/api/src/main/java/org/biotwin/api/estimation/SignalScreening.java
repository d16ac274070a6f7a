package org.biotwin.api.estimation;

import org.osgi.annotation.versioning.ProviderType;

/** Opens sensor-fault screens. Thread-safe. */
@ProviderType
public interface SignalScreening {

    /** A screen for one signal, named in its verdicts. */
    SignalScreen open(String signal, ScreenSettings settings);
}
