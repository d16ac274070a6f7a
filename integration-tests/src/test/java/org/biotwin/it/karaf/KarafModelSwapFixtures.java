package org.biotwin.it.karaf;

import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.biotwin.ebr.internal.signature.PasswordHasher;
import org.biotwin.it.SuiteBundles;
import org.biotwin.lifecycle.internal.EvidenceTool;
import org.ops4j.pax.exam.Option;

/**
 * Driver side of {@link KarafModelSwapTest}: the CHO model releases 1.0.0 and 1.1.0 as the lifecycle's
 * {@code validated} profile produces them (the model jars as installed in the local repository, with the validation
 * report of the real {@code validate} tool embedded by the real {@code EvidenceTool}), and the ebr user base (PBKDF2
 * hashes by ebr's own {@code PasswordHasher}), written under {@code target/it/model-swap/} and handed to the probe as
 * system properties. Runs in the Surefire JVM only (names suite internals the probe cannot see).
 * <p>
 * The reports are the lifecycle module's fixtures ({@code bundles/lifecycle/src/test/resources/reports}, produced by
 * the model CLI on these jars; see the lifecycle README), with {@code model.jarSha256} set to the jar at hand and the
 * time stamp set to now, exactly as the lifecycle's own tests do.
 */
final class KarafModelSwapFixtures {

    static final String JAR_10 = "biotwin.it.swap.cho10";
    static final String JAR_11 = "biotwin.it.swap.cho11";
    static final String USERS = "biotwin.it.swap.users";
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
            // 210,000 PBKDF2 iterations as in the lifecycle IT: each signature costs about 0.2 s here.
            List<String> users = List.of(
                    "qa1|Quentin QA|qa|" + PasswordHasher.hash("qa1-secret".toCharArray(), 210_000),
                    "qa2|Qiana QA|qa|" + PasswordHasher.hash("qa2-secret".toCharArray(), 210_000),
                    "op1|Otto Operator|operator|" + PasswordHasher.hash("op1-secret".toCharArray(), 210_000));
            // A file, not a property value: the hashes hold '$' and Karaf interpolates system property values.
            Path usersFile = dir.resolve("users.txt");
            Files.write(usersFile, users, StandardCharsets.UTF_8);
            return new Option[] {
                systemProperty(JAR_10).value(rel10.toString()),
                systemProperty(JAR_11).value(rel11.toString()),
                systemProperty(USERS).value(usersFile.toString())};
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
}
