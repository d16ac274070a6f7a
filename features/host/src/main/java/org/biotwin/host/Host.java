package org.biotwin.host;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleRevision;

/**
 * The reference host: it stands in for an MES host built on Apache Felix.
 * <p>
 * Start-up, in order: embedded servers ({@link EmbeddedServer}: MQTT broker, QuestDB) → reference deployment
 * ({@link ReferenceDeploy}, when {@code biotwin.reference.deploy=true}) → framework {@code init()} with
 * persistent storage → install the bundle set ({@code bundles.properties} + {@code host-bundles.properties}) with
 * start levels, updating jars that changed and removing bundles no longer in the set → {@code start()} → wait for
 * the beginning start level → report every bundle's state, the start-up time and the heap. FileInstall (start level
 * 6, the last) then installs whatever is in the deploy folder. Shut-down, from {@code stop 0}, {@code exit} in the
 * console, Ctrl-C or SIGTERM: framework first, then servers in reverse order.
 * <p>
 * A bundle that fails to resolve or start, or a component that is not satisfied, is logged with what is missing
 * ({@link Diagnostics}); the host keeps running.
 */
public final class Host {

    /** Framework start level once up; FileInstall and everything it deploys run at this level. */
    static final int RUN_LEVEL = 6;

    /** Host property: copy {@code reference/} (configurations, model) into the deploy folder on start. */
    public static final String REFERENCE_DEPLOY = "biotwin.reference.deploy";

    private final HostConfig config;
    private final List<EmbeddedServer> servers = new ArrayList<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private Framework framework;
    private Diagnostics diagnostics;
    private ShellPort shellPort;

    public Host(HostConfig config) {
        this.config = config;
    }

    /** Starts everything; returns once the framework has reached its start level. */
    public void start() throws Exception {
        // InvalidSyntaxException cannot happen: the service filter below is a constant.
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        Map<String, String> properties = frameworkProperties();
        startServers(properties);

        Files.createDirectories(config.deployDir());
        List<String> deployedNow = List.of();
        if (config.flag(REFERENCE_DEPLOY, false)) {
            deployedNow = ReferenceDeploy.install(config.home().resolve("reference"), config.deployDir(),
                    config.dataDir(), properties);
        }
        Files.createDirectories(config.storageDir());
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("No OSGi framework on the class path (lib/)"));
        framework = factory.newFramework(properties);
        framework.init();
        BundleContext context = framework.getBundleContext();
        diagnostics = new Diagnostics(context);
        CountDownLatch started = new CountDownLatch(1);
        context.addFrameworkListener(diagnostics);
        // Print Log Service entries from the moment the Log Service registers, before SCR and FileInstall start.
        context.addServiceListener(e -> {
            if (e.getType() == ServiceEvent.REGISTERED) {
                LogConsole.attach(context);
            }
        }, "(objectClass=org.osgi.service.log.LogReaderService)");
        context.addFrameworkListener(e -> {
            if (e.getType() == FrameworkEvent.STARTED) {
                started.countDown();
            }
        });

        // Report what FileInstall does with the deploy folder, in the host's own words.
        String deployPath = config.deployDir().toString();
        context.addBundleListener(e -> {
            Bundle b = e.getBundle();
            if (!b.getLocation().contains(deployPath)) {
                return;
            }
            String what = switch (e.getType()) {
                case BundleEvent.INSTALLED -> "installed";
                case BundleEvent.STARTED -> "ACTIVE";
                case BundleEvent.UPDATED -> "updated";
                case BundleEvent.UNINSTALLED -> "uninstalled";
                default -> null;
            };
            if (what != null) {
                Log.info("Deploy: " + b.getSymbolicName() + " " + b.getVersion() + " [" + b.getBundleId() + "] "
                        + what + " (" + b.getLocation() + ")");
            }
        });

