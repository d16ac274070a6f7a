package org.biotwin.host.server;

import io.questdb.ServerMain;
import io.questdb.log.LogFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.biotwin.host.EmbeddedServer;
import org.biotwin.host.HostConfig;

/**
 * The reference host's historian database: QuestDB 9.3.4 embedded, outside the framework, bound to 127.0.0.1. The
 * historian bundle writes InfluxDB line protocol to its HTTP port ({@code /api/v2/write}) and reads over its
 * PostgreSQL wire port (user {@code admin}, password {@code quest}: QuestDB's built-in defaults, loopback only).
 * Data under {@code <biotwin.data.dir>/questdb}. Line protocol over TCP/UDP, the minimal HTTP server and telemetry
 * are off. About 3.5 s to start and 400 MB resident.
 * <p>
 * Host properties: {@code biotwin.historian.embedded} (default true), {@code biotwin.questdb.http.port} (9000),
 * {@code biotwin.questdb.pg.port} (8812); 0 picks a free port, kept across restarts of this instance. Contributes
 * {@code biotwin.historian.url}, {@code biotwin.historian.pg.host}, {@code biotwin.historian.pg.port}. Called from
 * one thread at a time.
 */
public final class QuestDbServer implements EmbeddedServer {

    public static final String NAME = "questdb";
    public static final String ENABLED = "biotwin.historian.embedded";
    public static final String HTTP_PORT = "biotwin.questdb.http.port";
    public static final String PG_PORT = "biotwin.questdb.pg.port";
    /** Prefix of host properties passed to QuestDB as server.conf keys, e.g. {@code biotwin.questdb.conf.cairo.commit.lag}. */
    public static final String CONF_PREFIX = "biotwin.questdb.conf.";

    private ServerMain server;
    private int httpPort = -1;
    private int pgPort = -1;
    private Path dir;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int order() {
        return 20;
    }

    @Override
    public boolean enabled(HostConfig config) {
        return config.flag(ENABLED, true);
    }

    public int httpPort() {
        return httpPort;
    }

    public int pgPort() {
        return pgPort;
    }

    /** The running server, for tests that wait for a table's write-ahead log to be applied. */
    public ServerMain server() {
        return server;
    }

    @Override
    public Map<String, String> start(HostConfig config) throws Exception {
        if (httpPort < 0) {
            int http = config.integer(HTTP_PORT, 9000, 0, 65535);
            int pg = config.integer(PG_PORT, 8812, 0, 65535);
            httpPort = http == 0 ? Ports.free() : http;
            pgPort = pg == 0 ? Ports.free() : pg;
            dir = config.dataDir().resolve("questdb");
        }
        Ports.requireFree(httpPort, HTTP_PORT);
        Ports.requireFree(pgPort, PG_PORT);
        // QuestDB logs every query at INFO to stdout; the host console gets its errors only.
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("log.conf"), """
                # Written by the BioTwin host on every start: QuestDB errors to the console.
                writers=stdout
                w.stdout.class=io.questdb.log.LogConsoleWriter
                w.stdout.level=ERROR,CRITICAL
                """);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QDB_HTTP_BIND_TO", "127.0.0.1:" + httpPort);
        env.put("QDB_PG_NET_BIND_TO", "127.0.0.1:" + pgPort);
        env.put("QDB_LINE_TCP_ENABLED", "false");
        env.put("QDB_LINE_UDP_ENABLED", "false");
        env.put("QDB_HTTP_MIN_ENABLED", "false");
        env.put("QDB_TELEMETRY_ENABLED", "false");
        env.put("QDB_SHARED_WORKER_COUNT", "2");
        env.putAll(tuning(config.extra()));
        // QuestDB's logger is one per JVM and reads <root>/conf/log.conf only if told the root before its first use;
        // otherwise it logs every request and commit at INFO to stdout (a logging thread busy at full load).
        LogFactory.configureRootDir(dir.toString());
        ServerMain s = ServerMain.create(dir.toString(), env);
        try {
            s.start();
            s.awaitStartup();
        } catch (RuntimeException e) {
            s.close();
            throw new IllegalStateException("QuestDB did not start in " + dir + ": " + e, e);
        }
        server = s;
        Map<String, String> p = new LinkedHashMap<>();
        p.put("biotwin.historian.url", "http://127.0.0.1:" + httpPort);
        p.put("biotwin.historian.pg.host", "127.0.0.1");
        p.put("biotwin.historian.pg.port", Integer.toString(pgPort));
        return p;
    }

    /**
     * QuestDB settings beyond ports and switches: the worker pools park instead of spinning, then every host property
     * {@code biotwin.questdb.conf.<server.conf key>} as QuestDB's {@code QDB_<KEY>} setting (which may override those).
     */
    static Map<String, String> tuning(Map<String, String> hostProperties) {
        Map<String, String> env = new LinkedHashMap<>();
        // QuestDB's workers spin, then yield thousands of times before they park (defaults for a dedicated server).
        // Embedded, they share the cores with the suite: park after a few idle loops, for 1 ms. Measured by the load
        // harness at 1 sample/message: QuestDB's CPU per sample halved (features/host/load/README.md).
        for (String pool : new String[] {"SHARED_WORKER", "WAL_APPLY_WORKER"}) {
            env.put("QDB_" + pool + "_YIELD_THRESHOLD", "5");
            env.put("QDB_" + pool + "_NAP_THRESHOLD", "20");
            env.put("QDB_" + pool + "_SLEEP_THRESHOLD", "50");
            env.put("QDB_" + pool + "_SLEEP_TIMEOUT", "1");
        }
        hostProperties.forEach((k, v) -> {
            if (k.startsWith(CONF_PREFIX) && k.length() > CONF_PREFIX.length()) {
                env.put("QDB_" + k.substring(CONF_PREFIX.length()).replace('.', '_').toUpperCase(Locale.ROOT), v);
            }
        });
        return env;
    }

    @Override
    public void stop() {
        if (server != null) {
            ServerMain s = server;
            server = null;
            s.close();
        }
    }
}
