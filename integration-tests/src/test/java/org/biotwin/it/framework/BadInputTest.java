package org.biotwin.it.framework;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.inject.Inject;
import org.biotwin.it.FixtureBundles;
import org.biotwin.it.FrameworkChecks;
import org.biotwin.it.FrameworkChecks.BundleStamp;
import org.biotwin.it.ItOptions;
import org.biotwin.it.LogCapture;
import org.biotwin.it.SuiteBundles;
import org.biotwin.it.fixture.config.ReactorVolumeCheck;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Bad input to a running host: a bundle whose import nothing satisfies, and a component whose required
 * configuration is missing or invalid. Each is reported clearly and nothing already running is disturbed.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BadInputTest {

    private static final long WAIT_MS = 15_000;

    @Inject
    private BundleContext context;

    @Inject
    private ServiceComponentRuntime scr;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        FixtureBundles.buildAll();
        return new Option[] {ItOptions.suite("badinput", e -> true)};
    }

    @Test
    public void unresolvableBundleInDeployIsLoggedByNameAndRequirementAndDisturbsNobody() throws Exception {
        Path fixture = FixtureBundles.unresolvable();
        Path dropped = Path.of(context.getProperty("felix.fileinstall.dir")).resolve(fixture.getFileName());
        try (LogCapture log = new LogCapture(context)) {
            assertTrue("no OSGi Log Service in " + SuiteBundles.framework(), log.hasReader());
            Map<Long, BundleStamp> before = FrameworkChecks.stamps(context);

            Files.copy(fixture, dropped, StandardCopyOption.REPLACE_EXISTING);
            assertTrue("FileInstall did not install " + dropped,
                    FrameworkChecks.await(() -> find().isPresent(), WAIT_MS));
            Bundle bad = find().orElseThrow();
            // FileInstall tries to start what it installs; the failure must reach the log with both names.
            boolean logged = FrameworkChecks.await(() -> !log.matching(FixtureBundles.UNRESOLVABLE_BSN,
                    FixtureBundles.MISSING_PACKAGE).isEmpty(), WAIT_MS);
            assertTrue("no log entry names " + FixtureBundles.UNRESOLVABLE_BSN + " and "
                    + FixtureBundles.MISSING_PACKAGE + "; the log had:\n  " + String.join("\n  ", log.all()), logged);
            System.out.println("[biotwin-it] " + SuiteBundles.framework() + " logged: "
                    + log.matching(FixtureBundles.UNRESOLVABLE_BSN, FixtureBundles.MISSING_PACKAGE).get(0));
            assertEquals(Bundle.INSTALLED, bad.getState());

            Map<Long, BundleStamp> after = FrameworkChecks.stamps(context);
            after.remove(bad.getBundleId());
            FrameworkChecks.assertUnchanged("other bundles after the bad deploy", before, after);
            assertEquals(List.of(),
                    FrameworkChecks.bundlesNotActive(context, b -> b.getBundleId() != bad.getBundleId()));
            assertEquals(List.of(), FrameworkChecks.componentsNotSatisfied(scr, b -> true, context));

            Files.delete(dropped);
            assertTrue("the bad bundle was not uninstalled after its jar was deleted",
                    FrameworkChecks.await(() -> bad.getState() == Bundle.UNINSTALLED, WAIT_MS));
            FrameworkChecks.assertUnchanged("other bundles after removing the bad bundle", before, FrameworkChecks.stamps(context));
        } finally {
            Files.deleteIfExists(dropped);
        }
    }

    @Test
    public void componentWithoutRequiredConfigurationWaitsAndBadConfigurationFailsWithAClearMessage()
            throws Exception {
        Map<Long, BundleStamp> before = FrameworkChecks.stamps(context);
        Bundle fixture = context.installBundle("reference:" + FixtureBundles.config().toUri());
        org.osgi.service.cm.Configuration cfg = null;
        try (LogCapture log = new LogCapture(context)) {
            fixture.start();
            ComponentDescriptionDTO d = FrameworkChecks.await(() -> description(fixture) != null, WAIT_MS)
                    ? description(fixture) : null;
            assertNotNull("SCR did not pick up " + ReactorVolumeCheck.PID, d);

            // Missing configuration: the component waits, reported by name and PID, and nothing else is affected.
            List<String> problems = FrameworkChecks.componentsNotSatisfied(scr, b -> true, context);
            assertEquals(problems.toString(), 1, problems.size());
            assertTrue(problems.get(0), problems.get(0).contains(ReactorVolumeCheck.PID)
                    && problems.get(0).contains("configuration"));
            assertEquals(Bundle.ACTIVE, fixture.getState());
            assertEquals(List.of(), FrameworkChecks.componentsNotSatisfied(scr,
                    b -> b.getBundleId() != fixture.getBundleId(), context));

            // Invalid configuration: activation fails fast; the DTO and the log say which value is wrong.
            cfg = configAdmin.getConfiguration(ReactorVolumeCheck.PID, "?");
            cfg.update(props(-1.0));
            String expected = "volumeLitres must be > 0 L, was -1.0";
            assertTrue("activation failure not reported: " + failures(d),
                    FrameworkChecks.await(() -> configStates(d).stream().anyMatch(c ->
                            c.state == ComponentConfigurationDTO.FAILED_ACTIVATION && c.failure != null
                                    && c.failure.contains(expected)), WAIT_MS));
            assertTrue("no log entry names " + ReactorVolumeCheck.PID + " and the bad value; log:\n  "
                    + String.join("\n  ", log.all()), FrameworkChecks.await(
                            () -> !log.matching(ReactorVolumeCheck.PID, expected).isEmpty(), WAIT_MS));
            System.out.println("[biotwin-it] " + SuiteBundles.framework() + " logged: "
                    + log.matching(ReactorVolumeCheck.PID, expected).get(0));

            // A valid configuration activates it: configuration was the only thing missing.
            cfg.update(props(2.0));
            assertTrue("valid configuration did not activate the component: " + failures(d),
                    FrameworkChecks.await(() -> configStates(d).stream()
                            .anyMatch(c -> c.state == ComponentConfigurationDTO.ACTIVE), WAIT_MS));

            Map<Long, BundleStamp> after = FrameworkChecks.stamps(context);
            after.remove(fixture.getBundleId());
            FrameworkChecks.assertUnchanged("other bundles while the fixture was misconfigured", before, after);
        } finally {
            if (cfg != null) {
                cfg.delete();
            }
            fixture.uninstall();
        }
        assertFalse(Arrays.stream(context.getBundles()).anyMatch(b -> b.getBundleId() == fixture.getBundleId()));
    }

    private Optional<Bundle> find() {
        return Arrays.stream(context.getBundles())
                .filter(b -> FixtureBundles.UNRESOLVABLE_BSN.equals(b.getSymbolicName())).findFirst();
    }

    private ComponentDescriptionDTO description(Bundle b) {
        return scr.getComponentDescriptionDTO(b, ReactorVolumeCheck.PID);
    }

    private List<ComponentConfigurationDTO> configStates(ComponentDescriptionDTO d) {
        return List.copyOf(scr.getComponentConfigurationDTOs(d));
    }

    private String failures(ComponentDescriptionDTO d) {
        return configStates(d).stream().map(c -> "state " + c.state + " " + c.failure).toList().toString();
    }

    private static Dictionary<String, Object> props(double volume) {
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("volumeLitres", volume);
        return p;
    }
}
