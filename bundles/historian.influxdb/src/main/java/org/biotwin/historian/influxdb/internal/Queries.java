package org.biotwin.historian.influxdb.internal;

import java.time.Instant;
import java.util.List;

/**
 * Query text per dialect for the sample measurement ({@link LineProtocol#SAMPLE_MEASUREMENT}). Values are escaped per
 * dialect (SQL values are bound as parameters instead). Stateless.
 */
public final class Queries {

    private Queries() {
    }

    // ---- QuestDB SQL (PostgreSQL wire). Time bounds are inlined as numbers; text values are bind parameters. ----

    /** Columns returned by both SQL queries, in this order. */
    static final String SQL_COLUMNS = "cast(ts AS long) AS t_us, \"unit\", \"tag\", \"value\", \"uom\", \"quality\", "
            + "\"batch\", \"phase\"";

    /** Range query; parameters: site, unit, then each tag. */
    public static String sqlRange(int tagCount, Instant from, Instant to) {
        StringBuilder sb = new StringBuilder("SELECT ").append(SQL_COLUMNS).append(" FROM ")
                .append(LineProtocol.SAMPLE_MEASUREMENT).append(" WHERE \"site\" = ? AND \"unit\" = ?");
        if (tagCount > 0) {
            sb.append(" AND \"tag\" IN (");
            for (int i = 0; i < tagCount; i++) {
                sb.append(i == 0 ? "?" : ", ?");
            }
            sb.append(')');
        }
        sb.append(" AND ts >= cast(").append(Precision.US.toEpoch(from)).append(" AS timestamp) AND ts < cast(")
                .append(Precision.US.toEpoch(to)).append(" AS timestamp) ORDER BY ts");
        return sb.toString();
    }

    /** Whole-batch query; parameters: site, batch id. */
    public static String sqlBatch() {
        return "SELECT " + SQL_COLUMNS + " FROM " + LineProtocol.SAMPLE_MEASUREMENT
                + " WHERE \"site\" = ? AND \"batch\" = ? ORDER BY ts";
    }

    /** The QuestDB table of samples, with de-duplication on (ts, site, unit, tag). */
    public static String sqlCreateSampleTable() {
        return "CREATE TABLE IF NOT EXISTS " + LineProtocol.SAMPLE_MEASUREMENT + " (\"site\" SYMBOL, \"unit\" SYMBOL, "
                + "\"tag\" SYMBOL, \"batch\" SYMBOL, \"phase\" SYMBOL, \"uom\" SYMBOL, \"quality\" SYMBOL, "
                + "\"value\" DOUBLE, ts TIMESTAMP) TIMESTAMP(ts) PARTITION BY DAY WAL "
                + "DEDUP UPSERT KEYS(ts, \"site\", \"unit\", \"tag\")";
    }

    // ---- InfluxQL (InfluxDB 1.x /query, 3) ----

    /** Range query; one series per tag (GROUP BY "tag"). */
    public static String influxqlRange(String site, String unit, List<String> tags, Instant from, Instant to) {
        StringBuilder sb = new StringBuilder(influxqlSelect()).append(" WHERE \"site\" = ").append(iqlString(site))
                .append(" AND \"unit\" = ").append(iqlString(unit));
        if (!tags.isEmpty()) {
            sb.append(" AND (");
            for (int i = 0; i < tags.size(); i++) {
                sb.append(i == 0 ? "" : " OR ").append("\"tag\" = ").append(iqlString(tags.get(i)));
            }
            sb.append(')');
        }
        // Integer time literals are nanoseconds in InfluxQL.
        sb.append(" AND time >= ").append(Precision.NS.toEpoch(from)).append(" AND time < ")
                .append(Precision.NS.toEpoch(to)).append(" GROUP BY \"unit\", \"tag\"");
        return sb.toString();
    }

    /** Whole-batch query; one series per unit and tag. */
    public static String influxqlBatch(String site, String batchId) {
        return influxqlSelect() + " WHERE \"site\" = " + iqlString(site) + " AND \"batch\" = " + iqlString(batchId)
                + " GROUP BY \"unit\", \"tag\"";
    }

    private static String influxqlSelect() {
        // Tags may be selected next to a field; they come back as columns.
        return "SELECT \"value\", \"uom\", \"quality\", \"batch\", \"phase\" FROM \""
                + LineProtocol.SAMPLE_MEASUREMENT + "\"";
    }

    static String iqlString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    // ---- Flux (InfluxDB 2 /api/v2/query) ----

    /** Range query; tables grouped by unit and tag, sorted by time. */
    public static String fluxRange(String bucket, String site, String unit, List<String> tags, Instant from,
            Instant to) {
        StringBuilder sb = new StringBuilder();
        sb.append("from(bucket: ").append(fluxString(bucket)).append(")\n")
                .append("  |> range(start: ").append(from).append(", stop: ").append(to).append(")\n")
                .append("  |> filter(fn: (r) => r._measurement == ").append(fluxString(LineProtocol.SAMPLE_MEASUREMENT))
                .append(" and r._field == \"value\")\n")
                .append("  |> filter(fn: (r) => r.site == ").append(fluxString(site)).append(" and r.unit == ")
                .append(fluxString(unit)).append(")\n");
        if (!tags.isEmpty()) {
            sb.append("  |> filter(fn: (r) => ");
            for (int i = 0; i < tags.size(); i++) {
                sb.append(i == 0 ? "" : " or ").append("r.tag == ").append(fluxString(tags.get(i)));
            }
            sb.append(")\n");
        }
        return sb.append(fluxTail()).toString();
    }

    /** Whole-batch query over all time (range from the epoch to now). */
    public static String fluxBatch(String bucket, String site, String batchId) {
        return "from(bucket: " + fluxString(bucket) + ")\n"
                + "  |> range(start: 0)\n"
                + "  |> filter(fn: (r) => r._measurement == " + fluxString(LineProtocol.SAMPLE_MEASUREMENT)
                + " and r._field == \"value\")\n"
                + "  |> filter(fn: (r) => r.site == " + fluxString(site) + " and r.batch == " + fluxString(batchId)
                + ")\n" + fluxTail();
    }

    private static String fluxTail() {
        // One table per unit and tag, whatever the other tags (quality, phase) were; time order within each.
        return "  |> group(columns: [\"unit\", \"tag\"])\n  |> sort(columns: [\"_time\"])\n";
    }

    static String fluxString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("${", "\\${") + "\"";
    }
}
