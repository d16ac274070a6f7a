/**
 * Lifecycle of validated model bundles: the approval gate's verdict per model bundle (approved, or quarantined with
 * the reason), QA approval by electronic signature bound to the bundle's content digest, explicit activation of a
 * model version on a unit's twin, one-command rollback, and the swap history.
 * <p>
 * Conventions: a model record in the audit trail and the signature service is record type {@value
 * org.biotwin.api.lifecycle.ModelLifecycle#MODEL_RECORD} with id {@code <modelId>:<version>} and record hash the
 * bundle's content digest (hex SHA-256 over the bundle's entries sorted by path, each as path, NUL, bytes); an
 * activation is record type {@value org.biotwin.api.lifecycle.ModelLifecycle#ACTIVATION_RECORD} with id the unit.
 */
@Export
@Version("1.0.0")
@NullMarked
package org.biotwin.api.lifecycle;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
