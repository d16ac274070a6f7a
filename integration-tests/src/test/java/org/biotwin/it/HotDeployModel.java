package org.biotwin.it;

import java.nio.file.Path;

/**
 * The model bundle the hot-deploy tests drop into {@code deploy/}: the suite's demonstration model
 * {@code org.biotwin.models.monod}, as this build resolved it (a dependency of this module, so the reactor's fresh
 * jar in a full build). Driver side.
 */
public final class HotDeployModel {

    public static final String MONOD_BSN = "org.biotwin.models.monod";
    /** System property carrying the chosen jar into the framework (same JVM for the native container). */
    public static final String PROPERTY = "biotwin.it.hotDeployJar";

    private HotDeployModel() {
    }

    public static Path jar() {
        return SuiteBundles.suite().stream().filter(e -> e.symbolicName().equals(MONOD_BSN))
                .map(SuiteBundles.Entry::path).findFirst()
                .orElseThrow(() -> new IllegalStateException(MONOD_BSN + " is not in " + SuiteBundles.itDir()
                        + "/suite-bundles.txt: integration-tests/pom.xml must depend on org.biotwin:" + MONOD_BSN));
    }
}
