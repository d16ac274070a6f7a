package org.biotwin.host;

import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * Entry point of the reference host: {@code java -jar lib/biotwin-host.jar}. The installation directory is the
 * parent of {@code lib/}, or {@code -Dbiotwin.home}. Exit codes: 0 after a normal stop, 2 for a configuration error,
 * 1 when start-up fails.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        HostConfig config;
        try {
            config = HostConfig.load(home(), System.getProperties(), System.console() != null);
        } catch (IllegalArgumentException e) {
            Log.error(e.getMessage());
            System.exit(2);
            return;
        }
        // Jetty and other SLF4J users log through slf4j-simple: keep Jetty to warnings.
        System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty",
                System.getProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn"));
        System.setProperty("org.slf4j.simpleLogger.showDateTime",
                System.getProperty("org.slf4j.simpleLogger.showDateTime", "true"));
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat",
                System.getProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS"));
        Log.info("BioTwin reference host starting from " + config.home());
        Host host = new Host(config);
        Runtime.getRuntime().addShutdownHook(new Thread(host::stop, "biotwin-host-shutdown"));
        try {
            host.start();
            host.awaitStop();
        } catch (Exception e) {
            Log.error("Host start-up failed: " + e);
            host.stop();
            System.exit(1);
        }
        System.exit(0);
    }

    private static Path home() {
        String explicit = System.getProperty("biotwin.home");
        if (explicit != null) {
            return Path.of(explicit).toAbsolutePath().normalize();
        }
        try {
            Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // lib/biotwin-host.jar -> installation directory; target/classes in an IDE -> use the working directory
            return jar.getParent() != null && jar.getParent().getFileName().toString().equals("lib")
                    ? jar.getParent().getParent()
                    : Path.of("").toAbsolutePath();
        } catch (URISyntaxException e) {
            return Path.of("").toAbsolutePath();
        }
    }
}
