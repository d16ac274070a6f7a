package org.biotwin.it.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
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
import org.biotwin.api.model.KineticModel;
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
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * In-Karaf part of {@link KarafModelSwapTest} (loaded only after feature {@code biotwin} is installed, since it names
 * API types). The same story as the lifecycle's {@code HotSwapUnderLoadIT} in Felix and Equinox, told through Karaf's
 * {@code deploy/} folder: ebr, the gate and four twins configured through ConfigAdmin; CHO 1.0.0 dropped in and
 * approved by two QA people; samples into every twin; then, under that load,
 * <ol>
 * <li>1.1.0 unsigned, 1.1.0 approved by an untrusted signer, and 1.1.0 tampered after approval are each dropped in
 * and refused: quarantined with the reason, the refusal audited, never offered to a twin, activation refused, every
 * twin still on 1.0.0, and the jar removed again;</li>
 * <li>the approved 1.1.0 is dropped in and activated on one unit with an operator's e-signature: estimate continuous
 * (batch age, states, covariance handed over), audit entry old -> new with the digest;</li>
 * <li>rollback to 1.0.0 is one signed, audited command, the estimate again continuous;</li>
 * <li>1.1.0 activated on a second unit and its jar deleted: the twin falls back to the highest approved version
 * still offered (1.0.0) with a {@code [model]} alarm, continuously, and the gate records the fallback;</li>
 * </ol>
 * and finally every sample sent was processed exactly once, the trail verifies, and no bundle other than the CHO
 * model bundles got an event or changed id, state or stamp, with no framework restart.
 */
final class ModelSwapCheck {

    static final String MODEL = "cho.mab.fedbatch";
    static final String CHO_BSN = "org.biotwin.models.cho";
    static final String V10 = MODEL + ":1.0.0";
    static final String V11 = MODEL + ":1.1.0";
    static final List<String> UNITS = List.of("BR-201", "BR-202", "BR-203", "BR-204");
    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    private ModelSwapCheck() {
    }

    /**
     * What the driver prepared (see {@link KarafModelSwapFixtures}).
     *
     * @param digest11 content digest of {@code rel11}, computed outside Karaf
     * @param tickMs load period: every tick each twin gets OUR and weight (4 twins, 8 ms: 1,000 samples/s)
     */
    record Releases(Path rel10, Path rel11, Path tampered11, String digest11, Path users, long tickMs) {
    }

    /** Feeds OUR and weight into each twin's SampleListener every tick (as in the lifecycle's HotSwapUnderLoadIT). */
    static final class Load implements AutoCloseable {
        final Map<String, AtomicLong> sent = new ConcurrentHashMap<>();
        final Map<String, SampleListener> listeners;
        final ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor();
        final Random rnd = new Random(7);
        final long started = System.nanoTime();
        volatile long stopped;
        long tick;

        Load(Map<String, SampleListener> listeners, long tickMs) {
            this.listeners = listeners;
            listeners.keySet().forEach(u -> sent.put(u, new AtomicLong()));
            exec.scheduleAtFixedRate(this::tick, 0, tickMs, TimeUnit.MILLISECONDS);
        }

        private void tick() {
            Instant t = T0.plusSeconds(tick++); // 1 s of plant time per tick
            for (Map.Entry<String, SampleListener> l : listeners.entrySet()) {
                String u = l.getKey();
                // OUR of 0.4e9 viable cells/L (0.285 pmol/cell/h), 3 % noise; broth 1000 L, 0.5 % noise.
                l.getValue().onSamples(List.of(
                        Sample.of(u, "OUR", t, 0.114 * (1 + 0.03 * rnd.nextGaussian()), "mmol/L/h"),
                        Sample.of(u, "weight", t, 1000 * (1 + 0.005 * rnd.nextGaussian()), "L")));
                sent.get(u).addAndGet(2);
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (exec.isShutdown()) {
                return;
            }
            exec.shutdown();
            assertTrue("load generator did not stop", exec.awaitTermination(10, TimeUnit.SECONDS));
            stopped = System.nanoTime();
        }

        long total() {
            return sent.values().stream().mapToLong(AtomicLong::get).sum();
        }

        double rate() {
            return total() / ((stopped - started) / 1e9);
        }
    }

