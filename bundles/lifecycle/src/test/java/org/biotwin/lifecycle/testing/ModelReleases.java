package org.biotwin.lifecycle.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Enumeration;
import java.util.function.UnaryOperator;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.biotwin.lifecycle.internal.ContentDigest;
import org.biotwin.lifecycle.internal.EvidenceTool;

/**
 * Model releases for tests, shared through this module's test jar by the lifecycle's own tests and the Karaf
 * model-swap test: a model jar released with a validation report fixture (the real {@code validate} tool's output on
 * that jar, src/test/resources/reports) embedded by the {@link EvidenceTool}, and a tampered copy. Stateless.
 */
public final class ModelReleases {

    /** The class of the CHO model bundles (1.0.0 and 1.1.0). */
    public static final String CHO_MODEL_CLASS = "org.biotwin.models.cho.internal.ChoMabFedBatchModel";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelReleases() {
    }

    /**
     * The report fixture with {@code model.jarSha256} set to the jar's SHA-256 (the same value the tool wrote,
     * unless the model jar was rebuilt since the fixture was made: a pom edit changes its embedded pom.xml) and
     * {@code tool.timestamp} set to now (the validity period starts there; a fixture must not expire), written to
     * {@code dir}.
     */
    public static Path report(String fixture, Path jar, Path dir) throws IOException {
        try (InputStream in = ModelReleases.class.getResourceAsStream("/reports/" + fixture)) {
            ObjectNode doc = (ObjectNode) JSON.readTree(in);
            ((ObjectNode) doc.get("model")).put("jarSha256", ContentDigest.sha256Hex(Files.readAllBytes(jar)));
            ((ObjectNode) doc.get("tool")).put("timestamp", Instant.now().toString());
            Path out = dir.resolve(fixture);
            JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), doc);
            return out;
        }
    }

    /** A release: the model jar with its passed report embedded by {@link EvidenceTool}. */
    public static Path release(Path jar, String fixture, Path dir, String name) throws Exception {
        Path out = dir.resolve(name);
        int rc = EvidenceTool.run(new String[] {"embed", "--jar", jar.toString(), "--report",
            report(fixture, jar, dir).toString(), "--out", out.toString()}, System.out, System.err);
        if (rc != 0) {
            throw new IllegalStateException("EvidenceTool exit " + rc);
        }
        return out;
    }

    /**
     * A copy with one byte changed: the IEEE-754 constant {@code from} in {@code modelClass} (a kinetic parameter,
     * for example mu_max) becomes {@code to}, as a tamperer would change a model after QA approved it; every other
     * entry, the evidence included, is copied unchanged and the class stays loadable.
     */
    public static Path tamper(Path jar, String modelClass, double from, double to, Path out) throws IOException {
        byte[] f = ByteBuffer.allocate(8).putDouble(from).array();
        byte[] t = ByteBuffer.allocate(8).putDouble(to).array();
        int changed = 0;
        for (int i = 0; i < 8; i++) {
            changed += f[i] != t[i] ? 1 : 0;
        }
        if (changed != 1) {
            throw new IllegalArgumentException(from + " and " + to + " differ in " + changed + " bytes, not 1");
        }
        return rewrite(jar, modelClass.replace('.', '/') + ".class", b -> {
            int at = indexOf(b, f);
            if (at < 0) {
                throw new IllegalArgumentException(from + " is not a constant of " + modelClass);
            }
            System.arraycopy(t, 0, b, at, 8);
            return b;
        }, out);
    }

    /**
     * A copy of {@code jar} with one entry changed by {@code change}; every other entry is copied unchanged, with its
     * time stamp.
     *
     * @throws IllegalArgumentException if the jar has no such entry
     */
    public static Path rewrite(Path jar, String entry, UnaryOperator<byte[]> change, Path out) throws IOException {
        boolean done = false;
        try (JarFile in = new JarFile(jar.toFile(), false); OutputStream os = Files.newOutputStream(out);
                JarOutputStream jos = new JarOutputStream(os)) {
            for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements();) {
                JarEntry je = e.nextElement();
                JarEntry copy = new JarEntry(je.getName());
                copy.setTime(je.getTime());
                jos.putNextEntry(copy);
                byte[] b = je.isDirectory() ? new byte[0] : in.getInputStream(je).readAllBytes();
                if (je.getName().equals(entry)) {
                    b = change.apply(b);
                    done = true;
                }
                jos.write(b);
                jos.closeEntry();
            }
        }
        if (!done) {
            throw new IllegalArgumentException(jar + " has no " + entry);
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
}
