/** Implementation of the historian bundle; not exported. */
@NullMarked
package org.biotwin.historian.influxdb.internal;

import org.jspecify.annotations.NullMarked;
