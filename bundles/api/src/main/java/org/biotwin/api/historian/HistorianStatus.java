package org.biotwin.api.historian;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of the historian's health and counters since the component started. Immutable.
 *
 * @param backend               configured backend, for example {@code QUESTDB_SQL}
 * @param serverReachable       whether the last attempt to reach the server succeeded
 * @param bufferedPoints        points accepted but not yet acknowledged by the server (estimate after a restart)
 * @param bufferedBytes         bytes held in the on-disk buffer
 * @param bufferCapacityBytes   bound of the on-disk buffer
 * @param acceptedPoints        points accepted into the buffer
 * @param forwardedPoints       points acknowledged by the server
 * @param refusedPoints         points refused because the buffer was full (never stored; an alarm was raised)
 * @param deadLetteredPoints    points the server rejected as invalid, moved to the dead-letter file
 * @param bufferFullAlarm       whether the buffer is full now
 * @param lastError             last server or disk error, {@code null} if none since start
 * @param lastForwarded         when the server last acknowledged a write, {@code null} if never since start
 */
public record HistorianStatus(String backend, boolean serverReachable, long bufferedPoints, long bufferedBytes,
        long bufferCapacityBytes, long acceptedPoints, long forwardedPoints, long refusedPoints,
        long deadLetteredPoints, boolean bufferFullAlarm, @Nullable String lastError, @Nullable Instant lastForwarded) {
}
