package org.biotwin.it.karaf;

import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.vmOption;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.biotwin.it.HotDeployModel;
import org.biotwin.it.SuiteBundles;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;

/**
 * The Karaf configuration of the {@code karaf} Surefire execution (driver side only): the distribution Maven
 * resolved, unpacked under {@code target/it/work/karaf}; the BioTwin file repository first in pax-url's default
 * repositories; every listening port on loopback and free; FileInstall polling {@code deploy/} every 250 ms.
 */
final class KarafOptions {

    private static final String MVN_CFG = "etc/org.ops4j.pax.url.mvn.cfg";

    private KarafOptions() {
    }

    static Option[] karaf() {
        Path distribution = Path.of(require("biotwin.it.karaf.distribution"));
        Path itRepo = Path.of(require("biotwin.it.repo")).toAbsolutePath();
        String version = require("biotwin.it.version");
        Path work = SuiteBundles.itDir().resolve("work").resolve("karaf");
        // Karaf's log outlives the unpacked runtime (deleted when the test ends), for reading after a failure.
        Path log = SuiteBundles.itDir().resolve("work").resolve("karaf-log").resolve("karaf.log");
        try {
            deleteRecursively(work); // runtimes left by an interrupted run
            Files.createDirectories(work);
            Files.createDirectories(log.getParent());
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare " + work, e);
        }
        List<Option> o = new ArrayList<>();
        o.add(karafDistributionConfiguration()
                .frameworkUrl(distribution.toUri().toString())
                .karafVersion(require("biotwin.it.karaf.version"))
                .name("Apache Karaf")
                .unpackDirectory(work.toFile())
                .useDeployFolder(false));
        // No console on stdin (Surefire talks to the fork through it), no SSH server.
        o.add(configureConsole().ignoreLocalConsole().ignoreRemoteShell());
        o.add(logLevel(LogLevel.WARN));
        o.add(editConfigurationFilePut("etc/org.ops4j.pax.logging.cfg", "log4j2.appender.rolling.fileName",
                log.toString()));
        o.add(editConfigurationFilePut("etc/org.ops4j.pax.logging.cfg", "log4j2.appender.rolling.filePattern",
                log + ".%i"));
        o.add(vmOption("-Xmx768m"));
        // Pax Exam 4.14 starts Karaf's JVM itself and, on Java 9+, leaves out what bin/karaf adds: without the
        // patched spec locator, Karaf's specs activator fails on every bundle event (NoClassDefFoundError
        // OsgiLocator). Same flags as bin/karaf of 4.4; paths are relative to the Karaf directory (the JVM's cwd).
        String karafVersion = require("biotwin.it.karaf.version");
        for (String flag : List.of(
                "--add-reads=java.xml=java.logging",
                "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
                "--patch-module=java.base=lib/endorsed/org.apache.karaf.specs.locator-" + karafVersion + ".jar",
                "--patch-module=java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + karafVersion + ".jar",
                "--add-opens=java.base/java.security=ALL-UNNAMED",
                "--add-opens=java.base/java.net=ALL-UNNAMED",
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.naming/javax.naming.spi=ALL-UNNAMED",
                "--add-opens=java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED",
                "--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED",
                "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED",
                "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                "--add-exports=java.security.sasl/com.sun.security.sasl=ALL-UNNAMED",
                "--add-exports=java.naming/com.sun.jndi.ldap=ALL-UNNAMED")) {
            o.add(vmOption(flag));
        }
        if (Boolean.getBoolean("biotwin.it.keepKaraf")) {
            o.add(keepRuntimeFolder());
        }

        // Maven resolution inside Karaf. Default repositories are read in place, in order: this build's repository
        // first (fresh BioTwin jars, never a stale ~/.m2 copy), then Karaf's own system/ folder. Then the local
        // repository Maven uses, then Central, the only remote reachable (no snapshot repositories to time out on).
        o.add(editConfigurationFilePut(MVN_CFG, "org.ops4j.pax.url.mvn.defaultRepositories",
                itRepo.toUri() + "@id=biotwin-it@snapshots,"
                        + "${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots,"
                        + "${karaf.data.uri}kar@id=kar.repository@multi@snapshots"));
        o.add(editConfigurationFilePut(MVN_CFG, "org.ops4j.pax.url.mvn.localRepository",
                require("org.ops4j.pax.url.mvn.localRepository")));
        o.add(editConfigurationFilePut(MVN_CFG, "org.ops4j.pax.url.mvn.repositories",
                "https://repo1.maven.org/maven2@id=central"));

        // Hot deploy: Karaf's FileInstall watches ${karaf.base}/deploy; poll faster than the default second.
        o.add(editConfigurationFilePut("etc/org.apache.felix.fileinstall-deploy.cfg", "felix.fileinstall.poll",
                "250"));

        // Loopback and free ports, so a test never collides with a running Karaf, host or another test.
        o.add(editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", freePort()));
        o.add(editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", freePort()));
        o.add(editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", freePort()));
        o.add(editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.ops4j.pax.web.listening.addresses",
                "127.0.0.1"));

        // What the probe needs to know (it runs in Karaf's JVM and sees etc/system.properties).
        o.add(systemProperty(KarafFeatureTest.FEATURES_REPO)
                .value("mvn:org.biotwin/biotwin-karaf-features/" + version + "/xml/features"));
        o.add(systemProperty(KarafFeatureTest.IT_REPO).value(itRepo.toString()));
        o.add(systemProperty(KarafFeatureTest.MODEL_JAR).value(HotDeployModel.jar().toString()));
        o.add(systemProperty(KarafFeatureTest.KARAF_LOG).value(log.toString()));
        return o.toArray(Option[]::new);
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return Integer.toString(s.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException("No free loopback port", e);
        }
    }

    private static String require(String key) {
        String v = System.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("System property " + key + " is not set: run through Maven (Surefire)");
        }
        return v;
    }
}
