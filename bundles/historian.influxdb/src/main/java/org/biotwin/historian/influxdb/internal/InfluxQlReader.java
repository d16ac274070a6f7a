package org.biotwin.historian.influxdb.internal;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.InfluxDBClientOptions;
import com.influxdb.client.domain.InfluxQLQuery;
import com.influxdb.query.InfluxQLQueryResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.biotwin.api.historian.HistorianException;
import org.biotwin.api.historian.Series;
import org.jspecify.annotations.Nullable;

/**
 * InfluxQL through influxdb-client-java's InfluxQL API ({@code /query}), database = bucket, times as epoch
 * microseconds. CSV, not JSON: the 7.5.0 client's JSON parser fails on null columns ({@code UnsupportedOperationException:
 * JsonNull}), which a sample without batch context has. Thread-safe.
 */
final class InfluxQlReader implements HistoryReader {

    private final Settings settings;
    private final InfluxDBClient client;

    InfluxQlReader(Settings settings) {
        this.settings = settings;
        InfluxDBClientOptions.Builder options = InfluxDBClientOptions.builder().url(settings.readUrl().toString())
                .org(settings.org()).bucket(settings.bucket());
        if (!settings.token().isEmpty()) {
            options.authenticateToken(settings.token().toCharArray());
        }
        this.client = InfluxDBClientFactory.create(options.build());
    }

    @Override
    public List<Series> range(String unit, List<String> tags, Instant from, Instant to) {
        return query(Queries.influxqlRange(settings.site(), unit, tags, from, to));
    }

    @Override
    public List<Series> batch(String batchId) {
        return query(Queries.influxqlBatch(settings.site(), batchId));
    }

    List<Series> query(String q) {
        try {
            InfluxQLQuery query = new InfluxQLQuery(q, settings.bucket())
                    .setPrecision(InfluxQLQuery.InfluxQLPrecision.MICROSECONDS);
            InfluxQLQueryResult result = client.getInfluxQLQueryApi().queryCSV(query);
            SeriesAssembler out = new SeriesAssembler();
            for (InfluxQLQueryResult.Result r : result.getResults()) {
                for (InfluxQLQueryResult.Series s : r.getSeries()) {
                    Map<String, String> groupTags = s.getTags();
                    for (InfluxQLQueryResult.Series.Record rec : s.getValues()) {
                        Object value = rec.getValueByKey("value");
                        if (value == null || value.toString().isEmpty()) {
                            continue;
                        }
                        out.add(groupTags.get("unit"), groupTags.get("tag"),
                                Precision.US.toInstant(number(rec.getValueByKey("time")).longValue()),
                                number(value).doubleValue(), text(rec.getValueByKey("uom")),
                                text(rec.getValueByKey("quality")), text(rec.getValueByKey("batch")),
                                text(rec.getValueByKey("phase")));
                    }
                }
            }
            return out.result();
        } catch (RuntimeException e) {
            throw new HistorianException(HistorianException.Reason.READ_FAILED,
                    "InfluxQL read at " + settings.readUrl() + " failed: " + e.getMessage() + " (query: " + q + ")",
                    e);
        }
    }

    private static Number number(Object o) {
        if (o instanceof Number n) {
            return n;
        }
        // JSON numbers may arrive as text depending on the client's extractor; parse exactly.
        return new java.math.BigDecimal(o.toString());
    }

    private static @Nullable String text(@Nullable Object o) {
        return o == null ? null : o.toString();
    }

    @Override
    public void close() {
        client.close();
    }
}
