package org.biotwin.historian.influxdb.internal;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.InfluxDBClientOptions;
import com.influxdb.query.FluxRecord;
import com.influxdb.query.FluxTable;
import java.time.Instant;
import java.util.List;
import org.biotwin.api.historian.HistorianException;
import org.biotwin.api.historian.Series;
import org.jspecify.annotations.Nullable;

/**
 * Flux through influxdb-client-java's query API ({@code /api/v2/query}), for InfluxDB 2. NOT run against a real
 * InfluxDB 2 here (none can be installed from the reachable registries); the query text is unit-tested. Thread-safe.
 */
final class FluxReader implements HistoryReader {

    private final Settings settings;
    private final InfluxDBClient client;

    FluxReader(Settings settings) {
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
        return query(Queries.fluxRange(settings.bucket(), settings.site(), unit, tags, from, to));
    }

    @Override
    public List<Series> batch(String batchId) {
        return query(Queries.fluxBatch(settings.bucket(), settings.site(), batchId));
    }

    private List<Series> query(String flux) {
        try {
            SeriesAssembler out = new SeriesAssembler();
            for (FluxTable t : client.getQueryApi().query(flux, settings.org())) {
                for (FluxRecord r : t.getRecords()) {
                    if (r.getTime() == null || !(r.getValue() instanceof Number n)) {
                        continue;
                    }
                    out.add(text(r.getValueByKey("unit")), text(r.getValueByKey("tag")), r.getTime(), n.doubleValue(),
                            text(r.getValueByKey("uom")), text(r.getValueByKey("quality")),
                            text(r.getValueByKey("batch")), text(r.getValueByKey("phase")));
                }
            }
            return out.result();
        } catch (RuntimeException e) {
            throw new HistorianException(HistorianException.Reason.READ_FAILED,
                    "Flux read at " + settings.readUrl() + " failed: " + e.getMessage(), e);
        }
    }

    private static String text(@Nullable Object o) {
        return o == null ? "" : o.toString();
    }

    @Override
    public void close() {
        client.close();
    }
}
