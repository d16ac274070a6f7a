/**
 * Services of the kinetic core: simulation of a model under an operating schedule, and (added by the kinetic core)
 * parameter estimation, uncertainty propagation and feed optimisation.
 */
@Export
@Version("1.0.0")
@NullMarked
package org.biotwin.api.kinetics;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
