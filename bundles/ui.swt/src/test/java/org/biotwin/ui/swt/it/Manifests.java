package org.biotwin.ui.swt.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.biotwin.api.twin.TwinRegistry;

/** Reads the API bundle's own Export-Package, so the framework shares exactly those packages with the test. */
final class Manifests {

    private Manifests() {
    }

    static String apiExports() throws Exception {
        Path where = Path.of(TwinRegistry.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Manifest mf;
        if (Files.isDirectory(where)) {
            try (var in = Files.newInputStream(where.resolve("META-INF/MANIFEST.MF"))) {
                mf = new Manifest(in);
            }
        } else {
            try (JarFile jar = new JarFile(where.toFile())) {
                mf = jar.getManifest();
            }
        }
        String exports = mf.getMainAttributes().getValue("Export-Package");
        if (exports == null) {
            throw new IllegalStateException("No Export-Package in " + where);
        }
        return exports;
    }
}
