package org.biotwin.ebr.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.biotwin.api.audit.AuditEntry;
import org.biotwin.api.audit.AuditTrail;
import org.biotwin.api.audit.ElectronicSignature;
import org.biotwin.api.audit.SignatureMeaning;
import org.biotwin.api.audit.SignatureService;
import org.biotwin.api.batch.BatchContext;
import org.biotwin.api.batch.BatchRecord;
import org.biotwin.api.batch.BatchState;
import org.biotwin.api.messaging.MessageHandler;
import org.biotwin.ebr.internal.signature.PasswordHasher;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The bundle in a real Apache Felix 7 with Felix SCR and ConfigAdmin: its DS components register the services, the
 * MessageHandler carries its topic property, the Gogo command service its osgi.command properties, ConfigAdmin changes
 * are audited (secrets fingerprinted), a signing user configured through ConfigAdmin can sign, and the batch record
 * survives a framework restart (the trail lives in the bundle's data area).
 */
class EbrOsgiIT {

    /** The API bundle's own Export-Package (from its jar or, in a reactor build, its target/classes). */
    static String apiExports() throws Exception {
        Path where = Path.of(BatchRecord.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        java.util.jar.Manifest mf;
        if (Files.isDirectory(where)) {
            try (var in = Files.newInputStream(where.resolve("META-INF/MANIFEST.MF"))) {
                mf = new java.util.jar.Manifest(in);
            }
        } else {
            try (var jar = new java.util.jar.JarFile(where.toFile())) {
                mf = jar.getManifest();
            }
        }
        String exports = mf.getMainAttributes().getValue("Export-Package");
        assertThat(exports).as("Export-Package of " + where).isNotNull();
        return exports;
    }

    private Framework start(Path storage, boolean clean) throws Exception {
        Map<String, String> cfg = new HashMap<>();
        cfg.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        if (clean) {
            cfg.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        }
        // The test shares the API classes with the framework, so that it can call the services directly.
        cfg.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, apiExports() + ",org.osgi.service.cm;version=1.6.0");
        Framework fw = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(cfg);
        fw.start();
        BundleContext ctx = fw.getBundleContext();
        if (clean) {
            List<Bundle> bundles = new ArrayList<>();
            try (Stream<Path> s = Files.list(Path.of(System.getProperty("it.bundles")))) {
                for (Path p : s.sorted().toList()) {
                    bundles.add(ctx.installBundle(p.toUri().toString()));
                }
            }
            bundles.add(ctx.installBundle(new File(System.getProperty("ebr.bundle")).toURI().toString()));
            for (Bundle b : bundles) {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    b.start();
                }
            }
        }
        return fw;
    }

    private static <T> T service(BundleContext ctx, Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> t = new ServiceTracker<>(ctx, type, null);
        t.open();
        T s = t.waitForService(15_000);
        assertThat(s).as("service %s", type.getName()).isNotNull();
        return s;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting for " + what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void servicesWorkInFelixAndTheRecordSurvivesARestart() throws Exception {
        Path work = Path.of(System.getProperty("it.work"));
        if (Files.exists(work)) {
            try (Stream<Path> s = Files.walk(work)) {
                s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
        Path storage = work.resolve("felix");
        Framework fw = start(storage, true);
        try {
            BundleContext ctx = fw.getBundleContext();
            AuditTrail trail = service(ctx, AuditTrail.class);
            BatchRecord record = service(ctx, BatchRecord.class);
            MessageHandler handler = service(ctx, MessageHandler.class);
            service(ctx, SignatureService.class);

            ServiceReference<MessageHandler> mh = ctx.getServiceReference(MessageHandler.class);
            assertThat(toList(mh.getProperty(MessageHandler.TOPICS))).containsExactly("mes/+/batch/+");
            await(() -> commands(ctx) != null, "the Gogo command service");
            ServiceReference<?>[] cmds = commands(ctx);
            assertThat(cmds).hasSize(1);
            assertThat(toList(cmds[0].getProperty("osgi.command.function"))).contains("verify", "export",
                    "batches");

            // The MES drives a batch over the MQTT whiteboard.
            handler.onMessage("mes/BR-101/batch/create", ("{\"eventId\":\"e1\",\"batchId\":\"B-IT-1\",\"actor\":"
                    + "\"system:mes\",\"time\":\"2026-03-01T08:00:00Z\",\"product\":\"mAb-X\",\"recipeId\":\"R\","
                    + "\"recipeVersion\":\"1\"}").getBytes(StandardCharsets.UTF_8));
            handler.onMessage("mes/BR-101/batch/start", ("{\"eventId\":\"e2\",\"batchId\":\"B-IT-1\",\"actor\":"
                    + "\"jdoe\",\"time\":\"2026-03-01T09:00:00Z\"}").getBytes(StandardCharsets.UTF_8));
            record.enterPhase("jdoe", "B-IT-1", "FED_BATCH", Instant.parse("2026-03-04T09:00:00Z"));
            assertThat(record.contextAt("BR-101", Instant.parse("2026-03-05T00:00:00Z")).orElseThrow().phase())
                    .isEqualTo("FED_BATCH");

            // A signing user configured through ConfigAdmin; the change is audited with the hash fingerprinted.
            ConfigurationAdmin ca = service(ctx, ConfigurationAdmin.class);
            String hash = PasswordHasher.hash("qa1-secret".toCharArray(), 210_000);
            Configuration c = ca.getConfiguration("org.biotwin.ebr.signatures", "?");
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("users", new String[] {"qa1|Quentin QA|qa|" + hash});
            c.update(props);
            await(() -> !trail.entriesFor("configuration", "org.biotwin.ebr.signatures").isEmpty(),
                    "the configuration change in the audit trail");
            AuditEntry change = trail.entriesFor("configuration", "org.biotwin.ebr.signatures").get(0);
            assertThat(change.event().newValue()).contains("qa1|Quentin QA|qa|<secret sha256:")
                    .doesNotContain(hash);
            ElectronicSignature[] sig = new ElectronicSignature[1];
            await(() -> {
                try {
                    SignatureService s = service(ctx, SignatureService.class);
                    sig[0] = s.sign("qa1", "qa1-secret".toCharArray(), SignatureMeaning.REVIEWED, "batch",
                            "B-IT-1", "a".repeat(64), "in-process review");
                    return true;
                } catch (SecurityException | InterruptedException e) {
                    return false; // the component is still being re-activated with the new users
                }
            }, "a signature by the configured user");
            assertThat(sig[0].printedName()).isEqualTo("Quentin QA");

            // Gogo commands, called as Gogo calls them (reflection on the command service).
            // Fetched again: the command component was re-created when the signature service was re-configured.
            await(() -> commands(ctx) != null && ctx.getService(commands(ctx)[0]) != null, "the command service");
            Object commands = ctx.getService(commands(ctx)[0]);
            assertThat(call(commands, "batches")).contains("B-IT-1").contains("FED_BATCH");
            assertThat(call(commands, "verify")).contains("VALID");
            Path out = work.resolve("export");
            assertThat(call(commands, "export", "B-IT-1", out.toString())).contains("B-IT-1.json");
            assertThat(call(commands, "verify", out.resolve("B-IT-1.json").toString())).contains(": VALID");
        } finally {
            fw.stop();
            fw.waitForStop(10_000);
        }

        // Restart the same framework storage: the batch record is rebuilt from the durable trail.
        Framework again = start(storage, false);
        try {
            BundleContext ctx = again.getBundleContext();
            BatchRecord record = service(ctx, BatchRecord.class);
            BatchContext b = record.batch("B-IT-1").orElseThrow();
            assertThat(b.state()).isEqualTo(BatchState.RUNNING);
            assertThat(b.phase()).isEqualTo("FED_BATCH");
            AuditTrail trail = service(ctx, AuditTrail.class);
            assertThat(trail.verify().valid()).isTrue();
            // The configuration auditor reconciles at start: an unchanged configuration is not audited again.
            // Its reconciliation runs in its constructor, before its listener service is registered.
            await(() -> {
                try {
                    var refs = ctx.getServiceReferences(org.osgi.service.cm.ConfigurationListener.class, null);
                    return refs.stream().anyMatch(r -> "org.biotwin.ebr".equals(r.getBundle().getSymbolicName()));
                } catch (org.osgi.framework.InvalidSyntaxException e) {
                    throw new IllegalArgumentException(e);
                }
            }, "the configuration auditor");
            assertThat(trail.entriesFor("configuration", "org.biotwin.ebr.signatures")).hasSize(1);
        } finally {
            again.stop();
            again.waitForStop(10_000);
        }
    }

    private static ServiceReference<?>[] commands(BundleContext ctx) {
        try {
            // All references: the test class path also holds the bundle's classes, which the class-space check would reject.
            return ctx.getAllServiceReferences(null, "(osgi.command.scope=ebr)");
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String call(Object target, String name, Object... args) throws Exception {
        for (Method m : target.getClass().getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == args.length) {
                return String.valueOf(m.invoke(target, args));
            }
        }
        throw new AssertionError("no command " + name + "/" + args.length);
    }

    private static List<String> toList(Object v) {
        return v instanceof String[] a ? List.of(a) : List.of(String.valueOf(v));
    }
}
