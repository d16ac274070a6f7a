package org.biotwin.engine.internal;

import org.biotwin.api.model.KineticModel;

/**
 * A model service as the twin uses it, with the content digest of the bundle that provides it. Immutable.
 *
 * @param model  the model
 * @param digest hex SHA-256 over the bundle's entries (see {@link BundleDigest}), or {@code unknown}
 */
record BoundModel(KineticModel model, String digest) {

    String id() {
        return model.descriptor().id();
    }

    String version() {
        return model.descriptor().version();
    }

    String coordinates() {
        return model.descriptor().coordinates();
    }
}
