package org.biotwin.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.biotwin.api.model.KineticModel;
import org.biotwin.it.FrameworkChecks.BundleStamp;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The hot-deploy check shared by every host (Felix, Equinox, Karaf), run inside the framework: copy a model jar into
 * the folder FileInstall watches, see its {@code KineticModel} appear to a consumer (a ServiceTracker, as the
 * engine's dynamic reference would), delete the jar, see the service go and the bundle uninstalled; meanwhile no
 * other bundle is refreshed, restarted or updated, and the framework is not restarted.
 */
public final class HotDeployCheck {

    /** What was measured, ms from the file operation to the consumer seeing the change. */
    public record Latencies(String model, long boundMs, long goneMs) {
    }

    private HotDeployCheck() {
    }

    /**
     * Runs deploy then undeploy and asserts every step; leaves {@code deploy} as it found it.
     *
     * @param label names the host in the printed figures
     * @param waitMs bound on each wait for FileInstall
     */
    public static Latencies run(BundleContext context, Path modelJar, Path deploy, String label, long waitMs)
            throws Exception {
        Path dropped = deploy.resolve(modelJar.getFileName());
        String jarName = modelJar.getFileName().toString();
        String frameworkUuid = context.getProperty(Constants.FRAMEWORK_UUID);
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_ID);

        List<String> otherBundleEvents = new CopyOnWriteArrayList<>();
        List<String> frameworkEvents = new CopyOnWriteArrayList<>();
        BundleListener bundles = e -> {
            if (!e.getBundle().getLocation().contains(jarName)) {
                otherBundleEvents.add(e.getBundle().getSymbolicName() + " " + eventName(e.getType()));
            }
        };
        FrameworkListener framework = e -> {
            if (e.getType() == FrameworkEvent.STARTED || e.getType() == FrameworkEvent.STOPPED_UPDATE
                    || e.getType() == FrameworkEvent.STOPPED) {
                frameworkEvents.add("framework event " + e.getType());
            }
        };
        ServiceTracker<KineticModel, KineticModel> consumer = new ServiceTracker<>(context, KineticModel.class, null);
        context.addBundleListener(bundles);
        context.addFrameworkListener(framework);
        consumer.open();
        try {
            assertEquals("no model before the deploy", 0, consumer.size());
            Map<Long, BundleStamp> before = FrameworkChecks.stamps(context);

            // Deploy: copy to a temporary name first so FileInstall never sees a half-written jar.
            long t0 = System.nanoTime();
            Path tmp = deploy.resolve(jarName + ".part");
            Files.copy(modelJar, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, dropped, StandardCopyOption.ATOMIC_MOVE);
            KineticModel bound = consumer.waitForService(waitMs);
            long boundMs = (System.nanoTime() - t0) / 1_000_000;
            assertNotNull("no KineticModel service within " + waitMs + " ms of copying " + jarName + " into "
                    + deploy, bound);
            ServiceReference<KineticModel> ref = consumer.getServiceReference();
            Bundle deployed = ref.getBundle();
            assertEquals(Bundle.ACTIVE, deployed.getState());
            assertTrue("deployed from " + deployed.getLocation(), deployed.getLocation().contains(jarName));
            // The consumer really uses it: the descriptor matches the service properties.
            assertEquals(bound.descriptor().id(), ref.getProperty(KineticModel.MODEL_ID));
            assertEquals(bound.descriptor().version(), ref.getProperty(KineticModel.MODEL_VERSION));
            String model = bound.descriptor().coordinates();
            System.out.println("[biotwin-it] " + label + ": " + model + " from " + deployed.getSymbolicName()
                    + " bound " + boundMs + " ms after the copy");

            Map<Long, BundleStamp> afterDeploy = FrameworkChecks.stamps(context);
            afterDeploy.remove(deployed.getBundleId());
            FrameworkChecks.assertUnchanged("other bundles after the deploy", before, afterDeploy);

            // Undeploy.
            long t1 = System.nanoTime();
            Files.delete(dropped);
            boolean gone = FrameworkChecks.await(
                    () -> consumer.isEmpty() && deployed.getState() == Bundle.UNINSTALLED, waitMs);
            long goneMs = (System.nanoTime() - t1) / 1_000_000;
            assertTrue("model still bound or its bundle still installed " + waitMs + " ms after deleting " + dropped
                    + ": services " + consumer.size() + ", bundle " + FrameworkChecks.stateName(deployed.getState()),
                    gone);
            // FileInstall refreshes what it uninstalled: no stale revision (and its classes) stays behind, which
            // matters in a host that swaps models for months.
            FrameworkWiring wiring = system.adapt(FrameworkWiring.class);
            assertTrue("the undeployed model is still pending removal " + waitMs + " ms after the delete",
                    FrameworkChecks.await(() -> !wiring.getRemovalPendingBundles().contains(deployed), waitMs));
            System.out.println("[biotwin-it] " + label + ": model unbound and bundle uninstalled " + goneMs
                    + " ms after the delete");

            FrameworkChecks.assertUnchanged("other bundles after the undeploy", before, FrameworkChecks.stamps(context));
            assertEquals("events of other bundles during deploy and undeploy", List.of(), otherBundleEvents);
            assertEquals("framework restarts", List.of(), frameworkEvents);
            assertEquals("framework UUID (a new one means a restart)", frameworkUuid,
                    context.getProperty(Constants.FRAMEWORK_UUID));
            assertEquals(Bundle.ACTIVE, system.getState());
            return new Latencies(model, boundMs, goneMs);
        } finally {
            consumer.close();
            context.removeFrameworkListener(framework);
            context.removeBundleListener(bundles);
            Files.deleteIfExists(dropped);
        }
    }

    public static String eventName(int type) {
        return switch (type) {
            case BundleEvent.INSTALLED -> "INSTALLED";
            case BundleEvent.RESOLVED -> "RESOLVED";
            case BundleEvent.STARTING -> "STARTING";
            case BundleEvent.STARTED -> "STARTED";
            case BundleEvent.STOPPING -> "STOPPING";
            case BundleEvent.STOPPED -> "STOPPED";
            case BundleEvent.UPDATED -> "UPDATED";
            case BundleEvent.UNRESOLVED -> "UNRESOLVED";
            case BundleEvent.UNINSTALLED -> "UNINSTALLED";
            case BundleEvent.LAZY_ACTIVATION -> "LAZY_ACTIVATION";
            default -> "event " + type;
        };
    }
}
