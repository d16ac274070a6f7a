package org.biotwin.it.karaf;

import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * The validated-model hot swap in Apache Karaf 4.4 ({@code feature:install biotwin}, no auto-refresh): ebr, the
 * lifecycle gate and two twins ({@code model.target=(biotwin.model.approved=true)}) configured through ConfigAdmin;
 * the CHO 1.0.0 release dropped into Karaf's {@code deploy/} and approved by two QA people; samples fed into the
 * twins; 1.1.0 dropped in unsigned (quarantined, twins keep 1.0.0), approved, and activated on one unit with an
 * operator's e-signature under load. Asserts: every sample processed exactly once, the estimate continuous (batch
 * age, states, covariance), the {@code model.activate} audit entry, and no bundle other than the model bundles got
 * an event or changed id, state or stamp. See {@link ModelSwapCheck}; the releases are built by
 * {@link KarafModelSwapFixtures}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KarafModelSwapTest {

    private static final long WAIT_MS = 20_000;

    @Inject
    private BundleContext context;

    @Inject
    private FeaturesService features;

    @Configuration
    public Option[] config() {
        return Stream.concat(Stream.of(KarafOptions.karaf()), Stream.of(KarafModelSwapFixtures.options()))
                .toArray(Option[]::new);
    }

    @Test
    public void validatedModelIsHotSwappedUnderLoadWithoutTouchingAnyOtherBundle() throws Exception {
        if (!KarafFeatureTest.isInstalled(features, KarafFeatureTest.SUITE_FEATURE)) {
            URI repo = URI.create(System.getProperty(KarafFeatureTest.FEATURES_REPO));
            features.addRepository(repo);
            assertNotNull("feature repository " + repo + " was not added", features.getRepository(repo));
            features.installFeature(KarafFeatureTest.SUITE_FEATURE,
                    EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
            assertTrue(KarafFeatureTest.isInstalled(features, KarafFeatureTest.SUITE_FEATURE));
        }
        ModelSwapCheck.run(context, Path.of(System.getProperty("karaf.base"), "deploy"),
                Path.of(System.getProperty(KarafModelSwapFixtures.JAR_10)),
                Path.of(System.getProperty(KarafModelSwapFixtures.JAR_11)),
                Path.of(System.getProperty(KarafModelSwapFixtures.USERS)), WAIT_MS);
    }
}