        long installStart = System.currentTimeMillis();
        List<Bundle> installed = installBundleSet(context);
        long frameworkStart = System.currentTimeMillis();
        framework.start();
        if (!started.await(120, TimeUnit.SECONDS)) {
            Log.warn("The framework did not reach start level " + RUN_LEVEL + " within 120 s; continuing");
        }
        long up = System.currentTimeMillis();
        diagnostics.start();
        report(context, installed, jvmStart, installStart, frameworkStart, up);
        startShellPort(context);
        String demoModels = config.extra().getOrDefault(DemoApprovals.MODELS, "");
        if (!demoModels.isBlank() && deployedNow.stream().anyMatch(f -> f.endsWith(".jar"))) {
            // first start of the demo: its QA users approve the shipped validated model through the gate
            new DemoApprovals(context, demoModels, config.extra().getOrDefault(DemoApprovals.APPROVERS, ""))
                    .start();
        }
    }

    /** Blocks until the framework has stopped, then stops the servers. */
    public void awaitStop() throws InterruptedException {
        framework.waitForStop(0);
        stop();
    }

    /** Stops the framework, then the embedded servers. Idempotent; safe from a shutdown hook. */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        if (shellPort != null) {
            shellPort.close();
        }
        if (framework != null) {
            try {
                if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
                    Log.info("Stopping the framework");
                    framework.stop();
                }
                FrameworkEvent e = framework.waitForStop(30_000);
                if (e.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                    Log.warn("The framework did not stop within 30 s");
                }
            } catch (BundleException | InterruptedException e) {
                Log.error("Stopping the framework: " + e);
            }
        }
        if (diagnostics != null) {
            diagnostics.close();
        }
        for (int i = servers.size() - 1; i >= 0; i--) {
            EmbeddedServer s = servers.get(i);
            try {
                s.stop();
                Log.info("Stopped embedded server " + s.name());
            } catch (Exception e) {
                Log.error("Stopping embedded server " + s.name() + ": " + e);
            }
        }
        Log.info("BioTwin host stopped");
    }

    Framework framework() {
        return framework;
    }

    /** The running embedded server of that name (tests stop and restart servers under a live framework). */
    EmbeddedServer server(String name) {
        return servers.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No running embedded server " + name));
    }

    /** The bound command port, or -1 when it is off. */
    int shellPort() {
        return shellPort == null ? -1 : shellPort.port();
    }

    Map<String, String> frameworkProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(Constants.FRAMEWORK_STORAGE, config.storageDir().toString());
        if (config.cleanStorage()) {
            p.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        }
        p.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(RUN_LEVEL));
        // Bundles installed later without a start level (FileInstall's) run at the top level.
        p.put("felix.startlevel.bundle", Integer.toString(RUN_LEVEL));
        p.put("felix.log.level", "1");
        // Felix HTTP (Jetty 12): loopback by default.
        p.put("org.apache.felix.http.host", config.httpHost());
        p.put("org.osgi.service.http.port", Integer.toString(config.httpPort()));
        p.put("org.apache.felix.http.enable", "true");
        // FileInstall: poll deploy/, start what it installs, and refresh only bundles it manages itself, never the
        // suite. Configurations (*.cfg, *.config) dropped there go to ConfigAdmin.
        p.put("felix.fileinstall.dir", config.deployDir().toString());
        p.put("felix.fileinstall.poll", Integer.toString(config.pollMillis()));
        p.put("felix.fileinstall.noInitialDelay", "true");
        p.put("felix.fileinstall.bundles.new.start", "true");
        p.put("felix.fileinstall.optionalImportRefreshScope", "managed");
        p.put("felix.fileinstall.fragmentScope", "managed");
        p.put("felix.fileinstall.log.level", "3");
        // The files in deploy/ are the controlled source of the configuration: FileInstall reads them and never
        // writes them back. With write-back on, a configuration event during start-up had FileInstall rewrite a
        // file empty, and then apply the empty file (demo users and a bioreactor lost their configuration).
        p.put("felix.fileinstall.enableConfigSave", "false");
        // SCR logs warnings and errors (missing configuration, activation failures) to the console.
        p.put("ds.loglevel", "warn");
        // Gogo: without a console, --nointeractive keeps the shell from reading stdin (and from stopping the
        // framework at end of input); --noshutdown stops 'exit' in an interactive console from killing the host.
        p.put("gosh.args", config.interactive() ? "--noshutdown" : "--nointeractive");
        p.put("biotwin.home", config.home().toString());
        p.put("biotwin.deploy.dir", config.deployDir().toString());
        p.putAll(config.extra());
        // Absolute, so that configurations can use ${biotwin.data.dir} whatever the working directory.
        p.put(HostConfig.DATA_DIR, config.dataDir().toString());
        return p;
    }

    private void startServers(Map<String, String> properties) throws Exception {
        List<EmbeddedServer> found = new ArrayList<>();
        ServiceLoader.load(EmbeddedServer.class).forEach(found::add);
        found.sort(Comparator.comparingInt(EmbeddedServer::order));
        for (EmbeddedServer s : found) {
            if (!s.enabled(config)) {
                Log.info("Embedded server " + s.name() + " is disabled by configuration");
                continue;
            }
            long t0 = System.currentTimeMillis();
            try {
                Map<String, String> contributed = s.start(config);
                servers.add(s);
                properties.putAll(contributed);
                Log.info("Embedded server " + s.name() + " started in " + (System.currentTimeMillis() - t0) + " ms "
                        + contributed);
            } catch (Exception e) {
                Log.error("Embedded server " + s.name() + " failed to start: " + e);
                stop();
                throw e;
            }
        }
    }

    /** Installs the bundle set; returns the bundles it manages, in list order. */
    private List<Bundle> installBundleSet(BundleContext context) throws IOException {
        Path bundlesDir = config.home().resolve("bundles");
        List<BundleList.Entry> entries = new ArrayList<>();
        for (String list : List.of("bundles.properties", "host-bundles.properties")) {
            Path file = config.home().resolve(list);
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("Bundle list " + file + " is missing: is this a built host"
                        + " (features/host/target/biotwin-host)?");
            }
            entries.addAll(BundleList.read(file).entries());
        }
        Map<String, Bundle> byLocation = new HashMap<>();
        for (Bundle b : context.getBundles()) {
            byLocation.put(b.getLocation(), b);
        }
        Set<String> wanted = new HashSet<>();
        List<Bundle> managed = new ArrayList<>();
        for (BundleList.Entry e : entries) {
            Path jar = bundlesDir.resolve(e.file());
            String location = jar.toUri().toString();
            wanted.add(location);
            if (!Files.isRegularFile(jar)) {
                Log.error("Bundle " + e.file() + " is listed but missing from " + bundlesDir + "; skipped");
                continue;
            }
            try {
                Bundle b = byLocation.get(location);
                if (b == null) {
                    b = context.installBundle(location);
                } else if (Files.getLastModifiedTime(jar).toMillis() > b.getLastModified()) {
                    Log.info("Updating " + e.file() + " (the jar changed since the last run)");
                    b.update();
                }
                boolean fragment = (b.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
                if (!fragment) {
                    b.adapt(BundleStartLevel.class).setStartLevel(e.startLevel());
                    b.start();
                }
                managed.add(b);
            } catch (BundleException ex) {
                Log.error("Cannot install " + e.file() + ": " + ex.getMessage() + "; the host continues without it");
            }
        }
        // A bundle that left the set (its jar renamed on upgrade) is uninstalled; deploy/ bundles are not ours.
        String setPrefix = bundlesDir.toUri().toString();
        for (Bundle b : context.getBundles()) {
            if (b.getLocation().startsWith(setPrefix) && !wanted.contains(b.getLocation())) {
                try {
                    Log.info("Uninstalling " + b.getLocation() + ": no longer in the bundle set");
                    b.uninstall();
                } catch (BundleException ex) {
                    Log.warn("Cannot uninstall " + b.getLocation() + ": " + ex.getMessage());
                }
            }
        }
        return managed;
    }

    private void report(BundleContext context, List<Bundle> managed, long jvmStart, long installStart,
            long frameworkStart, long up) {
        int active = 0, fragments = 0;
        List<Bundle> notActive = new ArrayList<>();
        for (Bundle b : managed) {
            boolean fragment = (b.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
            if (fragment) {
                fragments++;
            } else if (b.getState() == Bundle.ACTIVE) {
                active++;
            } else {
                notActive.add(b);
            }
        }
        diagnostics.checkNow();
        for (Bundle b : notActive) {
            Log.error("Bundle " + Diagnostics.describe(b) + " is " + stateName(b.getState()) + ", not ACTIVE");
        }
        System.gc();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        Log.info(String.format("BioTwin host up in %d ms from JVM start (bundle install %d ms, framework start %d ms):"
                + " %d of %d bundles ACTIVE, %d fragment(s) attached; heap after GC %.1f MiB used, %.1f MiB committed",
                up - jvmStart, frameworkStart - installStart, up - frameworkStart, active, managed.size() - fragments,
                fragments, heap.getUsed() / 1048576.0, heap.getCommitted() / 1048576.0));
        ServiceReference<?> http = context.getServiceReference("org.osgi.service.http.runtime.HttpServiceRuntime");
        Object endpoint = http == null ? null : http.getProperty("osgi.http.endpoint");
        if (endpoint == null) {
            Log.warn("No HTTP Whiteboard runtime is registered");
        } else {
            Log.info("HTTP Whiteboard: " + (endpoint instanceof Object[] a ? String.join(", ",
                    java.util.Arrays.stream(a).map(String::valueOf).toList()) : endpoint.toString()));
        }
        Log.info("Deploy folder (models, *.cfg): " + config.deployDir() + " (polled every " + config.pollMillis()
                + " ms)");
        Log.info("Framework storage: " + config.storageDir());
    }

    private void startShellPort(BundleContext context) {
        if (config.shellPort() < 0) {
            return;
        }
        try {
            shellPort = new ShellPort(context, config.shellPort());
            shellPort.start();
            Log.info("Gogo command port on 127.0.0.1:" + shellPort.port() + " (loopback only, no authentication):"
                    + " ./biotwin shell lb");
        } catch (IOException e) {
            Log.error("Cannot open the Gogo command port 127.0.0.1:" + config.shellPort() + ": " + e.getMessage()
                    + "; the host runs without it");
        }
    }

    static String stateName(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED (not resolved)";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            default -> "state " + state;
        };
    }
}
