/**
 * The process historian as the suite sees it: durable, idempotent writes of contextualised samples and twin outputs,
 * and typed reads of history for calibration and backfill.
 * <p>
 * Writes are store-and-forward: {@link org.biotwin.api.historian.Historian#write} returns once the points are durable
 * in the historian bundle's on-disk buffer, and they reach the database later, in order, even across outages and
 * restarts. A point's identity is its measurement, its tag set and its timestamp; writing the same point twice
 * overwrites, it never counts twice.
 */
@Export
@Version("1.0.0")
@NullMarked
package org.biotwin.api.historian;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
