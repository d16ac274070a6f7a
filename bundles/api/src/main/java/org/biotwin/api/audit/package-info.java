/**
 * The 21 CFR Part 11 / EU GMP Annex 11 audit trail and electronic signatures.
 */
@Export
@Version("1.2.0")
@NullMarked
package org.biotwin.api.audit;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
