package org.biotwin.historian.influxdb.internal;

/** The database behind the historian and so the read dialect and the de-duplication mechanism. */
public enum Backend {
    /** QuestDB: InfluxDB v2 line protocol over HTTP for writes, SQL over PostgreSQL wire for reads, DEDUP UPSERT KEYS. */
    QUESTDB_SQL,
    /** InfluxDB 1.8+ / 3 (InfluxQL over {@code /query}); writes through the v2 API (1.8+ and 3 accept it). */
    INFLUXQL,
    /** InfluxDB 2: Flux over {@code /api/v2/query}. */
    FLUX
}
