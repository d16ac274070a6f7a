package org.biotwin.historian.influxdb.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.biotwin.api.historian.HistorianException;
import org.biotwin.api.historian.Series;

/**
 * SQL over QuestDB's PostgreSQL wire endpoint. The driver is instantiated directly rather than through
 * {@code DriverManager}, which does not see drivers of other bundles in OSGi. One connection per read: reads are for
 * calibration and backfill, not a hot path. Thread-safe.
 */
final class QuestDbSqlReader implements HistoryReader {

    private final Settings settings;
    private final java.sql.Driver driver;

    QuestDbSqlReader(Settings settings) {
        this.settings = settings;
        try {
            this.driver = new org.postgresql.Driver();
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException("Historian backend QUESTDB_SQL needs the PostgreSQL JDBC driver bundle "
                    + "(org.postgresql:postgresql) installed and resolved before this bundle", e);
        }
    }

    @Override
    public List<Series> range(String unit, List<String> tags, Instant from, Instant to) {
        String sql = Queries.sqlRange(tags.size(), from, to);
        return query(sql, ps -> {
            ps.setString(1, settings.site());
            ps.setString(2, unit);
            for (int i = 0; i < tags.size(); i++) {
                ps.setString(3 + i, tags.get(i));
            }
        }, "unit " + unit + " " + tags + " in [" + from + ", " + to + ")");
    }

    @Override
    public List<Series> batch(String batchId) {
        return query(Queries.sqlBatch(), ps -> {
            ps.setString(1, settings.site());
            ps.setString(2, batchId);
        }, "batch " + batchId);
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<Series> query(String sql, Binder binder, String what) {
        Properties p = new Properties();
        p.setProperty("user", settings.pgUser());
        p.setProperty("password", settings.pgPassword());
        p.setProperty("sslmode", "disable");
        p.setProperty("connectTimeout", Integer.toString(Math.max(1, settings.timeoutMs() / 1000)));
        p.setProperty("socketTimeout", Integer.toString(Math.max(1, settings.timeoutMs() / 1000)));
        try (Connection c = driver.connect(settings.jdbcUrl(), p); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            SeriesAssembler out = new SeriesAssembler();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(2), rs.getString(3), Precision.US.toInstant(rs.getLong(1)), rs.getDouble(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8));
                }
            }
            return out.result();
        } catch (SQLException | RuntimeException e) {
            if (e instanceof SQLException s && "42P01".equals(s.getSQLState())) {
                return List.of(); // the table does not exist yet: nothing was ever forwarded
            }
            throw new HistorianException(HistorianException.Reason.READ_FAILED, "QuestDB read of " + what + " at "
                    + settings.jdbcUrl() + " failed: " + e.getMessage(), e);
        }
    }
}