    /** The estimates of one twin around a model change: the last from the old version, the first from the new. */
    record Change<T>(T result, TwinState pre, TwinState post, long startedNanos, long firstEstimateNanos) {
        long millis() {
            return (firstEstimateNanos - startedNanos) / 1_000_000;
        }
    }

    static void run(BundleContext ctx, Path deploy, Path staging, Releases r, long waitMs) throws Exception {
        Files.createDirectories(staging);
        configure(ctx, Files.readAllLines(r.users(), StandardCharsets.UTF_8));
        SignatureService sigs = awaitConfiguredSignatures(ctx, waitMs);
        ModelLifecycle lifecycle = service(ctx, ModelLifecycle.class, waitMs);
        AuditTrail trail = service(ctx, AuditTrail.class, waitMs);
        String frameworkUuid = ctx.getProperty(Constants.FRAMEWORK_UUID);

        // Every bundle but the CHO model bundles: no event, no change from here to the end; no framework restart.
        Map<Long, BundleStamp> before = FrameworkChecks.stamps(ctx);
        List<String> events = new CopyOnWriteArrayList<>();
        BundleListener listener = e -> {
            if (!CHO_BSN.equals(e.getBundle().getSymbolicName())) {
                events.add(e.getBundle().getSymbolicName() + " " + HotDeployCheck.eventName(e.getType()));
            }
        };
        FrameworkListener restarts = e -> {
            if (e.getType() == FrameworkEvent.STARTED || e.getType() == FrameworkEvent.STOPPED_UPDATE
                    || e.getType() == FrameworkEvent.STOPPED) {
                events.add("framework event " + e.getType());
            }
        };
        ctx.addBundleListener(listener);
        ctx.addFrameworkListener(restarts);
        Load load = null;
        try {
            // ---- 1.0.0 dropped into deploy/, quarantined until QA approves it (two people)
            drop(r.rel10(), deploy, staging, "cho-1.0.0.jar");
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
            await(() -> twins.values().stream().allMatch(t -> t.activeModel().equals(Optional.of(V10))),
                    "every twin on 1.0.0", waitMs);
            Map<String, Long> processedBefore = new LinkedHashMap<>();
            twins.forEach((u, t) -> processedBefore.put(u, t.samplesProcessed()));

            load = new Load(listeners, r.tickMs());
            // OUR fused for a while: the Xv uncertainty has shrunk well below its prior (20 % of 0.4)
            await(() -> twins.values().stream().allMatch(t -> t.state().map(x -> x.standardDeviation("Xv") < 0.04)
                    .orElse(false)), "converged estimates (sd Xv < 0.04) from every twin", 60_000);
            // a few seconds of steady load on 1.0.0 before anything lands
            long steady = load.started + TimeUnit.SECONDS.toNanos(3);
            await(() -> System.nanoTime() >= steady, "3 s of load", 5_000);

            // ---- refused under load, the plant staying on 1.0.0: unsigned, untrusted signer, tampered
            ModelStatus unsigned = assertRefused(ctx, lifecycle, trail, twins, r.rel11(), deploy, staging,
                    "cho-1.1.0-unsigned.jar", "unsigned: no QA approval of " + V11, waitMs);
            assertEquals("content digest in Karaf vs. computed offline", r.digest11(), unsigned.digest());
            // QA signs the digest offline (before the bundle is installed), one of them not a trusted approver
            sigs.sign("qa1", "qa1-secret".toCharArray(), SignatureMeaning.REVIEWED, ModelLifecycle.MODEL_RECORD, V11,
                    r.digest11(), "validation report reviewed");
            sigs.sign("qa9", "qa9-secret".toCharArray(), SignatureMeaning.APPROVED, ModelLifecycle.MODEL_RECORD, V11,
                    r.digest11(), "contractor approval");
            assertRefused(ctx, lifecycle, trail, twins, r.rel11(), deploy, staging, "cho-1.1.0-untrusted.jar",
                    "APPROVED by an untrusted signer: [qa9]", waitMs);
            sigs.sign("qa2", "qa2-secret".toCharArray(), SignatureMeaning.APPROVED, ModelLifecycle.MODEL_RECORD, V11,
                    r.digest11(), "released for production");
            ModelStatus tampered = assertRefused(ctx, lifecycle, trail, twins, r.tampered11(), deploy, staging,
                    "cho-1.1.0-tampered.jar", "changed after approval: content digest", waitMs);
            assertNotEquals(r.digest11(), tampered.digest());
            assertTrue(tampered.reason(), tampered.reason().contains("is not the approved " + r.digest11()));

            // ---- the approved 1.1.0 lands under load and is activated on the first unit with an e-signature
            String u1 = UNITS.get(0);
            Twin first = twins.get(u1);
            long landed = drop(r.rel11(), deploy, staging, "cho-1.1.0.jar");
            await(() -> first.availableModelVersions().contains("1.1.0"), "1.1.0 released to the twins", waitMs);
            long released = System.nanoTime();
            ModelStatus s11 = status(lifecycle, "1.1.0").orElseThrow();
            assertEquals(s11.reason(), GateStatus.APPROVED, s11.status());
            assertEquals(r.digest11(), s11.digest());
            Change<SwapRecord> activation = change(first, "1.0.0", "1.1.0", () -> lifecycle.activate(u1, "1.1.0",
                    "op1", "op1-secret".toCharArray(), "CHANGE-42: parameters re-estimated (Moeller 2018)"), waitMs);
            SwapRecord swap = activation.result();
            assertEquals("activate", swap.kind());
            assertEquals(V10, swap.from());
            assertEquals(V11, swap.to());
            assertEquals(r.digest11(), swap.digest());
            assertEquals(r.digest11(), activation.post().lineage().modelDigest());
            assertTrue("titre reset?", activation.post().mean("MAB") > 0.8 * activation.pre().mean("MAB"));
            for (String u : UNITS.subList(1, UNITS.size())) {
                assertEquals(u, Optional.of(V10), twins.get(u).activeModel());
            }
            assertAudited(trail, swap, "op1", "model.activate", "CHANGE-42", V10, V11 + " sha256=" + r.digest11());
            assertTrue("the engine's own audit entry", !trail.entriesFor("twin", u1 + "/" + V11).isEmpty());

            // ---- rollback: one signed command (a wrong password changes nothing)
            try {
                lifecycle.rollback(u1, "qa2", "wrong".toCharArray(), "test");
                fail("rollback with a wrong password");
            } catch (SecurityException expected) {
                assertEquals(Optional.of(V11), first.activeModel());
            }
            Change<SwapRecord> rollback = change(first, "1.1.0", "1.0.0", () -> lifecycle.rollback(u1, "qa2",
                    "qa2-secret".toCharArray(), "CHANGE-43: revert to the validated baseline"), waitMs);
            SwapRecord back = rollback.result();
            assertEquals("rollback", back.kind());
            assertEquals(V11, back.from());
            assertEquals(V10, back.to());
            assertEquals(s10.digest(), back.digest());
            assertEquals(s10.digest(), rollback.post().lineage().modelDigest());
            assertAudited(trail, back, "qa2", "model.rollback", "CHANGE-43", V11, V10 + " sha256=" + s10.digest());
            assertEquals(List.of("activate", "rollback"), lifecycle.history(u1).stream().map(SwapRecord::kind)
                    .toList());

            // ---- removing the active bundle: the twin falls back to the highest approved version left, with an alarm
            String u2 = UNITS.get(1);
            Twin second = twins.get(u2);
            lifecycle.activate(u2, "1.1.0", "op1", "op1-secret".toCharArray(), "CHANGE-44: second unit");
            await(() -> second.activeModel().equals(Optional.of(V11)), u2 + " on 1.1.0", waitMs);
            Bundle b11 = bundle(ctx, "cho-1.1.0.jar").orElseThrow();
            Change<Void> fallback = change(second, "1.1.0", "1.0.0", () -> {
                Files.delete(deploy.resolve("cho-1.1.0.jar"));
                return null;
            }, waitMs);
            assertEquals(Optional.of(V10), second.activeModel());
            assertTrue("alarms of " + u2 + ": " + second.alarms(), second.alarms().stream()
                    .anyMatch(a -> a.contains("[model]") && a.contains(V11 + " is no longer available")));
            await(() -> lifecycle.history(u2).stream().anyMatch(x -> x.kind().equals("fallback")),
                    "the fallback in the swap history of " + u2, waitMs);
            SwapRecord fell = lifecycle.history(u2).get(lifecycle.history(u2).size() - 1);
            assertEquals("fallback", fell.kind());
            assertEquals(V11, fell.from());
            assertEquals(V10, fell.to());
            assertEquals(s10.digest(), fell.digest());
            assertAudited(trail, fell, "system:engine", "model.fallback", "active model bundle " + V11, V11, V10
                    + " sha256=" + s10.digest());
            await(() -> b11.getState() == Bundle.UNINSTALLED, "the 1.1.0 bundle to be uninstalled", waitMs);
            await(() -> status(lifecycle, "1.1.0").isEmpty(), "the gate to forget 1.1.0", waitMs);
            for (Twin t : twins.values()) {
                assertEquals(Optional.of(V10), t.activeModel());
                assertEquals(List.of("1.0.0"), t.availableModelVersions());
            }

            // ---- every sample sent was processed exactly once (no loss, no double processing)
            load.close();
            for (String u : UNITS) {
                long expected = processedBefore.get(u) + load.sent.get(u).get();
                Twin t = twins.get(u);
                await(() -> t.samplesProcessed() >= expected, u + " to process " + expected + " samples", waitMs);
                Thread.sleep(100); // anything beyond the expected count would show now
                assertEquals(u + " samples processed", expected, t.samplesProcessed());
            }
            System.out.printf("[biotwin-it] karaf swap: %.0f samples/s (tick %d ms) for %.1f s into %d twins, %d"
                    + " samples sent, all processed once: %s%n", load.rate(), r.tickMs(),
                    (load.stopped - load.started) / 1e9, UNITS.size(), load.total(), load.sent);
            System.out.printf("[biotwin-it] karaf swap: 1.1.0 jar landed in deploy/ -> released to the twins %d ms"
                    + " -> first 1.1.0 estimate %d ms (signed activation -> first estimate %d ms); rollback ->"
                    + " first 1.0.0 estimate %d ms; jar deleted -> first fallback estimate %d ms%n",
                    (released - landed) / 1_000_000, (activation.firstEstimateNanos() - landed) / 1_000_000,
                    activation.millis(), rollback.millis(), fallback.millis());
            System.out.printf("[biotwin-it] karaf swap: Xv %.4f +- %.4f -> %.4f +- %.4f (activate), -> %.4f +- %.4f"
                    + " (rollback), %.4f +- %.4f -> %.4f +- %.4f (fallback)%n", activation.pre().mean("Xv"),
                    activation.pre().standardDeviation("Xv"), activation.post().mean("Xv"),
                    activation.post().standardDeviation("Xv"), rollback.post().mean("Xv"),
                    rollback.post().standardDeviation("Xv"), fallback.pre().mean("Xv"),
                    fallback.pre().standardDeviation("Xv"), fallback.post().mean("Xv"),
                    fallback.post().standardDeviation("Xv"));
            org.biotwin.api.audit.VerificationResult verified = trail.verify();
            assertTrue("audit trail does not verify: " + verified.problems(), verified.valid());
        } finally {
            if (load != null) {
                load.close();
            }
            ctx.removeFrameworkListener(restarts);
            ctx.removeBundleListener(listener);
        }
        Map<Long, BundleStamp> after = FrameworkChecks.stamps(ctx);
        after.keySet().retainAll(before.keySet());
        before.keySet().retainAll(after.keySet());
        FrameworkChecks.assertUnchanged("bundles other than the CHO models during the swaps", before, after);
        assertEquals("bundle events of bundles other than the CHO models, framework restarts", List.of(), events);
        assertEquals("framework UUID (a new one means a restart)", frameworkUuid,
                ctx.getProperty(Constants.FRAMEWORK_UUID));
    }

