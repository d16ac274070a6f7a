/**
 * The twin of a bioreactor unit as other bundles and the panels see it: its state estimate and its end-of-batch
 * prediction, each with its lineage.
 */
@Export
@Version("1.0.0")
@NullMarked
package org.biotwin.api.twin;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
