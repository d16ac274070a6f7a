package org.biotwin.it.karaf;

import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.biotwin.ebr.internal.signature.PasswordHasher;
import org.biotwin.it.SuiteBundles;
import org.biotwin.lifecycle.internal.ContentDigest;
import org.biotwin.lifecycle.testing.ModelReleases;
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
    /** The constant a tamperer changes in the 1.1.0 model class: mu_max 0.039 /h (one byte of the IEEE-754 value). */
    private static final double MU_MAX_11 = 0.039;

    private KarafModelSwapFixtures() {
    }

    static Option[] options() {
        try {
            Path dir = SuiteBundles.itDir().resolve("model-swap");
            Files.createDirectories(dir);
            Path rel10 = ModelReleases.release(modelJar("org.biotwin.models.cho"), "cho-1.0.0-pass.json", dir,
                    "cho-1.0.0.jar");
            Path rel11 = ModelReleases.release(modelJar("org.biotwin.models.cho-1.1"), "cho-1.1.0-pass.json", dir,
                    "cho-1.1.0.jar");
            // mu_max 0.039 /h of 1.1.0 changed in one byte after QA approved its digest
            Path tampered = ModelReleases.tamper(rel11, ModelReleases.CHO_MODEL_CLASS, MU_MAX_11,
                    Math.nextUp(MU_MAX_11), dir.resolve("cho-1.1.0-tampered.jar"));
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
}
