package org.biotwin.historian.influxdb.internal;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.InfluxDBClientOptions;
import com.influxdb.client.WriteApiBlocking;
import com.influxdb.client.domain.WritePrecision;
import com.influxdb.exceptions.InfluxException;
import java.io.IOException;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Writes through influxdb-client-java's blocking v2 write API ({@code POST /api/v2/write}), which QuestDB, InfluxDB
 * 1.8+, 2 and 3 accept. QuestDB schema statements go to QuestDB's REST {@code GET /exec} on the same port, so that the
 * write path never needs the PostgreSQL driver. Thread-confined to the forwarder.
 */
final class InfluxClientSink implements LineSink {

    private final Settings settings;
    private final InfluxDBClient client;
    private final WriteApiBlocking writeApi;
    private final OkHttpClient http;

    InfluxClientSink(Settings settings) {
        this.settings = settings;
        Duration timeout = Duration.ofMillis(settings.timeoutMs());
        OkHttpClient.Builder okhttp = new OkHttpClient.Builder().connectTimeout(timeout).readTimeout(timeout)
                .writeTimeout(timeout).retryOnConnectionFailure(false);
        InfluxDBClientOptions.Builder options = InfluxDBClientOptions.builder().url(settings.url().toString())
                .org(settings.org()).bucket(settings.bucket()).okHttpClient(okhttp);
        if (!settings.token().isEmpty()) {
            options.authenticateToken(settings.token().toCharArray());
        }
        this.client = InfluxDBClientFactory.create(options.build());
        this.writeApi = client.getWriteApiBlocking();
        this.http = okhttp.build();
    }

    static WritePrecision wire(Precision p) {
        return switch (p) {
            case NS -> WritePrecision.NS;
            case US -> WritePrecision.US;
            case MS -> WritePrecision.MS;
            case S -> WritePrecision.S;
        };
    }

    @Override
    public void write(Precision precision, String lines) throws SinkException {
        try {
            writeApi.writeRecord(settings.bucket(), settings.org(), wire(precision), lines);
        } catch (InfluxException e) {
            throw new SinkException(e.status(), "HTTP " + e.status() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new SinkException(0, e.toString(), e);
        }
    }

    @Override
    public void execute(String sql) throws SinkException {
        if (settings.backend() != Backend.QUESTDB_SQL) {
            return;
        }
        HttpUrl base = HttpUrl.get(settings.url().toString());
        HttpUrl url = base.newBuilder().addPathSegment("exec").addQueryParameter("query", sql).build();
        try (Response r = http.newCall(new Request.Builder().url(url).get().build()).execute()) {
            String body = r.body() == null ? "" : r.body().string();
            if (!r.isSuccessful()) {
                throw new SinkException(r.code(), "HTTP " + r.code() + " for " + sql + ": " + body, null);
            }
        } catch (IOException e) {
            throw new SinkException(0, e.toString(), e);
        }
    }

    @Override
    public void close() {
        client.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
