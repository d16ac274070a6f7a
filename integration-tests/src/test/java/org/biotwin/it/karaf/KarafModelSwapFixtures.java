package org.biotwin.it.karaf;

import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.biotwin.ebr.internal.signature.PasswordHasher;
import org.biotwin.it.SuiteBundles;
import org.biotwin.lifecycle.internal.ContentDigest;
import org.biotwin.lifecycle.internal.EvidenceTool;
import org.ops4j.pax.exam.Option;

/**
 * Driver side of {@link KarafModelSwapTest}: the CHO model releases 1.0.0 and 1.1.0 as the lifecycle's
 * {@code validated} profile produces them (the model jars as installed in the local repository, with the validation
 * report of the real {@code validate} tool embedded by the real {@code EvidenceTool}), a copy of 1.1.0 with one byte
 * of its model class changed after approval, the content digest of 1.1.0 computed offline by the lifecycle's own
 * {@code ContentDigest} (what QA signs before the jar is deployed), and the ebr user base (PBKDF2 hashes by ebr's own
 * {@code PasswordHasher}; {@code qa9} is a QA user the gate does not trust), written under
 * {@code target/it/model-swap/} and handed to the probe as system properties. Runs in the Surefire JVM only (names
 * suite internals the probe cannot see).
 * <p>
 * The reports are the lifecycle module's fixtures ({@code bundles/lifecycle/src/test/resources/reports}, produced by
 * the model CLI on these jars; see the lifecycle README), with {@code model.jarSha256} set to the jar at hand and the
 * time stamp set to now, exactly as the lifecycle's own tests do.
 */
final class KarafModelSwapFixtures {

    static final String JAR_10 = "biotwin.it.swap.cho10";
    static final String JAR_11 = "biotwin.it.swap.cho11";
    static final String USERS = "biotwin.it.swap.users";
    /** 1.1.0 with one byte of its model class changed after QA approved its digest. */
    static final String JAR_11_TAMPERED = "biotwin.it.swap.cho11tampered";
    /** The content digest of the 1.1.0 release, computed here (offline) as QA would before signing it. */
    static final String DIGEST_11 = "biotwin.it.swap.digest11";
    /** Load period, ms (4 twins x 2 samples per tick: 8 ms = 1,000 samples/s); {@code -Dbiotwin.it.swap.tickMs}. */
    static final String TICK_MS = "biotwin.it.swap.tickMs";
    /** The 1.1.0 model class and the constant a tamperer changes: mu_max 0.039 /h (one byte of the IEEE-754 value). */
    private static final String MODEL_CLASS = "org/biotwin/models/cho/internal/ChoMabFedBatchModel.class";
    private static final double MU_MAX_11 = 0.039;
    private static final ObjectMapper JSON = new ObjectMapper();

    private KarafModelSwapFixtures() {
    }

    static Option[] options() {
        try {
            Path dir = SuiteBundles.itDir().resolve("model-swap");
            Files.createDirectories(dir);
            Path rel10 = release(modelJar("org.biotwin.models.cho"), "cho-1.0.0-pass.json", dir, "cho-1.0.0.jar");
            Path rel11 = release(modelJar("org.biotwin.models.cho-1.1"), "cho-1.1.0-pass.json", dir,
                    "cho-1.1.0.jar");
            Path tampered = tamper(rel11, MU_MAX_11, Math.nextUp(MU_MAX_11), dir.resolve("cho-1.1.0-tampered.jar"));
            // 210,000 PBKDF2 iterations as in the lifecycle IT: each signature costs about 0.2 s here.
            List<String> users = List.of(
                    "qa1|Quentin QA|qa|" + PasswordHasher.hash("qa1-secret".toCharArray(), 210_000),
                    "qa2|Qiana QA|qa|" + PasswordHasher.hash("qa2-secret".toCharArray(), 210_000),
                    "op1|Otto Operator|operator|" + PasswordHasher.hash("op1-secret".toCharArray(), 210_000),
                    // a QA person of the batch record whom the gate's trust configuration does not list
                    "qa9|Quincy Contractor|qa|" + PasswordHasher.hash("qa9-secret".toCharArray(), 210_000));
            // A file, not a property value: the hashes hold '$' and Karaf interpolates system property values.
            Path usersFile = dir.resolve("users.txt");
            Files.write(usersFile, users, StandardCharsets.UTF_8);
            return new Option[] {
                systemProperty(JAR_10).value(rel10.toString()),
                systemProperty(JAR_11).value(rel11.toString()),
                systemProperty(USERS).value(usersFile.toString()),
                systemProperty(JAR_11_TAMPERED).value(tampered.toString()),
                systemProperty(DIGEST_11).value(ContentDigest.of(rel11)),
                systemProperty(TICK_MS).value(Long.toString(Long.getLong(TICK_MS, 8)))};
        } catch (Exception e) {
            throw new IllegalStateException("Cannot prepare the CHO model releases for the Karaf swap test: " + e, e);
        }
    }

