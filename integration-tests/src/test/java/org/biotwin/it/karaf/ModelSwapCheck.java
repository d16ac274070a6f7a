package org.biotwin.it.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.biotwin.api.audit.AuditEntry;
import org.biotwin.api.audit.AuditTrail;
import org.biotwin.api.audit.SignatureMeaning;
import org.biotwin.api.audit.SignatureService;
import org.biotwin.api.lifecycle.GateStatus;
import org.biotwin.api.lifecycle.ModelLifecycle;
import org.biotwin.api.lifecycle.ModelStatus;
import org.biotwin.api.lifecycle.SwapRecord;
import org.biotwin.api.sample.Sample;
import org.biotwin.api.sample.SampleListener;
import org.biotwin.api.twin.Twin;
import org.biotwin.api.twin.TwinState;
import org.biotwin.it.FrameworkChecks;
import org.biotwin.it.FrameworkChecks.BundleStamp;
import org.biotwin.it.HotDeployCheck;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleListener;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * In-Karaf part of {@link KarafModelSwapTest} (loaded only after feature {@code biotwin} is installed, since it names
 * API types): configures ebr, the lifecycle gate and two twins through ConfigAdmin, hot-deploys the CHO 1.0.0 release
 * through Karaf's {@code deploy/} folder, approves it (two people), feeds samples, deploys 1.1.0 (quarantined while
 * unsigned, twins stay on 1.0.0), approves it and activates it on one unit under load, then checks counts,
 * continuity, the audit entry and that no other bundle saw an event or changed.
 */
final class ModelSwapCheck {

    static final String MODEL = "cho.mab.fedbatch";
    static final String CHO_BSN = "org.biotwin.models.cho";
    static final List<String> UNITS = List.of("BR-201", "BR-202");
    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    /** Tick period of the load, ms: 2 twins x 2 samples every 10 ms = 400 samples/s; 1 s of plant time per tick. */
    static final long TICK_MS = 10;

    private ModelSwapCheck() {
    }

    /** Feeds OUR and weight into each twin's SampleListener every tick (as in the lifecycle's HotSwapUnderLoadIT). */
    static final class Load implements AutoCloseable {
        final Map<String, AtomicLong> sent = new ConcurrentHashMap<>();
        final Map<String, SampleListener> listeners;
        final ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor();
        final Random rnd = new Random(7);
        final long started = System.nanoTime();
        long stopped;
        long tick;

        Load(Map<String, SampleListener> listeners) {
            this.listeners = listeners;
            listeners.keySet().forEach(u -> sent.put(u, new AtomicLong()));
            exec.scheduleAtFixedRate(this::tick, 0, TICK_MS, TimeUnit.MILLISECONDS);
        }

        private void tick() {
            Instant t = T0.plusSeconds(tick++);
            for (Map.Entry<String, SampleListener> l : listeners.entrySet()) {
                String u = l.getKey();
                l.getValue().onSamples(List.of(
                        Sample.of(u, "OUR", t, 0.114 * (1 + 0.03 * rnd.nextGaussian()), "mmol/L/h"),
                        Sample.of(u, "weight", t, 1000 * (1 + 0.005 * rnd.nextGaussian()), "L")));
                sent.get(u).addAndGet(2);
            }
        }

        @Override
        public void close() throws InterruptedException {
            exec.shutdown();
            assertTrue("load generator did not stop", exec.awaitTermination(10, TimeUnit.SECONDS));
            stopped = System.nanoTime();
        }

        double rate() {
            return sent.values().stream().mapToLong(AtomicLong::get).sum() / ((stopped - started) / 1e9);
        }
    }

