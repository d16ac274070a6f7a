/**
 * The BioTwin panel for SWT clients: {@link org.biotwin.ui.swt.TwinPart}, an e4 part POJO that an Eclipse RCP MES
 * client contributes through this bundle's model fragment or creates itself on any {@code Composite}, and
 * {@link org.biotwin.ui.swt.MeasuredHistory}, the recent plant samples its charts plot.
 */
@Export
@Version("1.0.0")
@NullMarked
package org.biotwin.ui.swt;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