    /**
     * The model jar of this build: from the test class path (the reactor's freshly packaged jar in a full build, a
     * test-scoped dependency of this module), else from the local repository.
     */
    private static Path modelJar(String artifactId) {
        String version = System.getProperty("biotwin.it.version");
        String name = artifactId + "-" + version + ".jar";
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path", ""));
        for (String entry : cp.split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (p.getFileName() != null && p.getFileName().toString().equals(name) && Files.isRegularFile(p)) {
                return p;
            }
        }
        Path jar = Path.of(System.getProperty("org.ops4j.pax.url.mvn.localRepository"), "org", "biotwin", artifactId,
                version, name);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + " is neither on the test class path nor in the local repository:"
                    + " build the reactor with 'mvn verify' from the root (or install bundles/models.cho and"
                    + " bundles/models.cho-1.1)");
        }
        return jar;
    }

    private static Path release(Path jar, String fixture, Path dir, String name) throws Exception {
        Path fixtures = Path.of(System.getProperty("basedir", "."), "..", "bundles", "lifecycle", "src", "test",
                "resources", "reports", fixture);
        if (!Files.isRegularFile(fixtures)) {
            throw new IllegalStateException("validation report fixture " + fixtures + " is missing");
        }
        ObjectNode doc = (ObjectNode) JSON.readTree(fixtures.toFile());
        ((ObjectNode) doc.get("model")).put("jarSha256",
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jar))));
        ((ObjectNode) doc.get("tool")).put("timestamp", Instant.now().toString());
        Path report = dir.resolve(fixture);
        JSON.writerWithDefaultPrettyPrinter().writeValue(report.toFile(), doc);
        Path out = dir.resolve(name);
        Files.deleteIfExists(out);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(log, true, StandardCharsets.UTF_8);
        int rc = EvidenceTool.run(new String[] {"embed", "--jar", jar.toString(), "--report", report.toString(),
            "--out", out.toString()}, ps, ps);
        if (rc != 0) {
            throw new IllegalStateException("EvidenceTool exit " + rc + " for " + jar + ": " + log);
        }
        return out;
    }

    /**
     * A copy of a release with one byte changed, as a tamperer would change a model after QA approved it: the
     * IEEE-754 constant {@code from} in the model class becomes {@code to} (they must differ in one byte); every
     * other entry, the evidence included, is copied unchanged. The lifecycle's own tests do the same with their
     * package-private {@code ModelJars.tamper} (bundles/lifecycle test sources, not published as a test jar).
     */
    static Path tamper(Path jar, double from, double to, Path out) throws Exception {
        byte[] f = ByteBuffer.allocate(8).putDouble(from).array();
        byte[] t = ByteBuffer.allocate(8).putDouble(to).array();
        int differing = 0;
        for (int i = 0; i < 8; i++) {
            differing += f[i] != t[i] ? 1 : 0;
        }
        if (differing != 1) {
            throw new IllegalArgumentException(from + " and " + to + " differ in " + differing + " bytes, not 1");
        }
        boolean changed = false;
        try (JarFile in = new JarFile(jar.toFile(), false); OutputStream os = Files.newOutputStream(out);
                JarOutputStream jos = new JarOutputStream(os)) {
            for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements();) {
                JarEntry je = e.nextElement();
                JarEntry copy = new JarEntry(je.getName());
                copy.setTime(je.getTime());
                jos.putNextEntry(copy);
                byte[] b = je.isDirectory() ? new byte[0] : in.getInputStream(je).readAllBytes();
                if (je.getName().equals(MODEL_CLASS)) {
                    int at = indexOf(b, f);
                    if (at < 0) {
                        throw new IllegalStateException(from + " is not a constant of " + MODEL_CLASS + " in " + jar);
                    }
                    System.arraycopy(t, 0, b, at, 8);
                    changed = true;
                }
                jos.write(b);
                jos.closeEntry();
            }
        }
        if (!changed) {
            throw new IllegalStateException(jar + " has no " + MODEL_CLASS);
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
