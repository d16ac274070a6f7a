package org.biotwin.historian.influxdb.internal;

import io.questdb.ServerMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;

/**
 * A real QuestDB server in the test JVM, on loopback (TOOLCHAIN-NOTES recipe). About 3.5 s to start: one per test
 * class. Port 0 picks free ports; passing the ports of a closed server restarts "the same" server.
 */
final class QuestDb implements AutoCloseable {

    final Path dir;
    final ServerMain server;
    final int httpPort;
    final int pgPort;

    private QuestDb(Path dir, ServerMain server) {
        this.dir = dir;
        this.server = server;
        this.httpPort = server.getHttpServerPort();
        this.pgPort = server.getPgWireServerPort();
    }

    static QuestDb start(Path dir, int httpPort, int pgPort) throws Exception {
        Files.createDirectories(dir);
        ServerMain s = ServerMain.create(dir.toString(), Map.of(
                "QDB_HTTP_BIND_TO", "127.0.0.1:" + httpPort,
                "QDB_PG_NET_BIND_TO", "127.0.0.1:" + pgPort,
                "QDB_LINE_TCP_ENABLED", "false",
                "QDB_HTTP_MIN_ENABLED", "false",
                "QDB_LINE_UDP_ENABLED", "false",
                "QDB_TELEMETRY_ENABLED", "false",
                "QDB_SHARED_WORKER_COUNT", "2"));
        s.start();
        s.awaitStartup();
        return new QuestDb(dir, s);
    }

    String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Waits until the WAL of a table is applied, so that SQL sees every acknowledged row. */
    void awaitApplied(String table) {
        server.awaitTable(table);
    }

    long count(String sql) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "admin");
        p.setProperty("password", "quest");
        p.setProperty("sslmode", "disable");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/qdb", p);
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
