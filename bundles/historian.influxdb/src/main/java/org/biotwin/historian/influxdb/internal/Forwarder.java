package org.biotwin.historian.influxdb.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer thread of store-and-forward: drains the {@link DiskBuffer} to the server in order and removes what the
 * server acknowledged.
 * <ul>
 * <li>Unreachable server, 5xx, 429, or 401/403/404 (a configuration fault, the data is fine): the batch stays at the
 * head of the buffer and is retried after an exponential backoff, {@code retryInitialMs} doubling up to
 * {@code retryMaxMs}.</li>
 * <li>400/422 (the server rejects the content, for example a field type conflict): the batch is split in halves until
 * the rejected lines are isolated; they go to {@code dead-letter.lp} with the server's message, an alarm is raised,
 * and the good lines are written. Re-sending lines that a server partly accepted is harmless because the point
 * identity is idempotent.</li>
 * </ul>
 * One instance, one thread.
 */
final class Forwarder implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);

    private final DiskBuffer buffer;
    private final LineSink sink;
    private final Settings settings;
    private final Path deadLetterFile;
    /** Called with (number of points, server message) for every dead-lettered group. */
    private final BiConsumer<Integer, String> deadLetterAlarm;
    private volatile boolean running = true;
    private volatile boolean reachable;
    private volatile @Nullable String lastError;
    private volatile @Nullable Instant lastForwarded;
    final AtomicLong forwardedPoints = new AtomicLong();
    final AtomicLong deadLetteredPoints = new AtomicLong();
    final AtomicLong requests = new AtomicLong();

    Forwarder(DiskBuffer buffer, LineSink sink, Settings settings, BiConsumer<Integer, String> deadLetterAlarm) {
        this.buffer = buffer;
        this.sink = sink;
        this.settings = settings;
        this.deadLetterFile = settings.bufferDirectory().resolve("dead-letter.lp");
        this.deadLetterAlarm = deadLetterAlarm;
    }

    @Override
    public void run() {
        long delay = settings.retryInitialMs();
        while (running) {
            try {
                List<DiskBuffer.Record> batch = buffer.peek(settings.batchSize(), 500, settings.flushIntervalMs());
                if (batch.isEmpty()) {
                    continue;
                }
                send(batch);
                buffer.acknowledge(batch);
                if (!reachable) {
                    LOG.info("Historian {}: server reachable again, {} points still buffered", settings.url(),
                            buffer.bufferedPoints());
                }
                reachable = true;
                lastForwarded = Instant.now();
                delay = settings.retryInitialMs();
            } catch (LineSink.SinkException e) {
                lastError = e.getMessage();
                if (reachable || delay == settings.retryInitialMs()) {
                    LOG.warn("Historian {}: write failed ({}); {} points kept in the buffer, retrying with backoff",
                            settings.url(), e.getMessage(), buffer.bufferedPoints());
                }
                reachable = false;
                if (!pause(delay)) {
                    return;
                }
                delay = Math.min(settings.retryMaxMs(), delay * 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                if (!running) {
                    return;
                }
                lastError = e.toString();
                LOG.error("Historian buffer {}: {}", settings.bufferDirectory(), e.toString(), e);
                if (!pause(delay)) {
                    return;
                }
                delay = Math.min(settings.retryMaxMs(), delay * 2);
            }
        }
    }

    private boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Sends one batch; returns once every point was acknowledged or dead-lettered. */
    private void send(List<DiskBuffer.Record> batch) throws LineSink.SinkException, IOException {
        DiskBuffer.Record first = batch.get(0);
        if (first.kind() == DiskBuffer.KIND_SQL) {
            String sql = first.text();
            try {
                requests.incrementAndGet();
                sink.execute(sql);
            } catch (LineSink.SinkException e) {
                if (!e.rejected()) {
                    throw e;
                }
                deadLetter(List.of("# sql: " + sql), 0, e.getMessage());
            }
            return;
        }
        if (batch.size() == 1) {
            sendLines(first.precision(), first.text(), first.points());
            return;
        }
        int size = 0;
        int points = 0;
        for (DiskBuffer.Record r : batch) {
            size += r.payload().length;
            points += r.points();
        }
        StringBuilder body = new StringBuilder(size);
        for (DiskBuffer.Record r : batch) {
            body.append(r.text());
        }
        sendLines(first.precision(), body.toString(), points);
    }

    private void sendLines(Precision precision, String body, int points) throws LineSink.SinkException, IOException {
        try {
            requests.incrementAndGet();
            sink.write(precision, body);
            forwardedPoints.addAndGet(points);
        } catch (LineSink.SinkException e) {
            if (!e.rejected()) {
                throw e;
            }
            List<String> lines = new ArrayList<>(Arrays.asList(body.split("\n")));
            lines.removeIf(String::isEmpty);
            isolate(precision, lines, e);
        }
    }

    /** Bisects a rejected group of lines: good halves are written, single rejected lines are dead-lettered. */
    private void isolate(Precision precision, List<String> lines, LineSink.SinkException rejection)
            throws LineSink.SinkException, IOException {
        if (lines.size() == 1) {
            deadLetter(lines, 1, rejection.getMessage());
            return;
        }
        int mid = lines.size() / 2;
        for (List<String> half : List.of(lines.subList(0, mid), lines.subList(mid, lines.size()))) {
            try {
                requests.incrementAndGet();
                sink.write(precision, String.join("\n", half) + "\n");
                forwardedPoints.addAndGet(half.size());
            } catch (LineSink.SinkException e) {
                if (!e.rejected()) {
                    throw e;
                }
                isolate(precision, half, e);
            }
        }
    }

    private void deadLetter(List<String> lines, int points, @Nullable String message) throws IOException {
        StringBuilder sb = new StringBuilder();
        String why = message == null ? "" : message.replace('\n', ' ').replace('\r', ' ');
        sb.append("# ").append(Instant.now()).append(" rejected by ").append(settings.url()).append(": ").append(why)
                .append('\n');
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        try (OutputStream out = Files.newOutputStream(deadLetterFile, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE, StandardOpenOption.SYNC)) {
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        deadLetteredPoints.addAndGet(points);
        LOG.error("Historian ALARM: the server rejected {} line(s); moved to dead-letter file {}: {}", lines.size(),
                deadLetterFile, why);
        deadLetterAlarm.accept(points, why);
    }

    boolean reachable() {
        return reachable;
    }

    @Nullable
    String lastError() {
        return lastError;
    }

    @Nullable
    Instant lastForwarded() {
        return lastForwarded;
    }

    Path deadLetterFile() {
        return deadLetterFile;
    }

    void stop() {
        running = false;
    }
}
