package org.biotwin.lifecycle.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
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
import org.biotwin.ebr.internal.signature.PasswordHasher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
 * The approval gate and hot swap in a real Apache Felix 7 with Felix SCR and ConfigAdmin, the real batch record
 * (audit trail, signatures), soft sensor and engine bundles, and real CHO model bundles released with reports of the
 * real validate tool. Four twins receive 1,000 samples/s in total while model bundles land, are refused, activated,
 * rolled back and removed; no other bundle is touched by any of it.
 */
class HotSwapUnderLoadIT {

    static final String MODEL = "cho.mab.fedbatch";
    static final List<String> UNITS = List.of("BR-101", "BR-102", "BR-103", "BR-104");
    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    @TempDir
    Path jars;
    static int httpPort;

    /** Sends OUR and weight for every unit every 8 ms (1,000 samples/s), 1 s of plant time per tick. */
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
            exec.scheduleAtFixedRate(this::tick, 0, 8, TimeUnit.MILLISECONDS);
        }

        private void tick() {
            Instant t = T0.plusSeconds(tick++);
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
            exec.shutdown();
            assertThat(exec.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            stopped = System.nanoTime();
        }

        double rate() {
            return sent.values().stream().mapToLong(AtomicLong::get).sum() / ((stopped - started) / 1e9);
        }
    }

    /**
     * Bundle id, state and last-modified stamp of every bundle but the model bundles. The system bundle's stamp is
     * left out: Equinox moves it with every install or uninstall of any bundle (it is the module database's time).
     */
    static Map<Long, String> others(BundleContext ctx) {
        Map<Long, String> m = new LinkedHashMap<>();
        for (Bundle b : ctx.getBundles()) {
            if (!"org.biotwin.models.cho".equals(b.getSymbolicName())) {
                m.put(b.getBundleId(), b.getSymbolicName() + " state=" + b.getState() + " modified="
                        + (b.getBundleId() == 0 ? "-" : b.getLastModified()));
            }
        }
        return m;
    }

    @Test
    void gateAndHotSwapUnderLoad() throws Exception {
        // ---- the model releases: evidence embedded by the EvidenceTool, as the Maven release profile does
        Path rel10 = ModelJars.release(ModelJars.cho10(), "cho-1.0.0-pass.json", jars, "cho-1.0.0.jar");
        Path rel11 = ModelJars.release(ModelJars.cho11(), "cho-1.1.0-pass.json", jars, "cho-1.1.0.jar");
        // mu_max 0.039 /h of 1.1.0 changed in one byte after approval
        Path tampered = ModelJars.tamper(rel11, 0.039, Math.nextUp(0.039), jars.resolve("cho-1.1.0-tampered.jar"));
        String digest11 = ContentDigest.of(rel11); // computed offline, as QA would before signing
        Path selfApproved = ModelJars.selfApproved(rel11, jars.resolve("cho-1.1.0-self-approved.jar"));

        Framework fw = start();
        Load load = null;
        // (fw is replaced by the restarted framework near the end)
        try {
            BundleContext ctx = fw.getBundleContext();
            configure(ctx);
            SignatureService[] sigs = new SignatureService[1];
            await(() -> {
                ServiceReference<SignatureService> r = ctx.getServiceReference(SignatureService.class);
                SignatureService s = r == null ? null : ctx.getService(r);
                if (s == null) {
                    return false;
                }
                try {
                    s.requiredSignatures("model", SignatureMeaning.APPROVED);
                    // Configured: the probe signature of an unknown record succeeds only with the configured users
                    s.sign("qa1", "qa1-secret".toCharArray(), SignatureMeaning.REVIEWED, "probe", "p",
                            "0".repeat(64), "configuration probe");
                    sigs[0] = s;
                    return true;
                } catch (SecurityException e) {
                    return false;
                }
            }, "the signature service with the configured users");
            ModelLifecycle lifecycle = service(ctx, ModelLifecycle.class);
            AuditTrail trail = service(ctx, AuditTrail.class);

            // ---- 1.0.0 lands, QA approves it in the host (two people), twins bind it
            Bundle b10 = ctx.installBundle(rel10.toUri().toString());
            b10.start();
            await(() -> lifecycle.models().size() == 1, "the gate to see 1.0.0");
            assertThat(lifecycle.models().get(0).reason()).startsWith("unsigned");
            lifecycle.approve(MODEL, "1.0.0", SignatureMeaning.REVIEWED, "qa1", "qa1-secret".toCharArray(),
                    "validation report reviewed");
            ModelStatus s10 = lifecycle.approve(MODEL, "1.0.0", SignatureMeaning.APPROVED, "qa2",
                    "qa2-secret".toCharArray(), "released for production");
            assertThat(s10.status()).isEqualTo(GateStatus.APPROVED);
            assertThat(s10.digest()).isEqualTo(ContentDigest.of(rel10)); // offline digest == in-framework digest
            Map<String, Twin> twins = new LinkedHashMap<>();
            for (String u : UNITS) {
                twins.put(u, twin(ctx, u));
            }
            await(() -> twins.values().stream().allMatch(t -> t.activeModel().equals(java.util.Optional.of(MODEL
                    + ":1.0.0"))), "every twin on 1.0.0");
            Map<String, SampleListener> listeners = new LinkedHashMap<>();
            for (String u : UNITS) {
                listeners.put(u, listener(ctx, u));
            }
            Map<Long, String> before = others(ctx);
            load = new Load(listeners);
            // OUR fused for a while: the Xv uncertainty has shrunk well below its prior (20 % of 0.4)
            await(() -> twins.values().stream().allMatch(t -> t.state().map(x -> x.standardDeviation("Xv") < 0.03)
                    .orElse(false)), "converged estimates from every twin");
            System.out.printf("converged: %s%n", twins.values().stream().map(t -> t.state().orElseThrow())
                    .map(x -> x.unitId() + " Xv " + x.mean("Xv") + " sd " + x.standardDeviation("Xv") + " samples "
                            + x.lineage().samplesUsed()).toList());

            // ---- refused while the old model keeps running: unsigned, untrusted signer, tampered
            assertRefused(ctx, lifecycle, trail, twins, rel11, "unsigned: no QA approval of " + MODEL + ":1.1.0");
            sigs[0].sign("qa1", "qa1-secret".toCharArray(), SignatureMeaning.REVIEWED, "model", MODEL + ":1.1.0",
                    digest11, "validation report reviewed");
            sigs[0].sign("qa9", "qa9-secret".toCharArray(), SignatureMeaning.APPROVED, "model", MODEL + ":1.1.0",
                    digest11, "contractor approval");
            assertRefused(ctx, lifecycle, trail, twins, rel11, "APPROVED by an untrusted signer: [qa9]");
            sigs[0].sign("qa2", "qa2-secret".toCharArray(), SignatureMeaning.APPROVED, "model", MODEL + ":1.1.0",
                    digest11, "released for production");
            assertRefused(ctx, lifecycle, trail, twins, tampered, "changed after approval");
            // a bundle whose own service claims biotwin.model.approved=true: hidden from twins, quarantined
            assertRefused(ctx, lifecycle, trail, twins, selfApproved, "sets biotwin.model.approved itself");
            assertThat(others(ctx)).isEqualTo(before);

            // ---- 1.1.0 (approved offline by its digest) lands under load and is activated on BR-101
            long landed = System.nanoTime();
            Bundle b11 = ctx.installBundle(rel11.toUri().toString());
            b11.start();
            Twin br101 = twins.get("BR-101");
            await(() -> br101.availableModelVersions().contains("1.1.0"), "1.1.0 released to the twins");
            long released = System.nanoTime();
            // every estimate BR-101 publishes around the swap (one per 60-s window of plant time, about 0.5 s apart)
            List<TwinState> seen = java.util.Collections.synchronizedList(new ArrayList<>());
            ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor();
            watch.scheduleAtFixedRate(() -> br101.state().ifPresent(x -> {
                if (seen.isEmpty() || !seen.get(seen.size() - 1).time().equals(x.time())) {
                    seen.add(x);
                }
            }), 0, 2, TimeUnit.MILLISECONDS);
            SwapRecord swap = lifecycle.activate("BR-101", "1.1.0", "qa1", "qa1-secret".toCharArray(),
                    "CHANGE-42: parameters re-estimated (Moeller 2018)");
            await(() -> br101.state().map(s -> s.lineage().modelVersion().equals("1.1.0")).orElse(false),
                    "the first estimate from 1.1.0");
            long firstEstimate = System.nanoTime();
            await(() -> {
                synchronized (seen) {
                    return seen.stream().anyMatch(x -> x.lineage().modelVersion().equals("1.1.0"));
                }
            }, "the watcher to record the first 1.1.0 estimate");
            watch.shutdown();
            assertThat(watch.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
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
            assertThat(pre).as("last estimate from 1.0.0").isNotNull();
            assertThat(post).as("first estimate from 1.1.0").isNotNull();
            System.out.printf("jar landed -> released to twins %d ms; -> first estimate from 1.1.0 %d ms"
                    + " (includes the signed activation)%n", (released - landed) / 1_000_000,
                    (firstEstimate - landed) / 1_000_000);
            assertThat(swap.from()).isEqualTo(MODEL + ":1.0.0");
            assertThat(swap.to()).isEqualTo(MODEL + ":1.1.0");
            assertThat(swap.digest()).isEqualTo(digest11);
            assertThat(post.lineage().modelDigest()).isEqualTo(digest11);
            // continuous: states and covariance are handed over by name, not reset to the prior (sd 20 % of Xv0 0.4)
            // consecutive windows: no estimate was skipped at the swap (windows are 60 s of plant time)
            assertThat(java.time.Duration.between(pre.time(), post.time()).toSeconds()).isBetween(1L, 120L);
            for (String state : pre.stateNames()) {
                double a = pre.mean(state);
                double b = post.mean(state);
                // one window of dynamics (the titre grows by about 0.01 mg/L per minute here), no jump
                assertThat(Math.abs(b - a)).as("%s %s -> %s", state, a, b).isLessThanOrEqualTo(0.05 * Math.abs(a)
                        + 0.02);
            }
            assertThat(post.mean("MAB")).as("titre not reset to 0").isGreaterThan(0.8 * pre.mean("MAB"));
            double sdPre = pre.standardDeviation("Xv");
            double sdPost = post.standardDeviation("Xv");
            System.out.printf("Xv %.4f +- %.4f -> %.4f +- %.4f (prior sd 0.08)%n", pre.mean("Xv"), sdPre,
                    post.mean("Xv"), sdPost);
            assertThat(sdPre).isLessThan(0.04); // OUR has been fused: the prior is long gone
            assertThat(sdPost).isBetween(0.5 * sdPre, 2 * sdPre); // not reset to the prior
            assertThat(post.time()).isAfterOrEqualTo(pre.time());
            // the other twins were not touched
            for (String u : UNITS.subList(1, UNITS.size())) {
                assertThat(twins.get(u).activeModel()).contains(MODEL + ":1.0.0");
            }
            AuditEntry audited = trail.entries(swap.auditSequence(), 1).get(0);
            assertThat(audited.event().actor()).isEqualTo("qa1");
            assertThat(audited.event().action()).isEqualTo("model.activate");
            assertThat(audited.event().reason()).startsWith("CHANGE-42");
            assertThat(audited.event().oldValue()).isEqualTo(MODEL + ":1.0.0");
            assertThat(audited.event().newValue()).isEqualTo(MODEL + ":1.1.0 sha256=" + digest11);
            assertThat(trail.entriesFor("twin", "BR-101/" + MODEL + ":1.1.0")).isNotEmpty(); // the engine's own

            // ---- wrong password: refused, nothing changes
            assertThatThrownBy(() -> lifecycle.rollback("BR-101", "qa1", "wrong".toCharArray(), "test"))
                    .isInstanceOf(SecurityException.class);
            assertThat(br101.activeModel()).contains(MODEL + ":1.1.0");

            // ---- rollback is one command
            SwapRecord back = lifecycle.rollback("BR-101", "qa2", "qa2-secret".toCharArray(), "CHANGE-43: revert");
            assertThat(back.kind()).isEqualTo("rollback");
            assertThat(back.to()).isEqualTo(MODEL + ":1.0.0");
            assertThat(br101.activeModel()).contains(MODEL + ":1.0.0");

            rest(twins);

            // ---- removing the active bundle: fallback to the previous approved version, with an alarm
            lifecycle.activate("BR-102", "1.1.0", "qa1", "qa1-secret".toCharArray(), "CHANGE-44");
            Twin br102 = twins.get("BR-102");
            assertThat(br102.activeModel()).contains(MODEL + ":1.1.0");
            b11.uninstall();
            assertThat(br102.activeModel()).contains(MODEL + ":1.0.0"); // synchronous: before uninstall returned
            assertThat(br102.alarms()).anyMatch(a -> a.contains("[model]") && a.contains("no longer available"));
            await(() -> lifecycle.history("BR-102").stream().anyMatch(r -> r.kind().equals("fallback")),
                    "the fallback in the swap history");
            assertThat(lifecycle.history("BR-101")).extracting(SwapRecord::kind)
                    .containsExactly("activate", "rollback");

            // ---- no sample lost or processed twice, in any twin, across all of the above
            load.close();
            Load finished = load;
            Map<String, AtomicLong> sent = load.sent;
            load = null;
            for (String u : UNITS) {
                assertThat(twins.get(u).samplesProcessed()).as("samples of " + u).isEqualTo(sent.get(u).get());
            }
            System.out.printf("samples sent and processed: %s at %.0f samples/s%n", sent, finished.rate());
            assertThat(others(ctx)).isEqualTo(before);
            assertThat(trail.verify().valid()).isTrue();

            // ---- Gogo commands, called as Gogo calls them (reflection on the command service)
            Bundle b11again = ctx.installBundle(rel11.toUri().toString());
            b11again.start();
            await(() -> twins.get("BR-104").availableModelVersions().contains("1.1.0"), "1.1.0 released again");
            ServiceReference<?>[] cmds = ctx.getAllServiceReferences(null, "(osgi.command.scope=model)");
            assertThat(cmds).hasSize(1);
            Object commands = ctx.getService(cmds[0]);
            assertThat(call(commands, "list")).contains("1.0.0").contains("1.1.0").contains("APPROVED")
                    .contains(digest11);
            assertThat(call(commands, "activate", "BR-104", "1.1.0", "qa1", "qa1-secret", "CHANGE-46 from Gogo"))
                    .contains(MODEL + ":1.0.0").contains(MODEL + ":1.1.0");
            assertThat(twins.get("BR-104").activeModel()).contains(MODEL + ":1.1.0");
            assertThat(call(commands, "history", "BR-104")).contains("activate").contains("CHANGE-46 from Gogo");
            assertThat(call(commands, "report", MODEL, "1.1.0")).contains("\"verdict\" : \"PASS\"");

            // ---- host restart: the pinned twins come back on 1.0.0; the recorded activation of BR-104 is restored
            fw.stop();
            fw.waitForStop(10_000);
            fw = start(false);
            BundleContext ctx2 = fw.getBundleContext();
            Twin br104 = twin(ctx2, "BR-104");
            ModelLifecycle lifecycle2 = service(ctx2, ModelLifecycle.class);
            await(() -> br104.activeModel().equals(java.util.Optional.of(MODEL + ":1.1.0")), "BR-104 restored to"
                    + " 1.1.0 after the restart");
            await(() -> lifecycle2.history("BR-104").stream().anyMatch(r -> r.kind().equals("restore")),
                    "the restore in the history");
            assertThat(twin(ctx2, "BR-101").activeModel()).contains(MODEL + ":1.0.0"); // its last record: rollback

            // ---- policy instead of commands: the highest approved version everywhere
            Dictionary<String, Object> gate = new Hashtable<>();
            gate.put("trustedApprovers", new String[] {"qa1", "qa2"});
            gate.put("autoActivate", "HIGHEST_APPROVED");
            service(ctx2, ConfigurationAdmin.class).getConfiguration(LifecycleComponent.PID, "?").update(gate);
            for (String u : UNITS) {
                Twin t = twin(ctx2, u);
                await(() -> t.activeModel().equals(java.util.Optional.of(MODEL + ":1.1.0")), u + " on 1.1.0 by"
                        + " policy");
            }
            assertThat(lifecycle2.history("BR-101").get(lifecycle2.history("BR-101").size() - 1).actor())
                    .isEqualTo("system:lifecycle");
        } finally {
            if (load != null) {
                load.close();
            }
            fw.stop();
            fw.waitForStop(10_000);
        }
    }

    private static String call(Object commands, String name, String... args) throws Exception {
        Class<?>[] types = new Class<?>[args.length];
        java.util.Arrays.fill(types, String.class);
        return (String) commands.getClass().getMethod(name, types).invoke(commands, (Object[]) args);
    }

    /** The REST endpoint in Felix HTTP (Jetty 12) on the HTTP Whiteboard, with the ebr user base. */
    private static void rest(Map<String, Twin> twins) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + httpPort + "/biotwin/lifecycle";
        await(() -> call(http, "GET", base + "/models", null, null).statusCode() == 401, "the REST endpoint");
        var models = call(http, "GET", base + "/models", "qa1:qa1-secret", null);
        assertThat(models.statusCode()).isEqualTo(200);
        var list = new com.fasterxml.jackson.databind.ObjectMapper().readTree(models.body());
        assertThat(list.findValuesAsText("version")).containsExactly("1.0.0", "1.1.0");
        assertThat(list.findValuesAsText("status")).containsExactly("APPROVED", "APPROVED");
        assertThat(call(http, "GET", base + "/models", "qa9:wrong", null).statusCode()).isEqualTo(403);
        var report = call(http, "GET", base + "/models/" + MODEL + "/1.1.0/report", "qa1:qa1-secret", null);
        assertThat(report.body()).contains("\"verdict\":\"PASS\"").contains("\"version\":\"1.1.0\"");
        var act = call(http, "POST", base + "/units/BR-103/activate", "qa2:qa2-secret",
                "{\"version\":\"1.1.0\",\"reason\":\"CHANGE-45 via REST\"}");
        assertThat(act.statusCode()).as(act.body()).isEqualTo(200);
        assertThat(twins.get("BR-103").activeModel()).contains(MODEL + ":1.1.0");
        var back = call(http, "POST", base + "/units/BR-103/rollback", "qa2:qa2-secret", "{\"reason\":\"revert\"}");
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        assertThat(twins.get("BR-103").activeModel()).contains(MODEL + ":1.0.0");
        var history = call(http, "GET", base + "/units/BR-103/history", "qa1:qa1-secret", null);
        assertThat(history.body()).contains("\"kind\":\"activate\"").contains("\"kind\":\"rollback\"")
                .contains("\"actor\":\"qa2\"");
        var bad = call(http, "POST", base + "/units/BR-103/activate", "qa2:qa2-secret", "{\"version\":");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("not JSON");
        var quarantined = call(http, "POST", base + "/units/BR-103/activate", "qa2:qa2-secret",
                "{\"version\":\"9.9.9\",\"reason\":\"x\"}");
        assertThat(quarantined.statusCode()).isEqualTo(400);
        assertThat(quarantined.body()).contains("9.9.9 is not installed");
    }

    private static java.net.http.HttpResponse<String> call(java.net.http.HttpClient http, String method, String url,
            String userPassword, String body) {
        try {
            var b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).timeout(java.time.Duration
                    .ofSeconds(20)).method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                            : java.net.http.HttpRequest.BodyPublishers.ofString(body));
            if (userPassword != null) {
                b.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(userPassword
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            return http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void assertRefused(BundleContext ctx, ModelLifecycle lifecycle, AuditTrail trail, Map<String, Twin> twins,
            Path jar, String reason) throws Exception {
        int audits = trail.entriesFor("model", MODEL + ":1.1.0").size();
        Bundle b = ctx.installBundle(jar.toUri().toString());
        b.start();
        await(() -> lifecycle.models().stream().anyMatch(m -> m.version().equals("1.1.0")), "the gate to see "
                + jar.getFileName());
        ModelStatus s = lifecycle.models().stream().filter(m -> m.version().equals("1.1.0")).findFirst()
                .orElseThrow();
        assertThat(s.status()).isEqualTo(GateStatus.QUARANTINED);
        assertThat(s.reason()).contains(reason);
        List<AuditEntry> e = trail.entriesFor("model", MODEL + ":1.1.0");
        assertThat(e.size()).isGreaterThan(audits);
        assertThat(e.get(e.size() - 1).event().action()).isEqualTo("model.quarantine");
        assertThat(e.get(e.size() - 1).event().reason()).contains(reason);
        assertThatThrownBy(() -> lifecycle.activate("BR-103", "1.1.0", "qa1", "qa1-secret".toCharArray(), "try"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quarantined");
        for (Twin t : twins.values()) {
            assertThat(t.activeModel()).contains(MODEL + ":1.0.0");
            assertThat(t.availableModelVersions()).containsExactly("1.0.0");
        }
        // the gate offers no approved service of it (the system bundle, exempt from the guard, sees all services)
        ServiceReference<?>[] offers = ctx.getServiceReferences(KineticModel.class.getName(),
                "(&(biotwin.model.version=1.1.0)(biotwin.model.approved=true))");
        for (ServiceReference<?> r : offers == null ? new ServiceReference<?>[0] : offers) {
            assertThat(r.getBundle().getSymbolicName()).isNotEqualTo("org.biotwin.lifecycle");
        }
        b.uninstall();
        await(() -> lifecycle.models().size() == 1, "the gate to forget " + jar.getFileName());
    }

    // ------------------------------------------------------------------------------------------------ framework

    private static Framework start() throws Exception {
        return start(true);
    }

    /** Starts Felix on {@code it.work}; clean: a new storage with every bundle installed and started. */
    private static Framework start(boolean clean) throws Exception {
        Path work = Path.of(System.getProperty("it.work"));
        if (clean && Files.exists(work)) {
            try (Stream<Path> s = Files.walk(work)) {
                s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
        Map<String, String> cfg = new HashMap<>();
        cfg.put(Constants.FRAMEWORK_STORAGE, work.resolve("felix").toString());
        if (clean) {
            cfg.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        }
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            httpPort = free.getLocalPort();
        }
        cfg.put("org.osgi.service.http.port", Integer.toString(httpPort));
        cfg.put("org.apache.felix.http.host", "127.0.0.1");
        // The test shares the API classes with the framework, so that it can call the services directly.
        cfg.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, apiExports() + ",org.osgi.service.cm;version=1.6.0");
        Framework fw = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(cfg);
        fw.start();
        if (!clean) {
            return fw; // the bundles and their states come back from the framework storage
        }
        BundleContext ctx = fw.getBundleContext();
        List<Bundle> bundles = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("it.bundles")))) {
            for (Path p : s.sorted().toList()) {
                bundles.add(ctx.installBundle(p.toUri().toString()));
            }
        }
        bundles.add(ctx.installBundle(new File(System.getProperty("lifecycle.bundle")).toURI().toString()));
        for (Bundle b : bundles) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
        return fw;
    }

    static String apiExports() throws Exception {
        Path where = Path.of(ModelLifecycle.class.getProtectionDomain().getCodeSource().getLocation().toURI());
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
        return mf.getMainAttributes().getValue("Export-Package");
    }

    private static void configure(BundleContext ctx) throws Exception {
        ConfigurationAdmin ca = service(ctx, ConfigurationAdmin.class);
        Dictionary<String, Object> sig = new Hashtable<>();
        sig.put("users", new String[] {
            "qa1|Quentin QA|qa|" + PasswordHasher.hash("qa1-secret".toCharArray(), 210_000),
            "qa2|Qiana QA|qa|" + PasswordHasher.hash("qa2-secret".toCharArray(), 210_000),
            "qa9|Quincy Contractor|qa|" + PasswordHasher.hash("qa9-secret".toCharArray(), 210_000)});
        sig.put("meaningRoles", new String[] {"REVIEWED=qa", "APPROVED=qa", "ACTIVATED_MODEL=qa"});
        sig.put("requiredSignatures", new String[] {"model:REVIEWED=1", "model:APPROVED=1"});
        ca.getConfiguration("org.biotwin.ebr.signatures", "?").update(sig);
        Dictionary<String, Object> gate = new Hashtable<>();
        gate.put("trustedApprovers", new String[] {"qa1", "qa2"});
        ca.getConfiguration(LifecycleComponent.PID, "?").update(gate);
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

    private static Twin twin(BundleContext ctx, String unit) throws Exception {
        ServiceTracker<Twin, Twin> t = new ServiceTracker<>(ctx, ctx.createFilter("(&(objectClass="
                + Twin.class.getName() + ")(unit=" + unit + "))"), null);
        t.open();
        Twin tw = t.waitForService(20_000);
        assertThat(tw).as("twin " + unit).isNotNull();
        return tw;
    }

    private static SampleListener listener(BundleContext ctx, String unit) throws Exception {
        ServiceTracker<SampleListener, SampleListener> t = new ServiceTracker<>(ctx, ctx.createFilter("(&(objectClass="
                + SampleListener.class.getName() + ")(" + SampleListener.UNITS + "=" + unit + "))"), null);
        t.open();
        SampleListener l = t.waitForService(20_000);
        assertThat(l).as("sample listener of " + unit).isNotNull();
        return l;
    }

    private static <T> T service(BundleContext ctx, Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> t = new ServiceTracker<>(ctx, type, null);
        t.open();
        T s = t.waitForService(20_000);
        assertThat(s).as("service %s", type.getName()).isNotNull();
        return s;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting for " + what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
