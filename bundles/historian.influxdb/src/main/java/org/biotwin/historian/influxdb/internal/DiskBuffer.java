package org.biotwin.historian.influxdb.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounded, durable FIFO of line-protocol records on disk: the store of store-and-forward.
 * <p>
 * <b>Layout.</b> Append-only segment files {@code segment-<id>.log}, each a sequence of records
 * {@code [int length][byte kind][byte precision][int points][int crc32c][payload]}, where the CRC covers kind,
 * precision, points and payload. {@code ack.pos} holds (segment id, offset) of the first record not yet acknowledged by
 * the server; it is replaced atomically after each acknowledged batch but not synced, so after a crash a few batches
 * may be sent again, which the idempotent point identity makes harmless.
 * <p>
 * <b>Durability.</b> {@link #append} returns once the record is on stable storage: appenders write under a lock, then
 * sync in groups (one {@code force} covers every record written before it, so concurrent appenders share syncs).
 * Recovery after a crash keeps every whole record of the last segment and cuts a torn tail; a record that was cut was
 * never acknowledged to its caller.
 * <p>
 * <b>Bound.</b> The bytes of unacknowledged records are bounded by {@code maxBytes}. A full buffer makes
 * {@link #append} wait up to the given time for the forwarder to free room, then return {@code false}.
 * <p>
 * Thread-safe: any number of appenders, one consumer (the forwarder).
 */
public final class DiskBuffer implements AutoCloseable {

    /** Record kind: line protocol lines. */
    public static final byte KIND_LINES = 0;
    /** Record kind: an SQL statement for the server (QuestDB schema), run before the records after it. */
    public static final byte KIND_SQL = 1;

    static final int HEADER = 14;
    private static final Logger LOG = LoggerFactory.getLogger(DiskBuffer.class);

    /** One record as read back. */
    public record Record(long segment, long offset, long end, byte kind, Precision precision, int points,
            byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition durableData = lock.newCondition();
    private final Object syncLock = new Object();

    // Guarded by lock.
    private final TreeMap<Long, Long> segmentSizes = new TreeMap<>();
    private long writeSegment;
    private FileChannel writeChannel;
    private long writeOffset;
    private long durableSegment;
    private long durableOffset;
    private long ackSegment;
    private long ackOffset;
    private long usedBytes;
    private long bufferedPoints;
    /** A sync signals the reader when at least this many points are buffered: 1, or a full batch while it lingers. */
    private long wakeAtPoints = 1;
    private boolean closed;
    // Consumer side: a cached read channel of the segment being drained.
    private @Nullable FileChannel readChannel;
    private long readChannelSegment = -1;

    /**
     * Opens (and recovers) the buffer in {@code dir}.
     *
     * @throws IOException if the directory cannot be created or read
     */
    public DiskBuffer(Path dir, long maxBytes, long segmentBytes) throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        Files.createDirectories(dir);
        readAckPosition();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String n = p.getFileName().toString();
                if (n.startsWith("segment-") && n.endsWith(".log")) {
                    long id = Long.parseLong(n.substring(8, n.length() - 4));
                    if (id < ackSegment) {
                        Files.delete(p); // fully acknowledged; the delete had not happened before a crash
                    } else {
                        segmentSizes.put(id, Files.size(p));
                    }
                }
            }
        }
        if (segmentSizes.isEmpty()) {
            writeSegment = Math.max(ackSegment, 1);
            ackSegment = writeSegment;
            ackOffset = 0;
            segmentSizes.put(writeSegment, 0L);
            Files.createFile(path(writeSegment));
            syncDirectory();
        } else {
            writeSegment = segmentSizes.lastKey();
            if (ackSegment < segmentSizes.firstKey()) {
                ackSegment = segmentSizes.firstKey();
                ackOffset = 0;
            }
        }
        // Validate every segment from the ack position; cut a torn tail of the last one.
        for (long id : new ArrayList<>(segmentSizes.keySet())) {
            long from = id == ackSegment ? ackOffset : 0;
            long valid = scan(id, from);
            long size = segmentSizes.get(id);
            if (valid < size) {
                if (id == writeSegment) {
                    LOG.warn("Historian buffer {}: cutting {} bytes of an incomplete record at the end of segment {} "
                            + "(written but never acknowledged before a crash)", dir, size - valid, id);
                } else {
                    Path keep = dir.resolve("corrupt-" + name(id));
                    Files.copy(path(id), keep, StandardCopyOption.REPLACE_EXISTING);
                    LOG.error("Historian buffer {}: segment {} is corrupt after offset {}; the unreadable rest ({} "
                            + "bytes) is kept in {} for investigation and skipped", dir, id, valid, size - valid, keep);
                }
                try (FileChannel ch = FileChannel.open(path(id), StandardOpenOption.WRITE)) {
                    ch.truncate(valid);
                    ch.force(true);
                }
                segmentSizes.put(id, valid);
            }
            usedBytes += valid - from;
        }
        writeChannel = FileChannel.open(path(writeSegment), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        writeOffset = segmentSizes.get(writeSegment);
        writeChannel.position(writeOffset);
        durableSegment = writeSegment;
        durableOffset = writeOffset;
    }

    /**
     * Appends a record and returns once it is durable.
     *
     * @param waitMillis how long to wait for room when the buffer is full
     * @return {@code false} if the buffer stayed full: nothing was written
     * @throws IOException on a disk error: the record may be partly written but was not acknowledged
     * @throws IllegalArgumentException if the record alone exceeds the bound
     */
    public boolean append(byte kind, Precision precision, int points, byte[] payload, long waitMillis)
            throws IOException, InterruptedException {
        int length = HEADER + payload.length;
        if (length > maxBytes) {
            throw new IllegalArgumentException("A write of " + points + " points takes " + length
                    + " bytes, more than the whole buffer bound of " + maxBytes + " bytes; split it");
        }
        ByteBuffer buf = ByteBuffer.allocate(length);
        buf.putInt(payload.length).put(kind).put(precision.code()).putInt(points).putInt(crc(kind,
                precision.code(), points, payload)).put(payload).flip();
        long segment;
        long end;
        lock.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
            // Schema statements are tiny and must never be refused: they precede the data that needs them.
            while (!closed && kind != KIND_SQL && usedBytes + length > maxBytes) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                notFull.awaitNanos(left);
            }
            if (closed) {
                throw new ClosedChannelException();
            }
            if (writeOffset > 0 && writeOffset + length > segmentBytes) {
                rotate();
            }
            while (buf.hasRemaining()) {
                writeChannel.write(buf);
            }
            writeOffset += length;
            segmentSizes.put(writeSegment, writeOffset);
            usedBytes += length;
            bufferedPoints += points;
            segment = writeSegment;
            end = writeOffset;
        } finally {
            lock.unlock();
        }
        sync(segment, end);
        return true;
    }

    /** Group sync: one force covers every record written before it started. */
    private void sync(long segment, long end) throws IOException {
        synchronized (syncLock) {
            while (true) {
                FileChannel ch;
                long s;
                long o;
                lock.lock();
                try {
                    if (durableSegment > segment || durableSegment == segment && durableOffset >= end) {
                        return;
                    }
                    ch = writeChannel;
                    s = writeSegment;
                    o = writeOffset;
                } finally {
                    lock.unlock();
                }
                try {
                    ch.force(false);
                } catch (ClosedChannelException e) {
                    // Rotated meanwhile: rotation forced that segment; look again.
                    lock.lock();
                    try {
                        if (closed) {
                            throw e;
                        }
                    } finally {
                        lock.unlock();
                    }
                    continue;
                }
                lock.lock();
                try {
                    if (s > durableSegment || s == durableSegment && o > durableOffset) {
                        durableSegment = s;
                        durableOffset = o;
                        if (bufferedPoints >= wakeAtPoints) {
                            durableData.signalAll();
                        }
                    }
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** Closes the segment being written (synced) and starts the next. Caller holds the lock. */
    private void rotate() throws IOException {
        writeChannel.force(false);
        writeChannel.close();
        durableSegment = writeSegment;
        durableOffset = writeOffset;
        writeSegment++;
        writeOffset = 0;
        writeChannel = FileChannel.open(path(writeSegment), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        segmentSizes.put(writeSegment, 0L);
        // The new file's directory entry must be durable too, or a crash could lose a synced segment.
        syncDirectory();
        durableData.signalAll();
    }

    /**
     * Waits until durable records are available, then waits up to {@code lingerMillis} more for {@code maxPoints}, and
     * returns records from the head in order: either one SQL record, or line records of one precision totalling at
     * most {@code maxPoints} points (at least one record). Does not remove them; see {@link #acknowledge}.
     *
     * @return empty if nothing became available within {@code waitMillis}
     */
    public List<Record> peek(int maxPoints, long waitMillis, long lingerMillis) throws IOException,
            InterruptedException {
        lock.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
            while (!closed && !hasDurable()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return List.of();
                }
                durableData.awaitNanos(left);
            }
            if (lingerMillis > 0 && bufferedPoints < maxPoints) {
                long lingerDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(lingerMillis);
                // While lingering, a sync wakes the reader only once a full batch is there: under load a wake-up
                // per append cost more than the append (see the host's load harness README).
                wakeAtPoints = maxPoints;
                try {
                    while (!closed && bufferedPoints < maxPoints) {
                        long left = lingerDeadline - System.nanoTime();
                        if (left <= 0) {
                            break;
                        }
                        durableData.awaitNanos(left);
                    }
                } finally {
                    wakeAtPoints = 1;
                }
            }
            if (closed) {
                return List.of();
            }
            return readFromHead(maxPoints);
        } finally {
            lock.unlock();
        }
    }

    private boolean hasDurable() {
        return ackSegment < durableSegment || ackSegment == durableSegment && ackOffset < durableOffset;
    }

    /** Caller holds the lock. */
    private List<Record> readFromHead(int maxPoints) throws IOException {
        List<Record> out = new ArrayList<>();
        long seg = ackSegment;
        long off = ackOffset;
        int points = 0;
        Precision precision = null;
        while (seg < durableSegment || seg == durableSegment && off < durableOffset) {
            long size = seg == durableSegment ? durableOffset : segmentSizes.getOrDefault(seg, 0L);
            if (off >= size) {
                Long next = segmentSizes.higherKey(seg);
                if (next == null) {
                    break;
                }
                seg = next;
                off = 0;
                continue;
            }
            Record r = readRecord(seg, off);
            if (r == null) {
                throw new IOException("Historian buffer " + dir + ": unreadable record in segment " + seg + " at "
                        + off);
            }
            if (r.kind() == KIND_SQL) {
                if (out.isEmpty()) {
                    out.add(r);
                }
                return out;
            }
            if (!out.isEmpty() && (r.precision() != precision || points + r.points() > maxPoints)) {
                return out;
            }
            precision = r.precision();
            out.add(r);
            points += r.points();
            off = r.end();
        }
        return out;
    }

    /**
     * Removes records up to and including {@code last} (which must be the last of a {@link #peek} result), frees
     * their room and deletes fully acknowledged segments.
     */
    public void acknowledge(List<Record> records) throws IOException {
        if (records.isEmpty()) {
            return;
        }
        Record last = records.get(records.size() - 1);
        lock.lock();
        try {
            long freed = 0;
            int points = 0;
            for (Record r : records) {
                freed += r.end() - r.offset();
                points += r.points();
            }
            // Segments before the last acknowledged record's segment are fully acknowledged.
            while (!segmentSizes.isEmpty() && segmentSizes.firstKey() < last.segment()) {
                long done = segmentSizes.pollFirstEntry().getKey();
                if (readChannelSegment == done) {
                    closeReadChannel();
                }
                ackSegment = last.segment();
                ackOffset = 0;
                writeAckPosition();
                Files.deleteIfExists(path(done));
            }
            ackSegment = last.segment();
            ackOffset = last.end();
            // Move to the next segment when this one is complete and no longer written.
            while (ackSegment < writeSegment && ackOffset >= segmentSizes.getOrDefault(ackSegment, 0L)) {
                long done = ackSegment;
                ackSegment = segmentSizes.higherKey(done);
                ackOffset = 0;
                segmentSizes.remove(done);
                if (readChannelSegment == done) {
                    closeReadChannel();
                }
                writeAckPosition();
                Files.deleteIfExists(path(done));
            }
            writeAckPosition();
            usedBytes -= freed;
            bufferedPoints -= points;
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private @Nullable Record readRecord(long seg, long off) throws IOException {
        if (readChannelSegment != seg || readChannel == null) {
            closeReadChannel();
            readChannel = FileChannel.open(path(seg), StandardOpenOption.READ);
            readChannelSegment = seg;
        }
        return readRecord(readChannel, seg, off);
    }

    private static @Nullable Record readRecord(FileChannel ch, long seg, long off) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(HEADER);
        if (!readFully(ch, head, off)) {
            return null;
        }
        head.flip();
        int len = head.getInt();
        byte kind = head.get();
        byte prec = head.get();
        int points = head.getInt();
        int crc = head.getInt();
        if (len < 0 || len > (1 << 30) || (kind != KIND_LINES && kind != KIND_SQL) || prec < 0
                || prec >= Precision.values().length || points < 0) {
            return null;
        }
        ByteBuffer payload = ByteBuffer.allocate(len);
        if (!readFully(ch, payload, off + HEADER)) {
            return null;
        }
        byte[] bytes = payload.array();
        if (crc(kind, prec, points, bytes) != crc) {
            return null;
        }
        return new Record(seg, off, off + HEADER + len, kind, Precision.ofCode(prec), points, bytes);
    }

    private static boolean readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                return false;
            }
        }
        return true;
    }

    /** Returns the offset after the last valid record at or after {@code from}; counts the points. */
    private long scan(long seg, long from) throws IOException {
        try (FileChannel ch = FileChannel.open(path(seg), StandardOpenOption.READ)) {
            long off = from;
            while (true) {
                Record r = readRecord(ch, seg, off);
                if (r == null) {
                    return off;
                }
                bufferedPoints += r.points();
                off = r.end();
            }
        }
    }

    private static int crc(byte kind, byte precision, int points, byte[] payload) {
        CRC32C c = new CRC32C();
        c.update(kind);
        c.update(precision);
        c.update(ByteBuffer.allocate(4).putInt(points).array());
        c.update(payload);
        return (int) c.getValue();
    }

    private void readAckPosition() throws IOException {
        Path p = dir.resolve("ack.pos");
        if (Files.exists(p)) {
            String[] parts = Files.readString(p).trim().split(" ");
            try {
                ackSegment = Long.parseLong(parts[0]);
                ackOffset = Long.parseLong(parts[1]);
                return;
            } catch (RuntimeException e) {
                // A damaged position only costs re-sending: start from the first segment.
                LOG.warn("Historian buffer {}: unreadable ack.pos, replaying from the oldest segment", dir);
            }
        }
        ackSegment = 0;
        ackOffset = 0;
    }

    private void writeAckPosition() throws IOException {
        Path tmp = dir.resolve("ack.pos.tmp");
        Files.writeString(tmp, ackSegment + " " + ackOffset + "\n");
        try {
            Files.move(tmp, dir.resolve("ack.pos"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve("ack.pos"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Not every file system lets a directory be synced; the data files are synced regardless.
            LOG.debug("Historian buffer {}: directory sync not supported: {}", dir, e.toString());
        }
    }

    private void closeReadChannel() {
        if (readChannel != null) {
            try {
                readChannel.close();
            } catch (IOException e) {
                LOG.debug("close", e);
            }
            readChannel = null;
            readChannelSegment = -1;
        }
    }

    private Path path(long id) {
        return dir.resolve(name(id));
    }

    private static String name(long id) {
        return String.format("segment-%019d.log", id);
    }

    /** Bytes held for records not yet acknowledged. */
    public long usedBytes() {
        lock.lock();
        try {
            return usedBytes;
        } finally {
            lock.unlock();
        }
    }

    /** Points not yet acknowledged. */
    public long bufferedPoints() {
        lock.lock();
        try {
            return bufferedPoints;
        } finally {
            lock.unlock();
        }
    }

    /** The bound, bytes. */
    public long maxBytes() {
        return maxBytes;
    }

    /** The directory. */
    public Path directory() {
        return dir;
    }

    /** Wakes waiters; syncs and closes the files. Records stay on disk for the next open. */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            notFull.signalAll();
            durableData.signalAll();
            closeReadChannel();
            writeChannel.force(false);
            writeChannel.close();
        } finally {
            lock.unlock();
        }
    }
}
