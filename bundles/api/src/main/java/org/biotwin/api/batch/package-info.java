/**
 * Electronic batch record context: which batch, recipe and ISA-88 phase a unit was in at a given time.
 */
@Export
@Version("1.0.0")
@NullMarked
package org.biotwin.api.batch;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
