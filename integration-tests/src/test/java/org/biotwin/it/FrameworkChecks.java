package org.biotwin.it;

import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * Assertions run inside the framework (Felix, Equinox or Karaf): bundle states, DS component states, snapshots of
 * bundle identity, and bounded waits.
 */
public final class FrameworkChecks {

    private FrameworkChecks() {
    }

    /** Identity of an installed bundle; equal snapshots mean it was neither reinstalled, updated nor restarted. */
    public record BundleStamp(long id, String symbolicName, String version, int state, long lastModified) {
        static BundleStamp of(Bundle b) {
            // Equinox moves the system bundle's stamp on every install anywhere (it is the module database's
            // timestamp), so it says nothing about the system bundle; a restart shows in the framework UUID instead.
            long stamp = b.getBundleId() == org.osgi.framework.Constants.SYSTEM_BUNDLE_ID ? 0 : b.getLastModified();
            return new BundleStamp(b.getBundleId(), b.getSymbolicName(), String.valueOf(b.getVersion()), b.getState(),
                    stamp);
        }
    }

    /** Stamps of every installed bundle, by bundle id. */
    public static Map<Long, BundleStamp> stamps(BundleContext context) {
        Map<Long, BundleStamp> m = new LinkedHashMap<>();
        for (Bundle b : context.getBundles()) {
            m.put(b.getBundleId(), BundleStamp.of(b));
        }
        return m;
    }

    /** Fails listing only the bundles whose stamp changed, appeared or vanished between the two snapshots. */
    public static void assertUnchanged(String what, Map<Long, BundleStamp> before, Map<Long, BundleStamp> after) {
        List<String> changed = new ArrayList<>();
        java.util.Set<Long> ids = new java.util.TreeSet<>(before.keySet());
        ids.addAll(after.keySet());
        for (Long id : ids) {
            if (!java.util.Objects.equals(before.get(id), after.get(id))) {
                changed.add(before.get(id) + " -> " + after.get(id));
            }
        }
        if (!changed.isEmpty()) {
            fail(what + " changed:\n  " + String.join("\n  ", changed));
        }
    }

    public static boolean isFragment(Bundle b) {
        BundleRevision r = b.adapt(BundleRevision.class);
        return r != null && (r.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }

    public static String stateName(int state) {
        return switch (state) {
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "state " + state;
        };
    }

    /** Bundles that are not ACTIVE (or, for fragments, not RESOLVED), as readable lines. Empty when all are fine. */
    public static List<String> bundlesNotActive(BundleContext context, Predicate<Bundle> scope) {
        List<String> bad = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (!scope.test(b)) {
                continue;
            }
            int expected = isFragment(b) ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (b.getState() != expected) {
                bad.add(b.getSymbolicName() + " " + b.getVersion() + " [" + b.getBundleId() + "] is "
                        + stateName(b.getState()) + ", expected " + stateName(expected) + " (" + b.getLocation() + ")");
            }
        }
        return bad;
    }

