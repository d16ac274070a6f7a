package org.biotwin.it;

import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Jar;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds the test fixture bundles with bnd, from classes compiled with the tests (driver side only: bndlib never
 * enters the framework). Manifests and DS/metatype descriptors are generated from the annotations, as in the suite.
 */
public final class FixtureBundles {

    /** Symbolic name of the bundle whose import nothing can satisfy. */
    public static final String UNRESOLVABLE_BSN = "org.biotwin.it.fixture.unresolvable";
    /** The package it imports and nobody exports. */
    public static final String MISSING_PACKAGE = "org.biotwin.it.absent.calibration";
    /** Symbolic name of the bundle with the configuration-required component. */
    public static final String CONFIG_BSN = "org.biotwin.it.fixture.config";

    private FixtureBundles() {
    }

    /** Builds every fixture bundle into {@code target/it/fixtures}; returns the directory. */
    public static Path buildAll() {
        Path dir = SuiteBundles.itDir().resolve("fixtures");
        try {
            Files.createDirectories(dir);
            build(dir.resolve(UNRESOLVABLE_BSN + ".jar"), List.of(
                    "Bundle-SymbolicName", UNRESOLVABLE_BSN,
                    "Bundle-Version", "1.0.0",
                    // No classes needed: the manifest alone is the bad input a host must survive.
                    "Import-Package", MISSING_PACKAGE + ";version=\"[1.0,2)\"",
                    "-resourceonly", "true",
                    "-includeresource", "readme.txt;literal='fixture: imports a package nobody exports'"));
            build(dir.resolve(CONFIG_BSN + ".jar"), List.of(
                    "Bundle-SymbolicName", CONFIG_BSN,
                    "Bundle-Version", "1.0.0",
                    "Private-Package", "org.biotwin.it.fixture.config",
                    "-dsannotations", "*",
                    "-metatypeannotations", "*",
                    "-noimportjava", "true"));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot build fixture bundles in " + dir + ": " + e, e);
        }
        return dir;
    }

    public static Path unresolvable() {
        return SuiteBundles.itDir().resolve("fixtures").resolve(UNRESOLVABLE_BSN + ".jar");
    }

    public static Path config() {
        return SuiteBundles.itDir().resolve("fixtures").resolve(CONFIG_BSN + ".jar");
    }

    private static void build(Path out, List<String> instructions) throws Exception {
        try (Builder b = new Builder()) {
            for (int i = 0; i < instructions.size(); i += 2) {
                b.setProperty(instructions.get(i), instructions.get(i + 1));
            }
            b.addClasspath(new File(System.getProperty("biotwin.it.testClasses")));
            // Fixtures that import the API need its jar for bnd to compute the import version range.
            for (SuiteBundles.Entry e : SuiteBundles.suite()) {
                if (e.symbolicName().equals("org.biotwin.api")) {
                    b.addClasspath(e.path().toFile());
                }
            }
            Jar jar = b.build();
            if (!b.isOk()) {
                throw new IllegalStateException("bnd errors for " + out + ": " + b.getErrors());
            }
            jar.write(out.toFile());
        }
    }
}
