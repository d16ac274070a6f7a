package org.biotwin.historian.influxdb.internal;

import java.time.Instant;

/** Timestamp precision of the line protocol sent to the server. Finer than the source clock gains nothing. */
public enum Precision {
    NS("ns"), US("us"), MS("ms"), S("s");

    private final String wire;

    Precision(String wire) {
        this.wire = wire;
    }

    /** The {@code precision} query parameter of the write API. */
    public String wire() {
        return wire;
    }

    /** {@code time} since the epoch in this precision, truncated toward negative infinity. */
    public long toEpoch(Instant time) {
        return switch (this) {
            case S -> time.getEpochSecond();
            case MS -> time.toEpochMilli();
            case US -> time.getEpochSecond() * 1_000_000L + time.getNano() / 1_000;
            case NS -> time.getEpochSecond() * 1_000_000_000L + time.getNano();
        };
    }

    /** Inverse of {@link #toEpoch}. */
    public Instant toInstant(long epoch) {
        return switch (this) {
            case S -> Instant.ofEpochSecond(epoch);
            case MS -> Instant.ofEpochMilli(epoch);
            case US -> Instant.ofEpochSecond(Math.floorDiv(epoch, 1_000_000L), Math.floorMod(epoch, 1_000_000L) * 1_000L);
            case NS -> Instant.ofEpochSecond(Math.floorDiv(epoch, 1_000_000_000L), Math.floorMod(epoch, 1_000_000_000L));
        };
    }

    /** The code stored in a buffer record. */
    byte code() {
        return (byte) ordinal();
    }

    static Precision ofCode(byte code) {
        Precision[] all = values();
        if (code < 0 || code >= all.length) {
            throw new IllegalArgumentException("Unknown precision code " + code);
        }
        return all[code];
    }
}
