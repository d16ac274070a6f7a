/**
 * Raw plant messages for bundles that consume or produce MQTT messages other than samples (MES batch events,
 * twin outputs, setpoints), so that only the connector bundle talks to a broker.
 */
@Export
@Version("1.1.0")
@NullMarked
package org.biotwin.api.messaging;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