    /**
     * Drops a jar into {@code deploy/} as IT staff would, atomically: written under another directory of the same
     * file system first, so FileInstall never sees a half-written jar. Returns when it landed (nanoTime).
     */
    private static long drop(Path jar, Path deploy, Path staging, String name) throws Exception {
        Path tmp = staging.resolve(name);
        Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, deploy.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        return System.nanoTime();
    }

    /** The bundle FileInstall installed from {@code deploy/<name>}, if any. */
    private static Optional<Bundle> bundle(BundleContext ctx, String name) {
        return Arrays.stream(ctx.getBundles()).filter(b -> b.getLocation().endsWith("/" + name)).findFirst();
    }

    /**
     * Drops a 1.1.0 bundle that the gate must refuse and checks the refusal: quarantined with {@code reason}, the
     * refusal audited ({@code model.quarantine}), no approved offer of 1.1.0, activation refused, every twin still on
     * 1.0.0 and offered nothing else. Then deletes the jar and waits until FileInstall uninstalled the bundle and the
     * gate forgot it. Returns the gate's status of the refused bundle.
     */
    private static ModelStatus assertRefused(BundleContext ctx, ModelLifecycle lifecycle, AuditTrail trail,
            Map<String, Twin> twins, Path jar, Path deploy, Path staging, String name, String reason, long waitMs)
            throws Exception {
        int audits = trail.entriesFor(ModelLifecycle.MODEL_RECORD, V11).size();
        drop(jar, deploy, staging, name);
        await(() -> status(lifecycle, "1.1.0").isPresent(), "the gate to see " + name + " from deploy/", waitMs);
        ModelStatus s = status(lifecycle, "1.1.0").get();
        assertEquals(name + ": " + s.reason(), GateStatus.QUARANTINED, s.status());
        assertTrue(name + ": " + s.reason(), s.reason().contains(reason));
        Bundle b = bundle(ctx, name).orElseThrow(() -> new AssertionError("no bundle installed from " + name));
        assertEquals(b.getBundleId(), s.bundleId());
        List<AuditEntry> e = trail.entriesFor(ModelLifecycle.MODEL_RECORD, V11);
        assertTrue(name + ": no quarantine audit entry", e.size() > audits);
        AuditEntry last = e.get(e.size() - 1);
        assertEquals("model.quarantine", last.event().action());
        assertTrue(last.event().reason(), last.event().reason().contains(reason));
        try {
            lifecycle.activate(UNITS.get(2), "1.1.0", "op1", "op1-secret".toCharArray(), "try " + name);
            fail("a quarantined version was activated: " + name);
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("quarantined"));
        }
        for (Map.Entry<String, Twin> t : twins.entrySet()) {
            assertEquals(t.getKey(), Optional.of(V10), t.getValue().activeModel());
            assertEquals(t.getKey(), List.of("1.0.0"), t.getValue().availableModelVersions());
        }
        assertNull("an approved offer of a quarantined 1.1.0", ctx.getServiceReferences(KineticModel.class.getName(),
                "(&(" + KineticModel.MODEL_VERSION + "=1.1.0)(" + ModelLifecycle.APPROVED + "=true))"));
        Files.delete(deploy.resolve(name));
        await(() -> b.getState() == Bundle.UNINSTALLED, name + " to be uninstalled", waitMs);
        await(() -> status(lifecycle, "1.1.0").isEmpty(), "the gate to forget " + name, waitMs);
        System.out.println("[biotwin-it] karaf swap: " + name + " refused: " + s.reason());
        return s;
    }

