package org.biotwin.it.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.apache.karaf.features.BundleInfo;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.biotwin.it.FrameworkChecks;
import org.biotwin.it.FrameworkChecks.BundleStamp;
import org.biotwin.it.HotDeployCheck;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleListener;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The suite in Apache Karaf 4.4, installed as an integrator does: {@code feature:repo-add} of the BioTwin feature
 * repository and {@code feature:install biotwin} (through the injected {@link FeaturesService}), then every bundle
 * ACTIVE and every DS component satisfied, then the model hot-deployed through Karaf's {@code deploy/} folder and,
 * separately, installed and removed as feature {@code biotwin-model-monod}: neither touches any other bundle. Last,
 * Karaf's own log holds no ERROR entry from its start to the end of the tests.
 * <p>
 * One Karaf per class (start-up takes several seconds); the methods run in name order and build on each other, each
 * installing the suite itself if an earlier one did not (so one method can run alone with {@code -Dtest=...#name}).
 * <p>
 * Where Karaf finds things: the feature repository and every bundle it names come from {@code target/it-repo}, a
 * Maven-layout file repository that this build assembles from the jars it resolved (first in
 * {@code org.ops4j.pax.url.mvn.defaultRepositories}, so a stale copy in {@code ~/.m2} never wins); Karaf's own
 * features (scr, http-whiteboard) from its {@code system/} folder, {@code ~/.m2} or Maven Central.
 * <p>
 * Features are installed with {@link FeaturesService.Option#NoAutoRefreshBundles}: a refresh cascade (Karaf
 * re-wiring bundles that optionally import something new) would restart bundles in a running plant; with the option
 * Karaf refreshes nothing, and the tests check that no bundle that was already there changed.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class KarafFeatureTest {

    static final String FEATURES_REPO = "biotwin.it.featuresRepo";
    static final String IT_REPO = "biotwin.it.repo";
    static final String MODEL_JAR = "biotwin.it.hotDeployJar";
    static final String KARAF_LOG = "biotwin.it.karafLog";
    static final String SUITE_FEATURE = "biotwin";
    static final String MODEL_FEATURE = "biotwin-model-monod";
    static final String MONOD_BSN = "org.biotwin.models.monod";

    /** Bound on waits for FileInstall (poll 250 ms) and SCR, ms. */
    private static final long WAIT_MS = 20_000;
    private static final EnumSet<FeaturesService.Option> NO_REFRESH =
            EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles);

    @Inject
    private BundleContext context;

    @Inject
    private FeaturesService features;

    @Configuration
    public Option[] config() {
        return KarafOptions.karaf();
    }

    @Test
    public void a_featureInstallOfTheSuiteChangesNoBundleThatWasRunning() throws Exception {
        assertTrue("feature " + SUITE_FEATURE + " is already installed: this method must run first in a fresh Karaf",
                !isInstalled(SUITE_FEATURE));
        Map<Long, BundleStamp> before = FrameworkChecks.stamps(context);
        List<String> eventsOfRunningBundles = new CopyOnWriteArrayList<>();
        BundleListener listener = e -> {
            if (before.containsKey(e.getBundle().getBundleId())) {
                eventsOfRunningBundles.add(e.getBundle().getSymbolicName() + " "
                        + HotDeployCheck.eventName(e.getType()));
            }
        };
        context.addBundleListener(listener);
        long t0 = System.nanoTime();
        try {
            installSuite();
        } finally {
            context.removeBundleListener(listener);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        Map<Long, BundleStamp> after = FrameworkChecks.stamps(context);
        after.keySet().retainAll(before.keySet());
        FrameworkChecks.assertUnchanged("bundles that were running before feature:install " + SUITE_FEATURE, before,
                after);
        assertEquals("events of bundles that were running before feature:install " + SUITE_FEATURE, List.of(),
                eventsOfRunningBundles);
        System.out.println("[biotwin-it] karaf: feature:repo-add + feature:install " + SUITE_FEATURE + " took " + ms
                + " ms; " + (context.getBundles().length - before.size()) + " bundles added, none of the "
                + before.size() + " running ones touched");
    }

    @Test
    public void b_everySuiteBundleComesFromThisBuild() throws Exception {
        installSuite();
        Path itRepo = Path.of(System.getProperty(IT_REPO)).toRealPath();
        // The resolver Karaf itself uses (pax-url-aether): where does each BioTwin location of the feature resolve?
        ServiceTracker<org.ops4j.pax.url.mvn.MavenResolver, org.ops4j.pax.url.mvn.MavenResolver> tracker =
                new ServiceTracker<>(context, org.ops4j.pax.url.mvn.MavenResolver.class, null);
        tracker.open();
        try {
            org.ops4j.pax.url.mvn.MavenResolver resolver = tracker.waitForService(WAIT_MS);
            assertNotNull("Karaf registers no MavenResolver", resolver);
            List<String> biotwin = new ArrayList<>();
            for (String name : List.of(SUITE_FEATURE, MODEL_FEATURE)) {
                for (BundleInfo b : features.getFeature(name).getBundles()) {
                    if (b.getLocation().startsWith("mvn:org.biotwin/")) {
                        biotwin.add(b.getLocation());
                    }
                }
            }
            assertTrue("feature " + SUITE_FEATURE + " names no BioTwin bundle", biotwin.size() >= 2);
            for (String location : biotwin) {
                File f = resolver.resolve(location);
                assertTrue(location + " resolves to " + f + ", not to the build's " + itRepo,
                        f.toPath().toRealPath().startsWith(itRepo));
            }
            System.out.println("[biotwin-it] karaf: BioTwin bundles resolved from " + itRepo + ": " + biotwin);
        } finally {
            tracker.close();
        }
    }

    @Test
    public void c_everyBundleIsActiveAndEveryComponentSatisfied() throws Exception {
        installSuite();
        FrameworkChecks.assertEventuallyNone("Bundles not ACTIVE in Karaf",
                () -> FrameworkChecks.bundlesNotActive(context, b -> true), WAIT_MS);
        int components = FrameworkChecks.assertComponentsSatisfied("DS components not satisfied in Karaf", context,
                b -> true, WAIT_MS);
        Set<String> suiteBundles = java.util.Arrays.stream(context.getBundles())
                .filter(b -> b.getSymbolicName().startsWith("org.biotwin.")).map(Bundle::getSymbolicName)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        System.out.println("[biotwin-it] karaf: " + context.getBundles().length + " bundles ACTIVE, " + components
                + " DS components satisfied; suite bundles " + suiteBundles);
    }

    @Test
    public void d_modelDroppedIntoKarafDeployIsBoundAndRemovedWithoutTouchingAnyOtherBundle() throws Exception {
        installSuite();
        Path deploy = Path.of(System.getProperty("karaf.base"), "deploy");
        HotDeployCheck.Latencies l = HotDeployCheck.run(context, Path.of(System.getProperty(MODEL_JAR)), deploy,
                "karaf", WAIT_MS);
        assertTrue(l.model(), l.model().startsWith("monod"));
    }

    @Test
    public void e_modelFeatureInstallsAndUninstallsWithoutTouchingAnyOtherBundle() throws Exception {
        installSuite();
        ModelFeatureCheck.run(context, features, MODEL_FEATURE, MONOD_BSN, SUITE_FEATURE, WAIT_MS);
    }

    @Test
    public void f_karafLoggedNoErrorFromStartToHere() throws Exception {
        installSuite();
        assertKarafLoggedNoError();
    }

    /** Karaf's log (kept outside the runtime folder, see {@link KarafOptions}) has no ERROR entry so far. */
    static void assertKarafLoggedNoError() throws java.io.IOException {
        Path log = Path.of(System.getProperty(KARAF_LOG));
        assertTrue("Karaf's log " + log + " does not exist", java.nio.file.Files.isRegularFile(log));
        List<String> errors;
        try (var lines = java.nio.file.Files.lines(log)) {
            errors = lines.filter(l -> l.contains("| ERROR |")).toList();
        }
        assertEquals("ERROR entries in " + log, List.of(), errors);
    }

    /** {@code feature:repo-add} and {@code feature:install biotwin}, unless already done. */
    private void installSuite() throws Exception {
        if (isInstalled(SUITE_FEATURE)) {
            return;
        }
        URI repo = URI.create(System.getProperty(FEATURES_REPO));
        features.addRepository(repo);
        assertNotNull("feature repository " + repo + " was not added", features.getRepository(repo));
        features.installFeature(SUITE_FEATURE, NO_REFRESH);
        assertTrue("feature " + SUITE_FEATURE + " not installed", isInstalled(SUITE_FEATURE));
    }

    static boolean isInstalled(FeaturesService features, String name) throws Exception {
        Feature f = features.getFeature(name);
        return f != null && features.isInstalled(f);
    }

    private boolean isInstalled(String name) throws Exception {
        return isInstalled(features, name);
    }
}
