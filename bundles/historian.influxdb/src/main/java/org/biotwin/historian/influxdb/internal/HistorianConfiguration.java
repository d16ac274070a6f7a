package org.biotwin.historian.influxdb.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Metatype of the historian. Parsed and checked once into {@link Settings}. */
@ObjectClassDefinition(id = HistorianConfiguration.PID, name = "BioTwin historian",
        description = "Writes plant samples and twin outputs as InfluxDB line protocol through a bounded on-disk "
                + "store-and-forward buffer, and reads history back in the backend's dialect.")
public @interface HistorianConfiguration {

    /** Configuration PID. */
    String PID = "org.biotwin.historian.influxdb";

    @AttributeDefinition(name = "Write URL", description = "Base URL of the InfluxDB v2 write API, for example "
            + "http://127.0.0.1:9000 for QuestDB's HTTP port or http://influx:8086 for InfluxDB. Required.")
    String url();

    @AttributeDefinition(name = "Token", type = AttributeType.PASSWORD, required = false,
            description = "API token for InfluxDB 2/3 (also used for InfluxQL reads). QuestDB open source ignores "
                    + "it. Never logged.")
    String token() default "";

    @AttributeDefinition(name = "Organisation", description = "InfluxDB organisation (ignored by QuestDB).")
    String org() default "biotwin";

    @AttributeDefinition(name = "Bucket", description = "InfluxDB bucket, also the InfluxQL database (ignored by "
            + "QuestDB, where each measurement is a table).")
    String bucket() default "biotwin";

    @AttributeDefinition(name = "Precision", description = "Timestamp precision sent to the server.",
            options = { @Option(label = "nanoseconds", value = "NS"), @Option(label = "microseconds", value = "US"),
                    @Option(label = "milliseconds", value = "MS"), @Option(label = "seconds", value = "S") })
    String precision() default "MS";

    @AttributeDefinition(name = "Site", description = "Site tag written with every point, for example the plant "
            + "code. Required.")
    String site();

    @AttributeDefinition(name = "Batch size", description = "Most points per write request (1..100000).")
    int batchSize() default 5000;

    @AttributeDefinition(name = "Flush interval (ms)", description = "How long the writer waits for a batch to fill "
            + "before it sends a smaller one (0..60000).")
    int flushIntervalMs() default 50;

    @AttributeDefinition(name = "Buffer directory", description = "Directory of the on-disk store-and-forward "
            + "buffer and the dead-letter file; created if missing; one historian per directory. Required.")
    String bufferDirectory();

    @AttributeDefinition(name = "Buffer bound (bytes)", description = "Most bytes held in the buffer. When it is "
            + "full, writes wait, then are refused with an alarm (4096..1e12).")
    long bufferMaxBytes() default 268_435_456L;

    @AttributeDefinition(name = "Buffer-full wait (ms)", description = "How long a write waits for room in a full "
            + "buffer before it is refused (0..600000).")
    int bufferFullWaitMs() default 2000;

    @AttributeDefinition(name = "Segment size (bytes)", description = "Size at which a buffer segment file is closed "
            + "and a new one started (4096..1073741824).")
    int segmentBytes() default 16_777_216;

    @AttributeDefinition(name = "Backend", description = "Database behind the URL; selects the read dialect and how "
            + "duplicates are removed.",
            options = { @Option(label = "QuestDB (SQL over PostgreSQL wire)", value = "QUESTDB_SQL"),
                    @Option(label = "InfluxDB 1.8+/3 (InfluxQL)", value = "INFLUXQL"),
                    @Option(label = "InfluxDB 2 (Flux)", value = "FLUX") })
    String backend() default "QUESTDB_SQL";

    @AttributeDefinition(name = "Read URL", required = false, description = "Base URL for InfluxQL/Flux reads, when "
            + "it differs from the write URL. Empty: the write URL.")
    String readUrl() default "";

    @AttributeDefinition(name = "PostgreSQL host", description = "QuestDB reads: host of the PostgreSQL wire "
            + "endpoint.")
    String pgHost() default "127.0.0.1";

    @AttributeDefinition(name = "PostgreSQL port", description = "QuestDB reads: port of the PostgreSQL wire "
            + "endpoint (1..65535).")
    int pgPort() default 8812;

    @AttributeDefinition(name = "PostgreSQL database", description = "QuestDB reads: database name.")
    String pgDatabase() default "qdb";

    @AttributeDefinition(name = "PostgreSQL user", description = "QuestDB reads: user.")
    String pgUser() default "admin";

    @AttributeDefinition(name = "PostgreSQL password", type = AttributeType.PASSWORD,
            description = "QuestDB reads: password. Never logged.")
    String pgPassword() default "quest";

    @AttributeDefinition(name = "Request timeout (ms)", description = "Connect, read and write timeout of one "
            + "request to the server (100..600000).")
    int timeoutMs() default 10_000;

    @AttributeDefinition(name = "Initial retry delay (ms)", description = "First delay after a failed write; "
            + "doubles after each failure up to the cap (10..600000).")
    int retryInitialMs() default 250;

    @AttributeDefinition(name = "Retry delay cap (ms)", description = "Largest delay between write attempts while "
            + "the server is unreachable (10..3600000).")
    int retryMaxMs() default 30_000;
}
