package org.biotwin.lifecycle.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.ModelParameter;
import org.biotwin.lifecycle.testing.ModelReleases;

/**
 * Real model bundle jars for the tests: the CHO model bundles as built (from the local repository), released with a
 * validation report that the real {@code validate} tool produced on them (src/test/resources/reports, regenerate
 * with the commands in the README), tampered copies, and the gate's view of a jar.
 */
final class ModelJars {

    static final String MODEL_CLASS = "org.biotwin.models.cho.internal.ChoMabFedBatchModel";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelJars() {
    }

    static Path cho10() {
        return existing(System.getProperty("lifecycle.choJar"));
    }

    static Path cho11() {
        return existing(System.getProperty("lifecycle.cho11Jar"));
    }

    private static Path existing(String p) {
        Path path = Path.of(p);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " is missing: build through Maven (the pom copies the model jars there)");
        }
        return path;
    }

    static Path report(String fixture, Path jar, Path dir) throws IOException {
        return ModelReleases.report(fixture, jar, dir);
    }

    static Path release(Path jar, String fixture, Path dir, String name) throws Exception {
        return ModelReleases.release(jar, fixture, dir, name);
    }

    /** A careless release: a FAILED report embedded without the tool's verdict check. */
    static Path releaseUnchecked(Path jar, String fixture, Path dir, String name) throws Exception {
        Path report = report(fixture, jar, dir);
        var doc = JSON.readTree(report.toFile());
        Path out = dir.resolve(name);
        EvidenceTool.write(jar, Files.readAllBytes(report), doc.path("model").path("id").asText(),
                doc.path("model").path("version").asText(), doc.path("verdict").asText(),
                Instant.parse(doc.path("tool").path("timestamp").asText()), Duration.ofDays(365), out);
        return out;
    }

    static Path tamper(Path jar, double from, double to, Path out) throws IOException {
        return ModelReleases.tamper(jar, MODEL_CLASS, from, to, out);
    }

    /**
     * A copy whose DS component sets {@code biotwin.model.approved=true} on its own service: a bundle that tries to
     * pass the twins' target filter around the gate.
     */
    static Path selfApproved(Path jar, Path out) throws IOException {
        return ModelReleases.rewrite(jar, "OSGI-INF/" + MODEL_CLASS + ".xml", b -> new String(b,
                java.nio.charset.StandardCharsets.UTF_8).replace("<service>", "<property name=\"biotwin.model.approved\""
                        + " type=\"Boolean\" value=\"true\"/>\n  <service>")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), out);
    }

    /** The model class of a jar, instantiated as DS would (public no-argument constructor). */
    static KineticModel load(Path jar) throws Exception {
        // Deliberately not closed: the test reads the model after this returns; the JVM ends soon after.
        URLClassLoader cl = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ModelJars.class.getClassLoader());
        return (KineticModel) cl.loadClass(MODEL_CLASS).getConstructor().newInstance();
    }

    /** The gate's view of a jar, as the gate builds it from an installed bundle and its model service. */
    static Candidate candidate(Path jar) throws Exception {
        KineticModel m = load(jar);
        Map<String, Double> nominal = new LinkedHashMap<>();
        double[] p = m.nominalParameters();
        int i = 0;
        for (ModelParameter mp : m.parameters()) {
            nominal.put(mp.name(), p[i++]);
        }
        byte[] report = null;
        byte[] descriptor = null;
        try (JarFile jf = new JarFile(jar.toFile(), false)) {
            JarEntry r = jf.getJarEntry("OSGI-INF/biotwin/validation-report.json");
            JarEntry d = jf.getJarEntry("OSGI-INF/biotwin/validation-evidence.properties");
            if (r != null) {
                report = jf.getInputStream(r).readAllBytes();
            }
            if (d != null) {
                descriptor = jf.getInputStream(d).readAllBytes();
            }
        }
        return new Candidate(m.descriptor().id(), m.descriptor().version(), 42, "org.biotwin.models.cho",
                ContentDigest.of(jar), ContentDigest.ofClasses(jar), descriptor, report, nominal, false);
    }
}
