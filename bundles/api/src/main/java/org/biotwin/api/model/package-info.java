/**
 * The model SPI: the contract that validated kinetic model bundles are built against.
 * <p>
 * A model bundle registers a {@link org.biotwin.api.model.KineticModel} service with the properties
 * {@link org.biotwin.api.model.KineticModel#MODEL_ID} and {@link org.biotwin.api.model.KineticModel#MODEL_VERSION},
 * imports only this package, and is imported by nobody, so installing, updating or removing it never causes a
 * package refresh of another bundle.
 * <p>
 * Conventions: model time is batch age in hours (h) from the start of the batch; every state, parameter, input and
 * observable declares its unit as a UCUM code.
 * <p>
 * This package is a consumer contract: adding a method breaks every model bundle, so it changes with a major version.
 */
@Export
@Version("1.1.0")
@NullMarked
package org.biotwin.api.model;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
