package org.biotwin.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Boots the real reference host (Felix 7 with the assembled bundle set) once for the class, then hot-deploys the
 * demonstration model, a broken bundle, and drives the Gogo command port. Every wait is bounded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostTest {

    private static final long WAIT_MS = 30_000; // the diagnostics report a problem after 10 s
    private static final String MODEL = "org.biotwin.api.model.KineticModel";

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;
    private Host host;
    private Path deploy;
    private int httpPort;

    @BeforeAll
    void startHost(@TempDir Path work) throws Exception {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(new TeeStream(originalOut, captured), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new TeeStream(originalErr, captured), true, StandardCharsets.UTF_8));
        deploy = work.resolve("deploy");
        httpPort = freePort();
        // The framework alone: no embedded servers, no reference deployment (ReferenceHostTest boots all of it).
        HostConfig config = new HostConfig(BundleSetTest.home().toAbsolutePath(), work.resolve("storage"), true,
                deploy, 100, "127.0.0.1", httpPort, 0, false, Map.of("biotwin.mqtt.embedded", "false",
                        "biotwin.historian.embedded", "false", HostConfig.DATA_DIR, work.resolve("run").toString()));
        host = new Host(config);
        host.start();
    }

    @AfterAll
    void stopHost() {
        if (host != null) {
            host.stop();
        }
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    @Test
    void everyBundleIsActiveAndJettyServesOnLoopback() throws Exception {
        for (Bundle b : context().getBundles()) {
            boolean fragment = (b.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
            assertThat(b.getState()).as(b.getSymbolicName())
                    .isEqualTo(fragment ? Bundle.RESOLVED : Bundle.ACTIVE);
        }
        assertThat(Files.isDirectory(deploy)).as("deploy folder created").isTrue();
        ServiceReference<?> runtime = context().getServiceReference("org.osgi.service.http.runtime.HttpServiceRuntime");
        assertThat(runtime).isNotNull();
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + httpPort + "/nothing-here").toURL()
                .openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(5000);
        assertThat(c.getResponseCode()).as("Jetty answers; nothing is registered at that path").isEqualTo(404);
        assertThat(log()).contains("BioTwin host up in").contains("bundles ACTIVE")
                .contains("Embedded server mqtt-broker is disabled by configuration")
                .contains("Embedded server questdb is disabled by configuration");
    }

    @Test
    void modelHotDeployAndUndeployTouchNoOtherBundle() throws Exception {
        ServiceTracker<Object, Object> models = new ServiceTracker<>(context(),
                FrameworkUtil.createFilter("(objectClass=" + MODEL + ")"), null);
        models.open(true);
        try {
            Map<Long, String> before = snapshot();
            Path jar;
            try (Stream<Path> s = Files.list(BundleSetTest.home().resolve("models"))) {
                jar = s.filter(p -> p.getFileName().toString().startsWith("org.biotwin.models.monod")).findFirst()
                        .orElseThrow();
            }
            Files.copy(jar, deploy.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            await(() -> models.size() == 1, "the model service to appear");
            ServiceReference<Object> ref = models.getServiceReference();
            assertThat(ref.getProperty("biotwin.model.id")).isEqualTo("monod.fedbatch");
            assertThat(ref.getProperty("biotwin.model.version")).isEqualTo("1.0.0");
            assertThat(ref.getBundle().getVersion().toString()).isEqualTo("1.0.0");
            long modelId = ref.getBundle().getBundleId();

            String lb = shell("lb monod");
            assertThat(lb).contains("Active").contains("BioTwin model: Monod fed-batch");
            assertThat(shell("inspect cap service " + modelId)).contains(MODEL).contains("monod.fedbatch");

            Map<Long, String> during = snapshot();
            during.remove(modelId);
            assertThat(during).as("no other bundle refreshed, restarted or updated by the deploy").isEqualTo(before);

            Files.delete(deploy.resolve(jar.getFileName()));
            await(() -> models.size() == 0 && context().getBundle(modelId) == null, "the model bundle to go");
            assertThat(snapshot()).as("no other bundle touched by the undeploy").isEqualTo(before);
            assertThat(log()).contains("Deploy: org.biotwin.models.monod 1.0.0").contains("uninstalled");
        } finally {
            models.close();
        }
    }

    @Test
    void bundleThatCannotResolveIsNamedWithWhatIsMissingAndTheHostKeepsRunning() throws Exception {
        Path broken = deploy.resolve("broken.jar");
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "test.broken");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Import-Package", "org.example.nowhere;version=\"[1.0,2)\"");
        try (OutputStream out = Files.newOutputStream(broken); JarOutputStream jar = new JarOutputStream(out, mf)) {
            jar.flush();
        }
        await(() -> log().contains("Bundle test.broken 1.0.0") && log().contains("org.example.nowhere"),
                "the diagnosis of test.broken");
        assertThat(log()).contains("cannot resolve. Missing: osgi.wiring.package")
                .contains("(osgi.wiring.package=org.example.nowhere)");
        assertThat(host.framework().getState()).isEqualTo(Bundle.ACTIVE);
        Files.delete(broken);
        await(() -> Stream.of(context().getBundles()).noneMatch(b -> "test.broken".equals(b.getSymbolicName())),
                "test.broken to be uninstalled");
    }

    @Test
    void unsatisfiedComponentsAreNamedWithTheMissingConfigurationOrReference() throws Exception {
        String needsConfig = "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"test.needs.config\""
                + " configuration-policy=\"require\"><implementation class=\"test.Strict\"/></scr:component>";
        String needsModel = "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"test.needs.model\">"
                + "<implementation class=\"test.NoSuchClass\"/><reference name=\"model\" interface=\"" + MODEL
                + "\" target=\"(biotwin.model.id=nowhere)\"/></scr:component>";
        Path jarFile = deploy.resolve("ds-test.jar");
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "test.ds");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Service-Component", "OSGI-INF/a.xml,OSGI-INF/b.xml");
        try (OutputStream out = Files.newOutputStream(jarFile); JarOutputStream jar = new JarOutputStream(out, mf)) {
            jar.putNextEntry(new java.util.jar.JarEntry("OSGI-INF/a.xml"));
            jar.write(needsConfig.getBytes(StandardCharsets.UTF_8));
            jar.putNextEntry(new java.util.jar.JarEntry("OSGI-INF/b.xml"));
            jar.write(needsModel.getBytes(StandardCharsets.UTF_8));
            jar.putNextEntry(new java.util.jar.JarEntry("test/Strict.class"));
            jar.write(compileStrictComponent());
        }
        try {
            await(() -> log().contains("Component test.needs.config (bundle test.ds) waits for its required"
                    + " configuration, PID test.needs.config"), "the missing configuration report");
            await(() -> log().contains("Component test.needs.model (bundle test.ds) is UNSATISFIED_REFERENCE:"
                    + " reference 'model' needs a service " + MODEL + " matching (biotwin.model.id=nowhere)"),
                    "the missing reference report");
            // A configuration arrives through the deploy folder and the component rejects it, as a DS component
            // of the suite does with an invalid configuration.
            Files.writeString(deploy.resolve("test.needs.config.cfg"), "x = 1\n");
            await(() -> log().contains("Component test.needs.config (bundle test.ds) FAILED to activate")
                    && log().contains("IllegalArgumentException: invalid configuration: x must be > 1, was 1"),
                    "the activation failure report");
            assertThat(host.framework().getState()).isEqualTo(Bundle.ACTIVE);
        } finally {
            Files.deleteIfExists(deploy.resolve("test.needs.config.cfg"));
            Files.deleteIfExists(jarFile);
            await(() -> Stream.of(context().getBundles()).noneMatch(b -> "test.ds".equals(b.getSymbolicName())),
                    "test.ds to be uninstalled");
        }
    }

    /** A component class whose constructor rejects its configuration, compiled with the JDK's compiler. */
    private static byte[] compileStrictComponent() throws IOException {
        Path src = Files.createTempDirectory("strict");
        Path file = Files.createDirectories(src.resolve("test")).resolve("Strict.java");
        Files.writeString(file, "package test; public class Strict { public Strict() {"
                + " throw new IllegalArgumentException(\"invalid configuration: x must be > 1, was 1\"); } }");
        int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17",
                file.toString());
        assertThat(rc).as("javac").isZero();
        return Files.readAllBytes(src.resolve("test/Strict.class"));
    }

    private BundleContext context() {
        return host.framework().getBundleContext();
    }

    /** Bundle id -> state and last-modified stamp, for every bundle. */
    private Map<Long, String> snapshot() {
        Map<Long, String> m = new TreeMap<>();
        for (Bundle b : context().getBundles()) {
            m.put(b.getBundleId(), b.getSymbolicName() + " state=" + b.getState() + " modified=" + b.getLastModified());
        }
        return m;
    }

    private String shell(String command) throws IOException {
        try (Socket s = new Socket("127.0.0.1", host.shellPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write((command + "\nquit\n").getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            try (InputStream in = s.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    private String log() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("Timed out after " + WAIT_MS + " ms waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Writes to the console and to a buffer the test reads. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final ByteArrayOutputStream b;

        TeeStream(OutputStream a, ByteArrayOutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            synchronized (b) {
                b.write(c);
            }
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            synchronized (b) {
                b.write(buf, off, len);
            }
        }
    }
}
