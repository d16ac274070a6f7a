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
 * The validated-model lifecycle in Apache Karaf 4.4 ({@code feature:install biotwin}, no auto-refresh), as the
 * lifecycle's {@code HotSwapUnderLoadIT} proves it in Felix and Equinox: ebr, the gate and four twins
 * ({@code model.target=(biotwin.model.approved=true)}) configured through ConfigAdmin; CHO 1.0.0 dropped into Karaf's
 * {@code deploy/} and approved by two QA people; samples fed into the twins (1,000 samples/s by default); under that
 * load 1.1.0 unsigned, approved by an untrusted signer and tampered after approval are each refused (quarantined,
 * audited with the reason, twins stay on 1.0.0); the approved 1.1.0 is activated on one unit with an e-signature
 * (state and covariance handed over); rolled back with one signed command; activated on a second unit whose jar is
 * then deleted (fallback to 1.0.0 with an alarm). Asserts every sample processed exactly once, that no bundle other
 * than the model bundles got an event or changed id, state or stamp, and that Karaf logged no ERROR. See
 * {@link ModelSwapCheck}; the releases are built by {@link KarafModelSwapFixtures}.
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
    public void badModelsAreRefusedAndTheApprovedOneIsSwappedRolledBackAndFallenBackUnderLoad() throws Exception {
        if (!KarafFeatureTest.isInstalled(features, KarafFeatureTest.SUITE_FEATURE)) {
            URI repo = URI.create(System.getProperty(KarafFeatureTest.FEATURES_REPO));
            features.addRepository(repo);
            assertNotNull("feature repository " + repo + " was not added", features.getRepository(repo));
            features.installFeature(KarafFeatureTest.SUITE_FEATURE,
                    EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
            assertTrue(KarafFeatureTest.isInstalled(features, KarafFeatureTest.SUITE_FEATURE));
        }
        ModelSwapCheck.run(context, Path.of(System.getProperty("karaf.base"), "deploy"),
                Path.of(System.getProperty("karaf.data"), "tmp", "biotwin-swap"),
                new ModelSwapCheck.Releases(Path.of(System.getProperty(KarafModelSwapFixtures.JAR_10)),
                        Path.of(System.getProperty(KarafModelSwapFixtures.JAR_11)),
                        Path.of(System.getProperty(KarafModelSwapFixtures.JAR_11_TAMPERED)),
                        System.getProperty(KarafModelSwapFixtures.DIGEST_11),
                        Path.of(System.getProperty(KarafModelSwapFixtures.USERS)),
                        Long.parseLong(System.getProperty(KarafModelSwapFixtures.TICK_MS))),
                WAIT_MS);
        KarafFeatureTest.assertKarafLoggedNoError();
    }
}
