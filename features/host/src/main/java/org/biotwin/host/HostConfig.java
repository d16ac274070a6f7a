package org.biotwin.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The reference host's configuration, parsed once and validated. Sources, later ones winning: built-in defaults,
 * {@code conf/host.properties} of the installation, Java system properties ({@code -Dbiotwin.http.port=8081}).
 * Relative paths are resolved against the working directory, so {@code ./biotwin run} keeps its state in
 * {@code run/} and watches {@code deploy/} at the repository root. Immutable.
 *
 * @param home          installation directory (holds {@code bundles/}, {@code conf/}, {@code lib/})
 * @param storageDir    OSGi framework storage (bundle cache, ConfigAdmin data)
 * @param cleanStorage  whether to wipe the storage on start
 * @param deployDir     folder FileInstall watches for bundles and {@code .cfg} files
 * @param pollMillis    FileInstall poll interval, ms
 * @param httpHost      address the HTTP Whiteboard binds to
 * @param httpPort      HTTP port; 0 picks a free one
 * @param shellPort     loopback command port of the Gogo shell; -1 when disabled
 * @param interactive   whether Gogo reads commands from the console
 * @param extra         further framework properties from {@code conf/host.properties} or {@code -D} that start
 *                      with {@code felix.}, {@code org.osgi.}, {@code org.apache.felix.}, {@code ds.},
 *                      {@code gosh.} or {@code biotwin.} (and are not one of the above)
 */
public record HostConfig(Path home, Path storageDir, boolean cleanStorage, Path deployDir, int pollMillis,
        String httpHost, int httpPort, int shellPort, boolean interactive, Map<String, String> extra) {

    public static final String STORAGE_DIR = "biotwin.storage.dir";
    public static final String STORAGE_CLEAN = "biotwin.storage.clean";
    public static final String DEPLOY_DIR = "biotwin.deploy.dir";
    public static final String DEPLOY_POLL = "biotwin.deploy.poll.ms";
    public static final String HTTP_HOST = "biotwin.http.host";
    public static final String HTTP_PORT = "biotwin.http.port";
    public static final String SHELL_PORT = "biotwin.shell.port";
    public static final String INTERACTIVE = "biotwin.shell.interactive";

    private static final Map<String, String> DEFAULTS = Map.of(
            STORAGE_DIR, "run/felix-cache",
            STORAGE_CLEAN, "false",
            DEPLOY_DIR, "deploy",
            DEPLOY_POLL, "300",
            HTTP_HOST, "127.0.0.1",
            HTTP_PORT, "8080",
            SHELL_PORT, "-1");

    /** Root of the host's run-time data (embedded broker and historian, audit trail), {@code biotwin.data.dir}. */
    public static final String DATA_DIR = "biotwin.data.dir";

    public HostConfig {
        extra = Map.copyOf(extra);
    }

    /**
     * The data directory, absolute: {@code biotwin.data.dir} resolved against the working directory, or the parent
     * of the framework storage ({@code run/} for the default {@code run/felix-cache}).
     */
    public Path dataDir() {
        String explicit = extra.get(DATA_DIR);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of("").toAbsolutePath().resolve(explicit.trim()).normalize();
        }
        Path parent = storageDir.toAbsolutePath().getParent();
        return parent != null ? parent : storageDir.toAbsolutePath();
    }

    /** A boolean host property from {@link #extra()}, or {@code fallback} when absent. */
    public boolean flag(String key, boolean fallback) {
        String raw = extra.get(key);
        if (raw == null) {
            return fallback;
        }
        if (!raw.trim().equalsIgnoreCase("true") && !raw.trim().equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("Invalid host configuration: " + key + "='" + raw
                    + "': expected true or false");
        }
        return Boolean.parseBoolean(raw.trim());
    }

    /** An integer host property from {@link #extra()} in {@code [min, max]}, or {@code fallback} when absent. */
    public int integer(String key, int fallback, int min, int max) {
        String raw = extra.get(key);
        if (raw == null) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(raw.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("Invalid host configuration: " + key + "='" + raw
                + "': expected an integer from " + min + " to " + max);
    }

    /**
     * Reads the configuration.
     *
     * @throws IllegalArgumentException naming the property and the source when a value is invalid
     */
    public static HostConfig load(Path home, Properties system, boolean consolePresent) {
        Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
        Map<String, String> origin = new LinkedHashMap<>();
        DEFAULTS.keySet().forEach(k -> origin.put(k, "default"));
        Path confFile = home.resolve("conf").resolve("host.properties");
        if (Files.isRegularFile(confFile)) {
            Properties conf = new Properties();
            try (InputStream in = Files.newInputStream(confFile)) {
                conf.load(in);
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException("Cannot read " + confFile + ": " + e.getMessage(), e);
            }
            conf.stringPropertyNames().forEach(k -> {
                values.put(k, conf.getProperty(k).trim());
                origin.put(k, confFile.toString());
            });
        }
        system.stringPropertyNames().stream().filter(HostConfig::isFrameworkKey).forEach(k -> {
            values.put(k, system.getProperty(k).trim());
            origin.put(k, "-D" + k);
        });

        Path cwd = Path.of("").toAbsolutePath();
        Path storage = cwd.resolve(values.get(STORAGE_DIR)).normalize();
        Path deploy = cwd.resolve(values.get(DEPLOY_DIR)).normalize();
        boolean clean = bool(values, origin, STORAGE_CLEAN);
        int poll = integer(values, origin, DEPLOY_POLL, 50, 60_000);
        String httpHost = values.get(HTTP_HOST);
        if (httpHost.isEmpty()) {
            throw invalid(HTTP_HOST, origin, httpHost, "an address such as 127.0.0.1");
        }
        int httpPort = integer(values, origin, HTTP_PORT, 0, 65535);
        int shellPort = integer(values, origin, SHELL_PORT, -1, 65535);
        boolean interactive = values.containsKey(INTERACTIVE) ? bool(values, origin, INTERACTIVE) : consolePresent;

        Map<String, String> extra = new LinkedHashMap<>(values);
        DEFAULTS.keySet().forEach(extra::remove);
        extra.remove(INTERACTIVE);
        return new HostConfig(home, storage, clean, deploy, poll, httpHost, httpPort, shellPort, interactive, extra);
    }

    static boolean isFrameworkKey(String key) {
        return key.startsWith("biotwin.") || key.startsWith("felix.") || key.startsWith("org.osgi.")
                || key.startsWith("org.apache.felix.") || key.startsWith("ds.") || key.startsWith("gosh.")
                || key.startsWith("obr.");
    }

    private static int integer(Map<String, String> values, Map<String, String> origin, String key, int min, int max) {
        String raw = values.get(key);
        try {
            int v = Integer.parseInt(raw);
            if (v < min || v > max) {
                throw invalid(key, origin, raw, "an integer from " + min + " to " + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw invalid(key, origin, raw, "an integer from " + min + " to " + max);
        }
    }

    private static boolean bool(Map<String, String> values, Map<String, String> origin, String key) {
        String raw = values.get(key);
        if (!raw.equalsIgnoreCase("true") && !raw.equalsIgnoreCase("false")) {
            throw invalid(key, origin, raw, "true or false");
        }
        return Boolean.parseBoolean(raw);
    }

    private static IllegalArgumentException invalid(String key, Map<String, String> origin, String raw, String expected) {
        return new IllegalArgumentException("Invalid host configuration: " + key + "='" + raw + "' (from "
                + origin.getOrDefault(key, "?") + "): expected " + expected);
    }
}
