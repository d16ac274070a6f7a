package org.biotwin.it.framework;

import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.nio.file.Path;
import javax.inject.Inject;
import org.biotwin.it.HotDeployCheck;
import org.biotwin.it.HotDeployModel;
import org.biotwin.it.ItOptions;
import org.biotwin.it.SuiteBundles;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * Hot deploy through FileInstall's {@code deploy/} folder in a plain host (Felix or Equinox): the demonstration model
 * {@code org.biotwin.models.monod} is bound by a consumer when its jar is copied in and unbound when it is deleted,
 * and no other bundle is refreshed, restarted or updated, nor the framework restarted ({@link HotDeployCheck}).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotDeployTest {

    /** Bound on each wait for FileInstall (poll {@value ItOptions#POLL_MS} ms), ms. */
    private static final long WAIT_MS = 15_000;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return new Option[] {
            // Model bundles stay out: the test deploys one.
            ItOptions.suite("hotdeploy", e -> !e.isModel()),
            systemProperty(HotDeployModel.PROPERTY).value(HotDeployModel.jar().toString())};
    }

    @Test
    public void modelDroppedIntoDeployIsBoundAndRemovedWithoutTouchingAnyOtherBundle() throws Exception {
        HotDeployCheck.run(context, Path.of(System.getProperty(HotDeployModel.PROPERTY)),
                Path.of(context.getProperty("felix.fileinstall.dir")), SuiteBundles.framework(), WAIT_MS);
    }
}