    /**
     * Runs {@code action} while watching the estimates of {@code twin} (every 2 ms), then checks that the estimate
     * went on from the old model to the new one without a reset: consecutive windows (at most two windows of 60 s
     * plant time apart), batch age going on, every state mean within one window of dynamics, the Xv covariance
     * handed over (not back at its prior).
     */
    private static <T> Change<T> change(Twin twin, String from, String to, Callable<T> action, long waitMs)
            throws Exception {
        List<TwinState> seen = Collections.synchronizedList(new ArrayList<>());
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor();
        // One entry per estimate window (plant time). The twin may re-publish its current window labelled with the
        // new model at the switch; that is the handed-over state, not an estimate of the new model, so it is skipped.
        watch.scheduleAtFixedRate(() -> twin.state().ifPresent(x -> {
            if (seen.isEmpty() || !seen.get(seen.size() - 1).time().equals(x.time())) {
                seen.add(x);
            }
        }), 0, 2, TimeUnit.MILLISECONDS);
        long started;
        T result;
        long firstEstimate;
        try {
            started = System.nanoTime();
            result = action.call();
            await(() -> {
                synchronized (seen) {
                    return seen.stream().anyMatch(x -> x.lineage().modelVersion().equals(to));
                }
            }, "the first estimate from " + to, waitMs);
            firstEstimate = System.nanoTime();
        } finally {
            watch.shutdown();
            assertTrue(watch.awaitTermination(5, TimeUnit.SECONDS));
        }
        TwinState pre = null;
        TwinState post = null;
        synchronized (seen) {
            for (TwinState x : seen) {
                if (post == null && x.lineage().modelVersion().equals(from)) {
                    pre = x;
                } else if (post == null && x.lineage().modelVersion().equals(to)) {
                    post = x;
                }
            }
        }
        assertNotNull("last estimate from " + from, pre);
        assertNotNull("first estimate from " + to, post);
        String what = from + " -> " + to + ": ";
        long gap = Duration.between(pre.time(), post.time()).toSeconds();
        assertTrue(what + "estimates " + gap + " s of plant time apart", gap >= 1 && gap <= 120);
        double ageStep = post.batchAge() - pre.batchAge();
        assertTrue(what + "batch age " + pre.batchAge() + " h -> " + post.batchAge() + " h",
                ageStep > 0 && ageStep <= 120 / 3600.0 + 1e-9);
        for (String state : pre.stateNames()) {
            double a = pre.mean(state);
            double b = post.mean(state);
            assertTrue(what + state + " " + a + " -> " + b, Math.abs(b - a) <= 0.05 * Math.abs(a) + 0.02);
        }
        double sdPre = pre.standardDeviation("Xv");
        double sdPost = post.standardDeviation("Xv");
        assertTrue(what + "sd Xv " + sdPre + " -> " + sdPost + " (prior 0.08): reset?",
                sdPre < 0.04 && sdPost >= 0.5 * sdPre && sdPost <= 2 * sdPre);
        return new Change<>(result, pre, post, started, firstEstimate);
    }