    /**
     * DS components of bundles in {@code scope} that are not satisfied or active, each with the reason: the names
     * and targets of its unsatisfied references, a missing required configuration, or the activation failure.
     */
    public static List<String> componentsNotSatisfied(ServiceComponentRuntime scr, Predicate<Bundle> scope,
            BundleContext context) {
        List<String> bad = new ArrayList<>();
        Bundle[] bundles = Arrays.stream(context.getBundles()).filter(scope).toArray(Bundle[]::new);
        if (bundles.length == 0) {
            return bad;
        }
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(bundles)) {
            if (!scr.isComponentEnabled(d)) {
                continue; // disabled on purpose (enabled=false); not a failure
            }
            String who = d.name + " in " + d.bundle.symbolicName;
            var configs = scr.getComponentConfigurationDTOs(d);
            if (configs.isEmpty() && "require".equals(d.configurationPolicy)
                    && isFactoryTemplate(context.getBundle(d.bundle.id), d.configurationPid)) {
                // one instance per factory configuration (a twin per unit, a connection per broker): with none
                // configured the component correctly waits; the host or integrator creates the instances
                continue;
            }
            if (configs.isEmpty()) {
                bad.add(who + ": no configuration"
                        + ("require".equals(d.configurationPolicy) ? " (configuration-policy=require, PID "
                                + String.join(",", d.configurationPid) + " has none)" : ""));
                continue;
            }
            for (ComponentConfigurationDTO c : configs) {
                switch (c.state) {
                    case ComponentConfigurationDTO.ACTIVE, ComponentConfigurationDTO.SATISFIED -> {
                    }
                    case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> bad.add(who + ": unsatisfied references "
                            + Arrays.stream(c.unsatisfiedReferences).map(FrameworkChecks::describe)
                                    .collect(Collectors.joining(", ")));
                    case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> bad.add(who
                            + ": missing required configuration PID " + String.join(",", d.configurationPid));
                    case ComponentConfigurationDTO.FAILED_ACTIVATION -> bad.add(who + ": activation failed: "
                            + c.failure);
                    default -> bad.add(who + ": state " + c.state);
                }
            }
        }
        return bad;
    }

    /** Whether the bundle's metatype designates all of these PIDs as factory PIDs. */
    static boolean isFactoryTemplate(Bundle bundle, String[] pids) {
        if (bundle == null || pids.length == 0) {
            return false;
        }
        java.util.Enumeration<java.net.URL> e = bundle.findEntries("OSGI-INF/metatype", "*.xml", false);
        StringBuilder all = new StringBuilder();
        while (e != null && e.hasMoreElements()) {
            try (java.io.InputStream in = e.nextElement().openStream()) {
                all.append(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            } catch (java.io.IOException ex) {
                return false;
            }
        }
        return Arrays.stream(pids).allMatch(pid -> all.indexOf("factoryPid=\"" + pid + "\"") >= 0);
    }

    /**
     * Waits for SCR (up to {@code timeoutMs}) and then for every enabled component of the bundles in {@code scope} to
     * be satisfied; fails naming each one that is not, and why. Returns the number of component descriptions seen.
     * Lets a caller check components without naming the DS runtime types itself (in Karaf they appear only once
     * feature scr is installed, after the probe is loaded).
     */
    public static int assertComponentsSatisfied(String what, BundleContext context, Predicate<Bundle> scope,
            long timeoutMs) throws InterruptedException {
        org.osgi.util.tracker.ServiceTracker<ServiceComponentRuntime, ServiceComponentRuntime> tracker =
                new org.osgi.util.tracker.ServiceTracker<>(context, ServiceComponentRuntime.class, null);
        tracker.open();
        try {
            ServiceComponentRuntime scr = tracker.waitForService(timeoutMs);
            if (scr == null) {
                fail(what + ": no ServiceComponentRuntime (no DS runtime) within " + timeoutMs + " ms");
            }
            assertEventuallyNone(what, () -> componentsNotSatisfied(scr, scope, context), timeoutMs);
            return scr.getComponentDescriptionDTOs().size();
        } finally {
            tracker.close();
        }
    }

    private static String describe(UnsatisfiedReferenceDTO r) {
        return r.name + (r.target == null ? "" : " (target " + r.target + ")");
    }

    /** Polls {@code condition} every 50 ms until it holds or {@code timeoutMs} passed; bounded in time and count. */
    public static boolean await(BooleanSupplier condition, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        int maxPolls = (int) (timeoutMs / 50) + 1;
        for (int i = 0; i < maxPolls; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    /** Waits up to {@code timeoutMs} for an empty problem list, then fails listing whatever is still wrong. */
    public static void assertEventuallyNone(String what, java.util.function.Supplier<List<String>> problems,
            long timeoutMs) throws InterruptedException {
        await(() -> problems.get().isEmpty(), timeoutMs);
        List<String> left = problems.get();
        if (!left.isEmpty()) {
            fail(what + ":\n  " + String.join("\n  ", left));
        }
    }
}
