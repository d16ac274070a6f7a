package org.biotwin.host;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** SQL reads from QuestDB over its PostgreSQL wire port, as an operator's tool would (user admin, password quest). */
final class Sql {
    private final int port;

    Sql(int port) {
        this.port = port;
    }

    private Connection open() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "admin");
        p.setProperty("password", "quest");
        p.setProperty("sslmode", "disable");
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "20");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/qdb", p);
    }

    /** The first column of the first row as a long; 0 when the table does not exist yet or the server is down. */
    long count(String sql) {
        try (Connection c = open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            return 0;
        }
    }

    /** Every row as column label → value (strings as returned by the driver). */
    List<Map<String, Object>> rows(String sql) throws SQLException {
        try (Connection c = open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<Map<String, Object>> out = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= n; i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                out.add(row);
            }
            return out;
        }
    }
}