    /** The audit entry of a swap record: who, what, why, old -> new with the digest. */
    private static void assertAudited(AuditTrail trail, SwapRecord r, String actor, String action, String reason,
            String oldValue, String newValue) {
        AuditEntry e = trail.entries(r.auditSequence(), 1).get(0);
        assertEquals(action, e.event().action());
        assertEquals(actor, e.event().actor());
        assertTrue(e.event().reason(), e.event().reason().startsWith(reason));
        assertEquals(oldValue, e.event().oldValue());
        assertEquals(newValue, e.event().newValue());
    }

    private static void configure(BundleContext ctx, List<String> users) throws Exception {
        ConfigurationAdmin ca = service(ctx, ConfigurationAdmin.class, 20_000);
        Dictionary<String, Object> sig = new Hashtable<>();
        sig.put("users", users.toArray(String[]::new));
        sig.put("meaningRoles", new String[] {"REVIEWED=qa", "APPROVED=qa", "ACTIVATED_MODEL=qa,operator"});
        sig.put("requiredSignatures", new String[] {"model:REVIEWED=1", "model:APPROVED=1"});
        ca.getConfiguration("org.biotwin.ebr.signatures", "?").update(sig);
        Dictionary<String, Object> gate = new Hashtable<>();
        gate.put("trustedApprovers", new String[] {"qa1", "qa2"}); // not qa9: a QA user the gate does not trust
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