    static void run(BundleContext ctx, Path deploy, Path rel10, Path rel11, Path usersFile, long waitMs)
            throws Exception {
        List<String> users = Files.readAllLines(usersFile, StandardCharsets.UTF_8);
        configure(ctx, users);
        SignatureService sigs = awaitConfiguredSignatures(ctx, waitMs);
        ModelLifecycle lifecycle = service(ctx, ModelLifecycle.class, waitMs);
        AuditTrail trail = service(ctx, AuditTrail.class, waitMs);
        assertNotNull(sigs);

        // Every bundle but the CHO model bundles: no event, no change from here to the end.
        Map<Long, BundleStamp> before = FrameworkChecks.stamps(ctx);
        List<String> events = new CopyOnWriteArrayList<>();
        BundleListener listener = e -> {
            if (!CHO_BSN.equals(e.getBundle().getSymbolicName())) {
                events.add(e.getBundle().getSymbolicName() + " " + HotDeployCheck.eventName(e.getType()));
            }
        };
        ctx.addBundleListener(listener);
        Load load = null;
        try {
            // ---- 1.0.0 dropped into deploy/, quarantined until QA approves it (two people)
            Files.copy(rel10, deploy.resolve("cho-1.0.0.jar"), StandardCopyOption.REPLACE_EXISTING);
            await(() -> status(lifecycle, "1.0.0").isPresent(), "the gate to see 1.0.0 from deploy/", waitMs);
            assertTrue(status(lifecycle, "1.0.0").get().reason(),
                    status(lifecycle, "1.0.0").get().reason().startsWith("unsigned"));
            lifecycle.approve(MODEL, "1.0.0", SignatureMeaning.REVIEWED, "qa1", "qa1-secret".toCharArray(),
                    "validation report reviewed");
            ModelStatus s10 = lifecycle.approve(MODEL, "1.0.0", SignatureMeaning.APPROVED, "qa2",
                    "qa2-secret".toCharArray(), "released for production");
            assertEquals(s10.reason(), GateStatus.APPROVED, s10.status());
            Map<String, Twin> twins = new LinkedHashMap<>();
            Map<String, SampleListener> listeners = new LinkedHashMap<>();
            for (String u : UNITS) {
                twins.put(u, tracked(ctx, Twin.class, "(unit=" + u + ")", waitMs));
                listeners.put(u, tracked(ctx, SampleListener.class, "(" + SampleListener.UNITS + "=" + u + ")",
                        waitMs));
            }
            await(() -> twins.values().stream().allMatch(t -> t.activeModel().equals(Optional.of(MODEL + ":1.0.0"))),
                    "every twin on 1.0.0", waitMs);
            Map<String, Long> processedBefore = new LinkedHashMap<>();
            twins.forEach((u, t) -> processedBefore.put(u, t.samplesProcessed()));

            load = new Load(listeners);
            await(() -> twins.values().stream().allMatch(t -> t.state().map(x -> x.standardDeviation("Xv") < 0.04)
                    .orElse(false)), "converged estimates (sd Xv < 0.04) from every twin", 30_000);
            // a few seconds of steady load on 1.0.0 before anything lands
            long minLoadEnd = load.started + TimeUnit.SECONDS.toNanos(3);
            await(() -> System.nanoTime() >= minLoadEnd, "3 s of load", 5_000);

            // ---- refusal: 1.1.0 lands unsigned, stays quarantined, twins keep 1.0.0
            int audits = trail.entriesFor("model", MODEL + ":1.1.0").size();
            long landed = System.nanoTime();
            Files.copy(rel11, deploy.resolve("cho-1.1.0.jar"), StandardCopyOption.REPLACE_EXISTING);
            await(() -> status(lifecycle, "1.1.0").isPresent(), "the gate to see 1.1.0 from deploy/", waitMs);
            ModelStatus q = status(lifecycle, "1.1.0").get();
            assertEquals(GateStatus.QUARANTINED, q.status());
            assertTrue(q.reason(), q.reason().contains("unsigned: no QA approval of " + MODEL + ":1.1.0"));
            List<AuditEntry> qa = trail.entriesFor("model", MODEL + ":1.1.0");
            assertTrue("no quarantine audit entry", qa.size() > audits);
            assertEquals("model.quarantine", qa.get(qa.size() - 1).event().action());
            try {
                lifecycle.activate(UNITS.get(0), "1.1.0", "qa1", "qa1-secret".toCharArray(), "try");
                throw new AssertionError("a quarantined version was activated");
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage(), expected.getMessage().contains("quarantined"));
            }
            for (Twin t : twins.values()) {
                assertEquals(Optional.of(MODEL + ":1.0.0"), t.activeModel());
                assertEquals(List.of("1.0.0"), t.availableModelVersions());
            }

            // ---- QA approves 1.1.0 in place; it is released to the twins; activated on the first unit
            lifecycle.approve(MODEL, "1.1.0", SignatureMeaning.REVIEWED, "qa1", "qa1-secret".toCharArray(),
                    "validation report reviewed");
            ModelStatus s11 = lifecycle.approve(MODEL, "1.1.0", SignatureMeaning.APPROVED, "qa2",
                    "qa2-secret".toCharArray(), "released for production");
            assertEquals(s11.reason(), GateStatus.APPROVED, s11.status());
            Twin first = twins.get(UNITS.get(0));
            await(() -> first.availableModelVersions().contains("1.1.0"), "1.1.0 released to the twins", waitMs);
            List<TwinState> seen = Collections.synchronizedList(new ArrayList<>());
            ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor();
            watch.scheduleAtFixedRate(() -> first.state().ifPresent(x -> {
                if (seen.isEmpty() || !seen.get(seen.size() - 1).time().equals(x.time())) {
                    seen.add(x);
                }
            }), 0, 2, TimeUnit.MILLISECONDS);
            long activated = System.nanoTime();
            SwapRecord swap = lifecycle.activate(UNITS.get(0), "1.1.0", "op1", "op1-secret".toCharArray(),
                    "CHANGE-42: parameters re-estimated");
            await(() -> {
                synchronized (seen) {
                    return seen.stream().anyMatch(x -> x.lineage().modelVersion().equals("1.1.0"));
                }
            }, "the first estimate from 1.1.0", waitMs);
            long firstEstimate = System.nanoTime();
            watch.shutdown();
            assertTrue(watch.awaitTermination(5, TimeUnit.SECONDS));
            load.close();
            TwinState pre = null;
            TwinState post = null;
            synchronized (seen) {
                for (TwinState x : seen) {
                    if (x.lineage().modelVersion().equals("1.0.0")) {
                        pre = x;
                    } else if (post == null) {
                        post = x;
                    }
                }
            }
            assertNotNull("last estimate from 1.0.0", pre);
            assertNotNull("first estimate from 1.1.0", post);
            long gap = Duration.between(pre.time(), post.time()).toSeconds();
            assertTrue("estimates " + gap + " s of plant time apart", gap >= 1 && gap <= 120);
            double ageStep = post.batchAge() - pre.batchAge();
            assertTrue("batch age " + pre.batchAge() + " h -> " + post.batchAge() + " h", ageStep > 0
                    && ageStep <= 120 / 3600.0 + 1e-9);
            for (String state : pre.stateNames()) {
                double a = pre.mean(state);
                double b = post.mean(state);
                assertTrue(state + " " + a + " -> " + b, Math.abs(b - a) <= 0.05 * Math.abs(a) + 0.02);
            }
            double sdPre = pre.standardDeviation("Xv");
            double sdPost = post.standardDeviation("Xv");
            assertTrue("sd Xv " + sdPre + " -> " + sdPost + " (prior 0.08): reset?",
                    sdPre < 0.04 && sdPost >= 0.5 * sdPre && sdPost <= 2 * sdPre);
            assertEquals(MODEL + ":1.0.0", swap.from());
            assertEquals(MODEL + ":1.1.0", swap.to());
            assertEquals(s11.digest(), swap.digest());
            assertEquals(s11.digest(), post.lineage().modelDigest());
            for (String u : UNITS.subList(1, UNITS.size())) {
                assertEquals(Optional.of(MODEL + ":1.0.0"), twins.get(u).activeModel());
            }
            AuditEntry audited = trail.entries(swap.auditSequence(), 1).get(0);
            assertEquals("op1", audited.event().actor());
            assertEquals("model.activate", audited.event().action());
            assertTrue(audited.event().reason(), audited.event().reason().startsWith("CHANGE-42"));
            assertEquals(MODEL + ":1.0.0", audited.event().oldValue());
            assertEquals(MODEL + ":1.1.0 sha256=" + s11.digest(), audited.event().newValue());

            // ---- every sample sent was processed exactly once (no loss, no double processing)
            for (String u : UNITS) {
                long expected = processedBefore.get(u) + load.sent.get(u).get();
                Twin t = twins.get(u);
                await(() -> t.samplesProcessed() >= expected, u + " to process " + expected + " samples", waitMs);
                Thread.sleep(100); // anything beyond the expected count would show now
                assertEquals(u + " samples processed", expected, t.samplesProcessed());
            }
            System.out.printf("[biotwin-it] karaf swap: %.0f samples/s for %.1f s into %d twins (%s sent); 1.1.0 "
                    + "jar landed -> first 1.1.0 estimate %d ms (activation -> first estimate %d ms); Xv %.4f +- %.4f"
                    + " -> %.4f +- %.4f%n", load.rate(), (load.stopped - load.started) / 1e9, UNITS.size(),
                    load.sent, (firstEstimate - landed) / 1_000_000, (firstEstimate - activated) / 1_000_000,
                    pre.mean("Xv"), sdPre, post.mean("Xv"), sdPost);
            org.biotwin.api.audit.VerificationResult verified = trail.verify();
            assertTrue("audit trail does not verify: " + verified.problems(), verified.valid());
        } finally {
            if (load != null) {
                load.close();
            }
            ctx.removeBundleListener(listener);
        }
        Map<Long, BundleStamp> after = FrameworkChecks.stamps(ctx);
        after.keySet().retainAll(before.keySet());
        before.keySet().retainAll(after.keySet());
        FrameworkChecks.assertUnchanged("bundles other than the CHO models during the swap", before, after);
        assertEquals("bundle events of bundles other than the CHO models", List.of(), events);
    }

    private static void configure(BundleContext ctx, List<String> users) throws Exception {
        ConfigurationAdmin ca = service(ctx, ConfigurationAdmin.class, 20_000);
        Dictionary<String, Object> sig = new Hashtable<>();
        sig.put("users", users.toArray(String[]::new));
        sig.put("meaningRoles", new String[] {"REVIEWED=qa", "APPROVED=qa", "ACTIVATED_MODEL=qa,operator"});
        sig.put("requiredSignatures", new String[] {"model:REVIEWED=1", "model:APPROVED=1"});
        ca.getConfiguration("org.biotwin.ebr.signatures", "?").update(sig);
        Dictionary<String, Object> gate = new Hashtable<>();
        gate.put("trustedApprovers", new String[] {"qa1", "qa2"});
        ca.getConfiguration("org.biotwin.lifecycle.gate", "?").update(gate);
        for (String u : UNITS) {
            Dictionary<String, Object> t = new Hashtable<>();
            t.put("unit", u);
            t.put("modelId", MODEL);
            t.put("modelVersion", "1.0.0");
            t.put("observations", new String[] {"OUR=OUR;sd=0.002;rel=0.03", "weight=volume;rel=0.005"});
            t.put("predictionIntervalSeconds", 0.0);
            t.put("model.target", "(biotwin.model.approved=true)");
            ca.createFactoryConfiguration("org.biotwin.engine.twin", "?").update(t);
        }
    }

    private static SignatureService awaitConfiguredSignatures(BundleContext ctx, long waitMs) throws Exception {
        SignatureService[] found = new SignatureService[1];
        ServiceTracker<SignatureService, SignatureService> t = new ServiceTracker<>(ctx, SignatureService.class, null);
        t.open();
        await(() -> {
            SignatureService s = t.getService();
            if (s == null) {
                return false;
            }
            try {
                // succeeds only once the configured user base is in force
                s.sign("qa1", "qa1-secret".toCharArray(), SignatureMeaning.REVIEWED, "probe", "p", "0".repeat(64),
                        "configuration probe");
                found[0] = s;
                return true;
            } catch (SecurityException e) {
                return false;
            }
        }, "the signature service with the configured users", waitMs);
        return found[0];
    }

    private static Optional<ModelStatus> status(ModelLifecycle lifecycle, String version) {
        return lifecycle.models().stream().filter(m -> m.version().equals(version)).findFirst();
    }

    private static <T> T service(BundleContext ctx, Class<T> type, long waitMs) throws InterruptedException {
        ServiceTracker<T, T> t = new ServiceTracker<>(ctx, type, null);
        t.open();
        T s = t.waitForService(waitMs);
        assertNotNull("service " + type.getName(), s);
        return s;
    }

    private static <T> T tracked(BundleContext ctx, Class<T> type, String filter, long waitMs) throws Exception {
        ServiceTracker<T, T> t = new ServiceTracker<>(ctx, ctx.createFilter("(&(objectClass=" + type.getName() + ")"
                + filter + ")"), null);
        t.open();
        T s = t.waitForService(waitMs);
        assertNotNull(type.getSimpleName() + " " + filter, s);
        return s;
    }

    private static void await(BooleanSupplier condition, String what, long waitMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        while (!condition.getAsBoolean()) {
            assertTrue("timed out after " + waitMs + " ms waiting for " + what, System.nanoTime() < deadline);
            Thread.sleep(5);
        }
    }
}
