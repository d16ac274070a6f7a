package org.biotwin.host;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;

/**
 * Explains, in the host's log, why something does not run, and keeps the host running:
 * <ul>
 * <li>a bundle that does not resolve: each mandatory requirement that no installed bundle can satisfy, by namespace
 * and filter (found with {@link FrameworkWiring#findProviders}, which has no side effect);</li>
 * <li>a Declarative Services component that is not satisfied or failed to activate: the missing configuration PID,
 * the missing reference and its service interface, or the activation failure. Read from the
 * {@code ServiceComponentRuntime} DTOs through reflection, because the launcher does not share the DS API package
 * with the framework.</li>
 * </ul>
 * Checks run every {@value #PERIOD_MS} ms on one daemon thread and log only changes. A component problem is logged
 * once it has lasted {@value #GRACE_CHECKS} checks, so the seconds in which the suite comes up (services and
 * configurations arriving in any order) are not reported as errors; a factory component with no configuration yet is
 * normal (one instance per configuration) and only noted at INFO. Thread-safe: the state is confined to that thread.
 */
final class Diagnostics implements FrameworkListener, AutoCloseable {

    static final long PERIOD_MS = 1000;
    /** Consecutive checks a component problem must last before it is logged. */
    static final int GRACE_CHECKS = 10;
    private static final String FACTORY_WAITING = " has no instance: ";
    private static final String SCR = "org.osgi.service.component.runtime.ServiceComponentRuntime";
    private static final String[] STATE_NAMES = {"", "UNSATISFIED_CONFIGURATION", "UNSATISFIED_REFERENCE", "",
        "SATISFIED"};
    /** isFactoryPid per bundle id, last-modified and PID (diagnostics thread only). */
    private final Map<String, Boolean> factoryPids = new HashMap<>();

