/**
 * State estimation (soft sensors): recursive Bayesian filters over a kinetic model that fuse online signals with
 * delayed offline lab results, and the respiration soft sensors that turn off-gas analysis into OUR, CER and RQ.
 */
@Export
@Version("1.0.0")
@NullMarked
package org.biotwin.api.estimation;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
