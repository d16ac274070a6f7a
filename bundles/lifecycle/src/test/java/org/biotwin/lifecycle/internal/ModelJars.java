package org.biotwin.lifecycle.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.biotwin.api.model.KineticModel;
import org.biotwin.api.model.ModelParameter;

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

    /**
     * The report fixture with {@code model.jarSha256} set to the jar's SHA-256 (the same value the tool wrote,
     * unless the model jar was rebuilt since the fixture was made: a pom edit changes its embedded pom.xml) and
     * {@code tool.timestamp} set to now (the validity period starts there; a fixture must not expire), written to
     * {@code dir}.
     */
    static Path report(String fixture, Path jar, Path dir) throws IOException {
        try (InputStream in = ModelJars.class.getResourceAsStream("/reports/" + fixture)) {
            ObjectNode doc = (ObjectNode) JSON.readTree(in);
            ((ObjectNode) doc.get("model")).put("jarSha256", ContentDigest.sha256Hex(Files.readAllBytes(jar)));
            ((ObjectNode) doc.get("tool")).put("timestamp", Instant.now().toString());
            Path out = dir.resolve(fixture);
            JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), doc);
            return out;
        }
    }

    /** A release: the model jar with its passed report embedded by {@link EvidenceTool}. */
    static Path release(Path jar, String fixture, Path dir, String name) throws Exception {
        Path out = dir.resolve(name);
        int rc = EvidenceTool.run(new String[] {"embed", "--jar", jar.toString(), "--report",
            report(fixture, jar, dir).toString(), "--out", out.toString()}, System.out, System.err);
        if (rc != 0) {
            throw new IllegalStateException("EvidenceTool exit " + rc);
        }
        return out;
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

    /**
     * A copy with one byte changed: the IEEE-754 constant {@code from} in the model class (a kinetic parameter,
     * for example mu_max) becomes {@code to}, as a tamperer would change a model; the class stays loadable.
     */
    static Path tamper(Path jar, double from, double to, Path out) throws IOException {
        byte[] f = ByteBuffer.allocate(8).putDouble(from).array();
        byte[] t = ByteBuffer.allocate(8).putDouble(to).array();
        int changed = 0;
        for (int i = 0; i < 8; i++) {
            changed += f[i] != t[i] ? 1 : 0;
        }
        if (changed != 1) {
            throw new IllegalArgumentException(from + " and " + to + " differ in " + changed + " bytes, not 1");
        }
        boolean done = false;
        try (JarFile in = new JarFile(jar.toFile(), false); OutputStream os = Files.newOutputStream(out);
                JarOutputStream jos = new JarOutputStream(os)) {
            for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements();) {
                JarEntry je = e.nextElement();
                JarEntry copy = new JarEntry(je.getName());
                copy.setTime(je.getTime());
                jos.putNextEntry(copy);
                byte[] b = je.isDirectory() ? new byte[0] : in.getInputStream(je).readAllBytes();
                if (je.getName().equals(MODEL_CLASS.replace('.', '/') + ".class")) {
                    int at = indexOf(b, f);
                    if (at < 0) {
                        throw new IllegalArgumentException(from + " is not a constant of " + MODEL_CLASS);
                    }
                    System.arraycopy(t, 0, b, at, 8);
                    done = true;
                }
                jos.write(b);
                jos.closeEntry();
            }
        }
        if (!done) {
            throw new IllegalArgumentException(jar + " has no " + MODEL_CLASS);
        }
        return out;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * A copy whose DS component sets {@code biotwin.model.approved=true} on its own service: a bundle that tries to
     * pass the twins' target filter around the gate.
     */
    static Path selfApproved(Path jar, Path out) throws IOException {
        String xml = "OSGI-INF/" + MODEL_CLASS + ".xml";
        boolean done = false;
        try (JarFile in = new JarFile(jar.toFile(), false); OutputStream os = Files.newOutputStream(out);
                JarOutputStream jos = new JarOutputStream(os)) {
            for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements();) {
                JarEntry je = e.nextElement();
                JarEntry copy = new JarEntry(je.getName());
                copy.setTime(je.getTime());
                jos.putNextEntry(copy);
                byte[] b = je.isDirectory() ? new byte[0] : in.getInputStream(je).readAllBytes();
                if (je.getName().equals(xml)) {
                    String s = new String(b, java.nio.charset.StandardCharsets.UTF_8);
                    b = s.replace("<service>", "<property name=\"biotwin.model.approved\" type=\"Boolean\""
                            + " value=\"true\"/>\n  <service>").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    done = true;
                }
                jos.write(b);
                jos.closeEntry();
            }
        }
        if (!done) {
            throw new IllegalArgumentException(jar + " has no " + xml);
        }
        return out;
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