    private final BundleContext context;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "biotwin-host-diagnostics");
        t.setDaemon(true);
        return t;
    });
    /** Reported unresolved bundles, as "id@lastModified"; only touched on the timer thread. */
    private final Set<String> reportedBundles = new HashSet<>();
    /** Reported component problems; only touched on the timer thread. */
    private Set<String> reportedComponents = Set.of();
    /** Component problems seen, with the number of consecutive checks; only touched on the timer thread. */
    private Map<String, Integer> seenComponents = Map.of();

    Diagnostics(BundleContext context) {
        this.context = context;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::checkSafely, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.ERROR) {
            Bundle b = event.getBundle();
            Throwable t = event.getThrowable();
            String why = t == null ? "" : ": " + firstLine(t);
            if (t instanceof BundleException be && be.getType() == BundleException.RESOLVE_ERROR && b != null) {
                Log.error("Bundle " + describe(b) + " cannot resolve" + why);
            } else {
                Log.error("Framework error" + (b == null ? "" : " in bundle " + describe(b)) + why);
            }
        } else if (event.getType() == FrameworkEvent.WARNING && event.getThrowable() != null) {
            Log.warn("Framework warning" + (event.getBundle() == null ? "" : " from " + describe(event.getBundle()))
                    + ": " + firstLine(event.getThrowable()));
        }
    }

    /** Runs all checks now on the timer thread and waits for them; used once the host reports it is up. */
    void checkNow() {
        try {
            timer.submit(this::checkSafely).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            Log.warn("Diagnostics did not complete: " + e);
        }
    }

    private void checkSafely() {
        try {
            checkBundles();
            checkComponents();
        } catch (IllegalStateException stopping) {
            // The framework is stopping: nothing left to explain.
        } catch (RuntimeException e) {
            Log.warn("Diagnostics failed: " + e);
        }
    }

    /** Logs each unresolved bundle once per version of it (an update is reported again). */
    private void checkBundles() {
        FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
        for (Bundle b : context.getBundles()) {
            if (b.getState() != Bundle.INSTALLED) {
                continue;
            }
            String key = b.getBundleId() + "@" + b.getLastModified();
            if (!reportedBundles.add(key)) {
                continue;
            }
            List<String> missing = missingRequirements(b, wiring);
            if (missing.isEmpty()) {
                Log.error("Bundle " + describe(b) + " is not resolved, although every requirement has a candidate:"
                        + " a candidate is itself unresolved or a uses constraint conflicts (see the framework error"
                        + " above).");
            } else {
                Log.error("Bundle " + describe(b) + " cannot resolve. Missing: " + String.join("; ", missing)
                        + ". The host keeps running; install a bundle that provides it, or remove this one.");
            }
        }
    }

    /** Mandatory, resolve-time requirements of the bundle that no installed bundle provides. */
    static List<String> missingRequirements(Bundle b, FrameworkWiring wiring) {
        List<String> missing = new ArrayList<>();
        BundleRevision revision = b.adapt(BundleRevision.class);
        if (revision == null) {
            return missing;
        }
        for (Requirement req : revision.getRequirements(null)) {
            String resolution = req.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE);
            String effective = req.getDirectives().get(Namespace.REQUIREMENT_EFFECTIVE_DIRECTIVE);
            if (Namespace.RESOLUTION_OPTIONAL.equals(resolution)
                    || (effective != null && !Namespace.EFFECTIVE_RESOLVE.equals(effective))) {
                continue;
            }
            if (wiring.findProviders(req).isEmpty()) {
                String filter = req.getDirectives().getOrDefault(Namespace.REQUIREMENT_FILTER_DIRECTIVE, "");
                missing.add(req.getNamespace() + " " + filter);
            }
        }
        return missing;
    }

    /** Logs component problems that appeared, and those that went away. */
    private void checkComponents() {
        ServiceReference<?> ref = context.getServiceReference(SCR);
        if (ref == null) {
            return;
        }
        Object scr = context.getService(ref);
        if (scr == null) {
            return;
        }
        Set<String> now = new LinkedHashSet<>();
        try {
            Class<?> api = Reflect.interfaceNamed(scr.getClass(), SCR);
            Method descriptions = api.getMethod("getComponentDescriptionDTOs", Bundle[].class);
            Class<?> descriptionType = null;
            for (Object d : (Collection<?>) descriptions.invoke(scr, (Object) new Bundle[0])) {
                if (descriptionType == null) {
                    descriptionType = d.getClass();
                }
                Method configurations = api.getMethod("getComponentConfigurationDTOs", descriptionType);
                Method enabled = api.getMethod("isComponentEnabled", descriptionType);
                now.addAll(problems(d, (Collection<?>) configurations.invoke(scr, d),
                        (Boolean) enabled.invoke(scr, d), context, factoryPids));
            }
        } catch (ReflectiveOperationException e) {
            Log.warn("Cannot read component states from " + SCR + ": " + e);
            return;
        } finally {
            context.ungetService(ref);
        }
        Map<String, Integer> seen = new HashMap<>();
        Set<String> reported = new LinkedHashSet<>();
        for (String p : now) {
            int checks = seenComponents.getOrDefault(p, 0) + 1;
            seen.put(p, checks);
            // an activation failure is not an ordering effect of start-up: reported at once
            if (reportedComponents.contains(p) || checks >= GRACE_CHECKS || p.contains(" FAILED to activate")) {
                reported.add(p);
                if (!reportedComponents.contains(p)) {
                    if (p.contains(FACTORY_WAITING)) {
                        Log.info(p);
                    } else {
                        Log.error(p);
                    }
                }
            }
        }
        for (String p : reportedComponents) {
            if (!now.contains(p)) {
                Log.info("No longer reported (satisfied, or removed): " + p);
            }
        }
        seenComponents = seen;
        reportedComponents = reported;
    }

    private static List<String> problems(Object description, Collection<?> configurations, boolean enabled,
            BundleContext context, Map<String, Boolean> factoryPids) throws ReflectiveOperationException {
        List<String> out = new ArrayList<>();
        String name = (String) field(description, "name");
        Object bundleDto = field(description, "bundle");
        String where = "Component " + name + " (bundle " + field(bundleDto, "symbolicName") + ")";
        String policy = (String) field(description, "configurationPolicy");
        String pids = String.join(", ", (String[]) field(description, "configurationPid"));
        if (enabled && configurations.isEmpty() && "require".equals(policy)) {
            Bundle bundle = context.getBundle((Long) field(bundleDto, "id"));
            // Reading a bundle's metatype every second cost the host's diagnostics thread ~1 us per ingested sample
            // under load: the answer is kept per bundle revision.
            String key = bundle == null ? "" : bundle.getBundleId() + ":" + bundle.getLastModified() + ":" + pids;
            if (factoryPids.computeIfAbsent(key, k -> isFactoryPid(bundle, pids))) {
                out.add(where + FACTORY_WAITING + "one is created per factory configuration of " + pids
                        + " (none configured)");
            } else {
                out.add(where + " waits for its required configuration, PID " + pids
                        + ": create it in ConfigAdmin or drop " + pids + ".cfg into the deploy folder");
            }
        }
        for (Object c : configurations) {
            int state = (Integer) field(c, "state");
            if (state == 1) {
                out.add(where + " waits for its required configuration, PID " + pids
                        + ": create it in ConfigAdmin or drop " + pids + ".cfg into the deploy folder");
            } else if (state == 2) {
                Object unsatisfied = field(c, "unsatisfiedReferences");
                for (int i = 0; i < Array.getLength(unsatisfied); i++) {
                    Object u = Array.get(unsatisfied, i);
                    String ref = (String) field(u, "name");
                    String target = (String) field(u, "target");
                    out.add(where + " is " + STATE_NAMES[2] + ": reference '" + ref + "' needs a service "
                            + interfaceOf(description, ref) + (target == null ? "" : " matching " + target)
                            + " and none is registered");
                }
            } else if (state == 16) {
                String failure = (String) field(c, "failure");
                out.add(where + " FAILED to activate: " + (failure == null ? "(no detail)" : rootCause(failure)));
            }
        }
        return out;
    }

    /** Whether the bundle's metatype designates {@code pid} as a factory PID. */
    static boolean isFactoryPid(Bundle bundle, String pid) {
        if (bundle == null) {
            return false;
        }
        java.util.Enumeration<java.net.URL> e = bundle.findEntries("OSGI-INF/metatype", "*.xml", false);
        while (e != null && e.hasMoreElements()) {
            try (java.io.InputStream in = e.nextElement().openStream()) {
                if (new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                        .contains("factoryPid=\"" + pid + "\"")) {
                    return true;
                }
            } catch (java.io.IOException ex) {
                return false;
            }
        }
        return false;
    }

    private static String interfaceOf(Object description, String reference) throws ReflectiveOperationException {
        Object refs = field(description, "references");
        for (int i = 0; i < Array.getLength(refs); i++) {
            Object r = Array.get(refs, i);
            if (reference.equals(field(r, "name"))) {
                return (String) field(r, "interfaceName");
            }
        }
        return "?";
    }

    private static Object field(Object dto, String name) throws ReflectiveOperationException {
        Field f = dto.getClass().getField(name);
        return f.get(dto);
    }


    static String describe(Bundle b) {
        return b.getSymbolicName() + " " + b.getVersion() + " [" + b.getBundleId() + "] (" + b.getLocation() + ")";
    }

    private static String firstLine(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + ": " + (m == null ? "" : firstLine(m));
    }

    /** SCR reports a failure as a stack trace; the deepest "Caused by:" line says what was wrong. */
    static String rootCause(String stackTrace) {
        String cause = firstLine(stackTrace);
        for (String line : stackTrace.split("\\R")) {
            if (line.startsWith("Caused by: ")) {
                cause = line.substring("Caused by: ".length());
            }
        }
        return cause;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
