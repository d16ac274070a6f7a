package org.biotwin.historian.influxdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The packaged bundle in a real Apache Felix 7.0.5 with SCR 2.2.12 and ConfigAdmin 1.9.26: it resolves with its
 * embedded influxdb-client-java, exports nothing, becomes a {@code Historian} and {@code SampleListener} once
 * configured through ConfigAdmin, and writes to (and reads back from) a real QuestDB outside the framework. The test
 * talks to the framework's classes by reflection, because its own class path holds other copies of them.
 */
class FelixBundleIT {

    @TempDir
    static Path dir;
    static QuestDb questdb;
    static Framework framework;
    static final List<Bundle> bundles = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        questdb = QuestDb.start(dir.resolve("questdb"), 0, 0);
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).iterator().next();
        framework = factory.newFramework(Map.of(Constants.FRAMEWORK_STORAGE, dir.resolve("felix").toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        framework.init();
        BundleContext ctx = framework.getBundleContext();
        // Framework extension: installed before the framework starts.
        ctx.installBundle("reference:" + onClassPath("org.apache.aries.spifly").toURI());
        framework.start();
        for (String artifact : List.of("org.osgi.util.function", "org.osgi.util.promise",
                "org.osgi.service.component-", "org.apache.felix.scr", "org.apache.felix.configadmin", "slf4j-api", "slf4j-simple",
                "postgresql", "org.biotwin.api")) {
            bundles.add(ctx.installBundle("reference:" + onClassPath(artifact).toURI()));
        }
        bundles.add(ctx.installBundle("reference:" + new File(System.getProperty("historian.bundle")).toURI()));
        for (Bundle b : bundles) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (framework != null) {
            framework.stop();
            framework.waitForStop(20_000);
        }
        if (questdb != null) {
            questdb.close();
        }
    }

    private static File onClassPath(String artifactPrefix) {
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            File f = new File(e);
            if (f.getName().startsWith(artifactPrefix) && f.getName().endsWith(".jar")) {
                return f;
            }
        }
        throw new IllegalStateException(artifactPrefix + " not on the test class path");
    }

    private static Bundle historianBundle() {
        return bundles.get(bundles.size() - 1);
    }

    @Test
    void theBundleResolvesWithItsEmbeddedClientAndExportsNothing() {
        for (Bundle b : bundles) {
            assertThat(b.getState()).as(b.getSymbolicName())
                    .isEqualTo(b.getHeaders().get(Constants.FRAGMENT_HOST) == null ? Bundle.ACTIVE : Bundle.RESOLVED);
        }
        BundleWiring wiring = historianBundle().adapt(BundleWiring.class);
        assertThat(wiring.getCapabilities("osgi.wiring.package")).isEmpty();
        // Wired to the framework for the JRE only, never to an outside copy of okhttp, kotlin or the client.
        assertThat(wiring.getRequiredWires("osgi.wiring.package")).allSatisfy(w -> assertThat(
                w.getCapability().getAttributes().get("osgi.wiring.package").toString())
                .doesNotStartWith("okhttp3").doesNotStartWith("kotlin").doesNotStartWith("com.influxdb"));
    }

    private static ServiceReference<?>[] refs(BundleContext ctx, String type) {
        try {
            return ctx.getAllServiceReferences(type, null);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void configuredThroughConfigAdminItWritesToQuestDbAndReadsBack() throws Exception {
        BundleContext ctx = framework.getBundleContext();
        Bundle api = bundles.get(bundles.size() - 2);
        Class<?> caType = bundles.get(4).loadClass("org.osgi.service.cm.ConfigurationAdmin");
        // getAllServiceReferences: the system bundle's context would filter by class-space assignability.
        QuestDbHistorianTest.await("ConfigurationAdmin", Duration.ofSeconds(20), () -> refs(ctx, caType.getName()) != null);
        ServiceReference<?> caRef = refs(ctx, caType.getName())[0];
        Object ca = ctx.getService(caRef);
        Object configuration = caType.getMethod("getConfiguration", String.class, String.class).invoke(ca,
                HistorianConfiguration.PID, "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("url", questdb.url());
        props.put("site", "OSGI");
        props.put("bufferDirectory", dir.resolve("buffer").toString());
        props.put("pgPort", questdb.pgPort);
        props.put("flushIntervalMs", 5);
        configuration.getClass().getMethod("update", java.util.Dictionary.class).invoke(configuration, props);

        String historianType = "org.biotwin.api.historian.Historian";
        QuestDbHistorianTest.await("Historian service", Duration.ofSeconds(20),
                () -> refs(ctx, historianType) != null);
        assertThat(refs(ctx, "org.biotwin.api.sample.SampleListener")).hasSize(1);
        Object historian = ctx.getService(refs(ctx, historianType)[0]);

        Class<?> sampleType = api.loadClass("org.biotwin.api.sample.Sample");
        Method of = sampleType.getMethod("of", String.class, String.class, Instant.class, double.class, String.class);
        Instant t0 = Instant.parse("2026-07-01T00:00:00Z");
        List<Object> samples = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            samples.add(of.invoke(null, "BR-9", "DO", t0.plusSeconds(i), 30.0 + i, "%"));
        }
        Class<?> historianApi = api.loadClass(historianType);
        historianApi.getMethod("writeSamples", java.util.Collection.class).invoke(historian, samples);
        Method status = historianApi.getMethod("status");
        QuestDbHistorianTest.await("forwarded", Duration.ofSeconds(20), () -> {
            try {
                Object s = status.invoke(historian);
                return (long) s.getClass().getMethod("forwardedPoints").invoke(s) == 3L;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        });
        questdb.awaitApplied(LineProtocol.SAMPLE_MEASUREMENT);
        List<?> series = (List<?>) historianApi.getMethod("read", String.class, java.util.Collection.class,
                Instant.class, Instant.class).invoke(historian, "BR-9", List.of("DO"), t0, t0.plusSeconds(10));
        assertThat(series).hasSize(1);
        Object one = series.get(0);
        assertThat((int) one.getClass().getMethod("size").invoke(one)).isEqualTo(3);
        assertThat((double[]) one.getClass().getMethod("values").invoke(one)).containsExactly(30, 31, 32);
    }
}
