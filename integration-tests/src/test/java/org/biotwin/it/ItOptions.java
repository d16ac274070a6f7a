package org.biotwin.it;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.ops4j.pax.exam.Option;

/**
 * The one framework configuration shared by the Felix and Equinox tests (driver side only).
 * <p>
 * Which framework boots is decided by the classpath: the {@code felix} and {@code equinox} Surefire executions each
 * put exactly one {@code FrameworkFactory} on it, so every test class here runs once per framework with the same
 * options.
 * <p>
 * Bundles come from the lists that Maven writes at build time ({@link SuiteBundles}): the runtime (SCR, ConfigAdmin,
 * Metatype, FileInstall, ...) and the suite's freshly built jars, installed by {@code reference:} so that the jar
 * under test is the one in {@code target/}, never a stale copy from the local repository.
 */
public final class ItOptions {

    /** FileInstall's poll interval, ms. Short, so that hot-deploy tests wait little. */
    public static final long POLL_MS = 250;

    private ItOptions() {
    }

    /**
     * The framework with the runtime and the suite bundles that pass {@code include}, plus a fresh FileInstall
     * {@code deploy/} directory for this test class.
     *
     * @param testName names the working and deploy directories, so test classes never share state
     */
    public static Option suite(String testName, Predicate<SuiteBundles.Entry> include) {
        Path work = SuiteBundles.itDir().resolve("work").resolve(SuiteBundles.framework() + "-" + testName);
        Path deploy = work.resolve("deploy");
        try {
            deleteRecursively(work);
            Files.createDirectories(deploy);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot prepare " + work + ": " + e, e);
        }
        List<Option> options = new ArrayList<>();
        options.add(workingDirectory(work.resolve("framework").toString()));
        options.add(cleanCaches(true));
        options.add(junitBundles());
        // Pax Exam's own mvn: URLs resolve from ~/.m2 only once it is filled: no fallback repositories.
        options.add(systemProperty("org.ops4j.pax.url.mvn.useFallbackRepositories").value("false"));
        options.add(frameworkProperty("felix.fileinstall.dir").value(deploy.toString()));
        options.add(frameworkProperty("felix.fileinstall.poll").value(Long.toString(POLL_MS)));
        options.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
        options.add(frameworkProperty("felix.fileinstall.log.level").value("4"));
        // The bundle set's Gogo shell must not read stdin (Surefire talks to the forked JVM through it).
        options.add(frameworkProperty("gosh.args").value("--nointeractive"));
        // The bundle set's Jetty: loopback only, on a free port, so tests never collide with a running host.
        options.add(frameworkProperty("org.apache.felix.http.host").value("127.0.0.1"));
        options.add(frameworkProperty("org.osgi.service.http.port").value("0"));
        // Equinox: echo framework log entries (resolution errors) to the console as well as to its log file.
        options.add(frameworkProperty("eclipse.consoleLog").value("true"));
        for (SuiteBundles.Entry e : SuiteBundles.runtime()) {
            options.add(bundle(e.uri()).start(!e.fragment()));
        }
        for (SuiteBundles.Entry e : SuiteBundles.suite()) {
            if (include.test(e)) {
                options.add(bundle(e.uri()).start(!e.fragment()));
            }
        }
        return composite(options.toArray(Option[]::new));
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
