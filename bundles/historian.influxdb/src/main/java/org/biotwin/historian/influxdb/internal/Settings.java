package org.biotwin.historian.influxdb.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The historian configuration, parsed and checked once. Every refusal names the property at fault. Immutable; secrets
 * are masked in {@link #toString()}.
 */
public record Settings(URI url, URI readUrl, String token, String org, String bucket, Precision precision, String site,
        int batchSize, int flushIntervalMs, Path bufferDirectory, long bufferMaxBytes, int bufferFullWaitMs,
        int segmentBytes, Backend backend, String pgHost, int pgPort, String pgDatabase, String pgUser,
        String pgPassword, int timeoutMs, int retryInitialMs, int retryMaxMs) {

    private static final Pattern IDENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,63}");

    /** Checks a configuration. */
    public static Settings from(HistorianConfiguration c) {
        URI url = uri(c.url(), "url");
        URI readUrl = c.readUrl() == null || c.readUrl().isBlank() ? url : uri(c.readUrl(), "readUrl");
        String site = required(c.site(), "site");
        if (!IDENT.matcher(site).matches()) {
            throw bad("site", site, "must be 1-64 of [A-Za-z0-9_.-], starting with a letter or digit");
        }
        String bufferDirectory = required(c.bufferDirectory(), "bufferDirectory");
        Path dir;
        try {
            dir = Path.of(bufferDirectory).toAbsolutePath();
        } catch (RuntimeException e) {
            throw bad("bufferDirectory", bufferDirectory, "is not a valid path: " + e.getMessage());
        }
        Precision precision = enumValue(Precision.class, c.precision(), "precision");
        Backend backend = enumValue(Backend.class, c.backend(), "backend");
        long maxBytes = range(c.bufferMaxBytes(), 4096, 1_000_000_000_000L, "bufferMaxBytes");
        int segment = (int) range(c.segmentBytes(), 4096, 1L << 30, "segmentBytes");
        int initial = (int) range(c.retryInitialMs(), 10, 600_000, "retryInitialMs");
        int max = (int) range(c.retryMaxMs(), 10, 3_600_000, "retryMaxMs");
        if (max < initial) {
            throw bad("retryMaxMs", Integer.toString(max), "must not be below retryInitialMs (" + initial + ")");
        }
        return new Settings(url, readUrl, c.token() == null ? "" : c.token(), required(c.org(), "org"),
                required(c.bucket(), "bucket"), precision, site, (int) range(c.batchSize(), 1, 100_000, "batchSize"),
                (int) range(c.flushIntervalMs(), 0, 60_000, "flushIntervalMs"), dir, maxBytes,
                (int) range(c.bufferFullWaitMs(), 0, 600_000, "bufferFullWaitMs"), segment, backend,
                required(c.pgHost(), "pgHost"), (int) range(c.pgPort(), 1, 65_535, "pgPort"),
                required(c.pgDatabase(), "pgDatabase"), required(c.pgUser(), "pgUser"),
                c.pgPassword() == null ? "" : c.pgPassword(), (int) range(c.timeoutMs(), 100, 600_000, "timeoutMs"),
                initial, max);
    }

    /** JDBC URL of QuestDB's PostgreSQL wire endpoint. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + pgDatabase;
    }

    @Override
    public String toString() {
        return "Settings[url=" + url + ", readUrl=" + readUrl + ", token=" + (token.isEmpty() ? "" : "***") + ", org="
                + org + ", bucket=" + bucket + ", precision=" + precision + ", site=" + site + ", batchSize="
                + batchSize + ", flushIntervalMs=" + flushIntervalMs + ", bufferDirectory=" + bufferDirectory
                + ", bufferMaxBytes=" + bufferMaxBytes + ", bufferFullWaitMs=" + bufferFullWaitMs + ", segmentBytes="
                + segmentBytes + ", backend=" + backend + ", pg=" + pgUser + ":***@" + pgHost + ":" + pgPort + "/"
                + pgDatabase + ", timeoutMs=" + timeoutMs + ", retry=" + retryInitialMs + ".." + retryMaxMs + "ms]";
    }

    private static URI uri(String value, String property) {
        String v = required(value, property);
        URI u;
        try {
            u = URI.create(v.trim());
        } catch (IllegalArgumentException e) {
            throw bad(property, v, "is not a URL: " + e.getMessage());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) {
            throw bad(property, v, "must be an http or https URL with a host, for example http://127.0.0.1:9000");
        }
        return u;
    }

    private static String required(String value, String property) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Historian configuration: property '" + property
                    + "' is required and missing or blank");
        }
        return value.trim();
    }

    private static long range(long value, long min, long max, String property) {
        if (value < min || value > max) {
            throw bad(property, Long.toString(value), "must be between " + min + " and " + max);
        }
        return value;
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String value, String property) {
        String v = required(value, property);
        try {
            return Enum.valueOf(type, v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            StringBuilder allowed = new StringBuilder();
            for (E x : type.getEnumConstants()) {
                allowed.append(allowed.length() == 0 ? "" : ", ").append(x.name());
            }
            throw bad(property, v, "must be one of " + allowed);
        }
    }

    private static IllegalArgumentException bad(String property, String value, String why) {
        return new IllegalArgumentException(
                "Historian configuration: property '" + property + "' = '" + value + "' " + why);
    }
}
