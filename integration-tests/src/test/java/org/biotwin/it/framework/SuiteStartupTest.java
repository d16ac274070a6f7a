package org.biotwin.it.framework;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.biotwin.it.FrameworkChecks;
import org.biotwin.it.ItOptions;
import org.biotwin.it.SuiteBundles;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/**
 * The whole suite in a plain host (Felix or Equinox, whichever the Surefire execution put on the classpath): every
 * bundle resolves and is ACTIVE, and every DS component is satisfied.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SuiteStartupTest {

    /** Upper bound for SCR to finish activating after the bundles are started, ms. */
    private static final long SETTLE_MS = 10_000;

    @Inject
    private BundleContext context;

    @Inject
    private ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() {
        return new Option[] {ItOptions.suite("startup", e -> true)};
    }

    @Test
    public void runsInTheFrameworkThatThisExecutionSelected() {
        String expected = switch (SuiteBundles.framework()) {
            case "felix" -> "org.apache.felix.framework";
            case "equinox" -> "org.eclipse.osgi";
            default -> throw new AssertionError("unknown framework " + SuiteBundles.framework());
        };
        assertEquals(expected, context.getBundle(Constants.SYSTEM_BUNDLE_ID).getSymbolicName());
    }

    @Test
    public void everySuiteBundleIsInstalledFromTheFreshBuild() {
        Set<String> installed = java.util.Arrays.stream(context.getBundles())
                .map(b -> b.getSymbolicName() + " " + b.getLocation()).collect(Collectors.toSet());
        for (SuiteBundles.Entry e : SuiteBundles.suite()) {
            assertTrue(e.symbolicName() + " from " + e.uri() + " is not installed; installed: " + installed,
                    installed.contains(e.symbolicName() + " " + e.uri()));
        }
    }

    @Test
    public void everyBundleIsActiveAndFragmentsAreResolved() throws InterruptedException {
        FrameworkChecks.assertEventuallyNone("Bundles not ACTIVE in " + SuiteBundles.framework(),
                () -> FrameworkChecks.bundlesNotActive(context, b -> true), SETTLE_MS);
    }

    @Test
    public void everyDsComponentIsSatisfied() throws InterruptedException {
        FrameworkChecks.assertEventuallyNone("DS components not satisfied in " + SuiteBundles.framework(),
                () -> FrameworkChecks.componentsNotSatisfied(scr, b -> true, context), SETTLE_MS);
        List<String> suiteComponents = scr.getComponentDescriptionDTOs(
                java.util.Arrays.stream(context.getBundles()).filter(b -> b.getSymbolicName().startsWith("org.biotwin"))
                        .toArray(Bundle[]::new)).stream().map(d -> d.name).toList();
        System.out.println("[biotwin-it] " + SuiteBundles.framework() + ": " + suiteComponents.size()
                + " suite DS components satisfied: " + suiteComponents);
    }
}
