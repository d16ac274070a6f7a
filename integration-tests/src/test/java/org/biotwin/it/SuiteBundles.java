package org.biotwin.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The bundle lists that Maven writes to {@code target/it/} at build time from this module's dependencies: the
 * single place where a new suite bundle (or runtime bundle) is added is {@code integration-tests/pom.xml}.
 * <p>
 * Usable on both sides: in the test driver and inside the framework (the probe reads the same files).
 */
public final class SuiteBundles {

    /** One bundle to install: where it is, its symbolic name, and whether it is a fragment. */
    public record Entry(Path path, String symbolicName, String version, boolean fragment) {
        /** A {@code reference:} URI: the framework reads the jar (or exploded directory) in place. */
        public String uri() {
            return "reference:" + path.toUri();
        }

        public boolean isModel() {
            return symbolicName.startsWith("org.biotwin.models.");
        }
    }

    private SuiteBundles() {
    }

    /** The framework this JVM runs: {@code felix} or {@code equinox}, set by the Surefire execution. */
    public static String framework() {
        return require("biotwin.it.framework");
    }

    public static Path itDir() {
        return Path.of(require("biotwin.it.dir"));
    }

    /** Third-party runtime bundles, in pom order. */
    public static List<Entry> runtime() {
        return read("runtime-bundles.txt");
    }

    /** The suite's own bundles, in pom order. */
    public static List<Entry> suite() {
        return read("suite-bundles.txt");
    }

    private static List<Entry> read(String name) {
        Path list = itDir().resolve(name);
        try {
            List<Entry> entries = new ArrayList<>();
            // maven-dependency-plugin's build-classpath format: one line, paths separated by the path separator.
            for (String item : Files.readString(list).trim().split(java.io.File.pathSeparator)) {
                if (!item.isBlank()) {
                    entries.add(entry(Path.of(item.trim())));
                }
            }
            if (entries.isEmpty()) {
                throw new IllegalStateException(list + " lists no bundle: run the build through Maven");
            }
            return List.copyOf(entries);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read bundle list " + list + " (written by the Maven build)", e);
        }
    }

    private static Entry entry(Path path) throws IOException {
        Manifest mf;
        if (Files.isDirectory(path)) {
            // In a reactor run that stops before 'package', Maven hands over target/classes; bnd wrote the manifest.
            try (var in = Files.newInputStream(path.resolve("META-INF/MANIFEST.MF"))) {
                mf = new Manifest(in);
            }
        } else {
            try (JarFile jar = new JarFile(path.toFile())) {
                mf = jar.getManifest();
            }
        }
        Attributes a = mf == null ? null : mf.getMainAttributes();
        String bsn = a == null ? null : a.getValue("Bundle-SymbolicName");
        if (bsn == null) {
            throw new IllegalStateException(path + " is not an OSGi bundle (no Bundle-SymbolicName)");
        }
        return new Entry(path, bsn.split(";")[0].trim(), a.getValue("Bundle-Version"),
                a.getValue("Fragment-Host") != null);
    }

    private static String require(String key) {
        String v = System.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("System property " + key + " is not set: run through Maven (Surefire)");
        }
        return v;
    }
}
