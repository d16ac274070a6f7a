package org.biotwin.it.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.karaf.features.FeaturesService;
import org.biotwin.api.model.KineticModel;
import org.biotwin.it.FrameworkChecks;
import org.biotwin.it.FrameworkChecks.BundleStamp;
import org.biotwin.it.HotDeployCheck;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleListener;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A model installed and removed as a Karaf feature, inside Karaf: a consumer sees its {@code KineticModel} come and
 * go, and no other bundle changes. Installed without auto-refresh ({@code feature:install -r}); uninstalled with
 * Karaf's default auto-refresh, which must refresh the removed bundle only. Kept apart from the test class because it names the API types, which the probe
 * can load only once feature {@code biotwin} is installed.
 */
final class ModelFeatureCheck {

    private ModelFeatureCheck() {
    }

    static void run(BundleContext context, FeaturesService features, String modelFeature, String modelBsn,
            String suiteFeature, long waitMs) throws Exception {
        EnumSet<FeaturesService.Option> noRefresh = EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles);
        ServiceTracker<KineticModel, KineticModel> consumer = new ServiceTracker<>(context, KineticModel.class, null);
        List<String> otherBundleEvents = new CopyOnWriteArrayList<>();
        BundleListener otherEvents = e -> {
            if (!modelBsn.equals(e.getBundle().getSymbolicName())) {
                otherBundleEvents.add(e.getBundle().getSymbolicName() + " " + HotDeployCheck.eventName(e.getType()));
            }
        };
        consumer.open();
        try {
            assertEquals("no model before feature:install " + modelFeature, 0, consumer.size());
            Map<Long, BundleStamp> before = FrameworkChecks.stamps(context);
            // A refresh ends with the same ids, states and stamps; only bundle events show it happened.
            context.addBundleListener(otherEvents);

            long t0 = System.nanoTime();
            features.installFeature(modelFeature, noRefresh);
            KineticModel bound = consumer.waitForService(waitMs);
            long boundMs = (System.nanoTime() - t0) / 1_000_000;
            assertNotNull("no KineticModel within " + waitMs + " ms of feature:install " + modelFeature, bound);
            Bundle model = consumer.getServiceReference().getBundle();
            assertEquals(modelBsn, model.getSymbolicName());
            assertEquals(bound.descriptor().id(), consumer.getServiceReference().getProperty(KineticModel.MODEL_ID));
            Map<Long, BundleStamp> afterInstall = FrameworkChecks.stamps(context);
            afterInstall.remove(model.getBundleId());
            FrameworkChecks.assertUnchanged("other bundles after feature:install " + modelFeature, before,
                    afterInstall);

            // Uninstall with Karaf's default auto-refresh: it refreshes the removed bundle, so no stale revision
            // stays behind; nothing is wired to a model bundle, so that refresh must reach no other bundle.
            long t1 = System.nanoTime();
            features.uninstallFeature(modelFeature);
            boolean gone = FrameworkChecks.await(
                    () -> consumer.isEmpty() && model.getState() == Bundle.UNINSTALLED, waitMs);
            long goneMs = (System.nanoTime() - t1) / 1_000_000;
            assertTrue("model still bound or installed after feature:uninstall " + modelFeature + ": bundle "
                    + FrameworkChecks.stateName(model.getState()), gone);
            FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
            assertTrue("the uninstalled model is still pending removal after feature:uninstall " + modelFeature,
                    FrameworkChecks.await(() -> !wiring.getRemovalPendingBundles().contains(model), waitMs));
            FrameworkChecks.assertUnchanged("other bundles after feature:uninstall " + modelFeature, before,
                    FrameworkChecks.stamps(context));
            assertEquals("events of other bundles during feature:install and feature:uninstall " + modelFeature,
                    List.of(), otherBundleEvents);
            assertTrue("feature " + suiteFeature + " was uninstalled with the model",
                    KarafFeatureTest.isInstalled(features, suiteFeature));
            System.out.println("[biotwin-it] karaf: " + bound.descriptor().coordinates() + " (feature " + modelFeature
                    + ") bound " + boundMs + " ms after install, gone " + goneMs + " ms after uninstall; no other"
                    + " bundle touched");
        } finally {
            context.removeBundleListener(otherEvents);
            consumer.close();
        }
    }
}
