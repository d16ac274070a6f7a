/**
 * Next-best-action advice: proposals that improve a batch against its targets, what-if simulations, and the
 * operator's signed decision. Indirect control by default: a person carries an accepted action out; closed loop
 * ({@link org.biotwin.api.advisory.ClosedLoop}) writes accepted setpoints where an authorised person enabled it.
 */
@Export
@Version("1.1.0")
@NullMarked
package org.biotwin.api.advisory;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
