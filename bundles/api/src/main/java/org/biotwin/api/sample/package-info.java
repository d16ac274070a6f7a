/**
 * Plant measurements as they enter the twin: one value of one tag of one ISA-88 unit at one instant.
 * <p>
 * Samples reach consumers through the whiteboard pattern: register a {@link org.biotwin.api.sample.SampleListener}
 * service and the data-path bundles deliver to it.
 */
@Export
@Version("1.2.0")
@NullMarked
package org.biotwin.api.sample;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
