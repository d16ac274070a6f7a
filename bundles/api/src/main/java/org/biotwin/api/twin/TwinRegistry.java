package org.biotwin.api.twin;

import java.util.Collection;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** All twins of this host. Thread-safe. */
@ProviderType
public interface TwinRegistry {

    /** The twins, in unit order. */
    Collection<Twin> twins();

    /** The twin of a unit, if configured. */
    Optional<Twin> twin(String unitId);
}
