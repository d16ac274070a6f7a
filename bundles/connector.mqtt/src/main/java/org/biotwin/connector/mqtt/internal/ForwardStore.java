package org.biotwin.connector.mqtt.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounded, durable FIFO of outbound MQTT messages on disk (store-and-forward).
 * <p>
 * Layout: append-only segment files {@code seg-<first sequence>.log} of records
 * {@code [int length][int CRC-32][long seq][byte retained][int topic length][topic UTF-8][payload]}, plus a small
 * {@code head} file with the first sequence not yet acknowledged by the broker. {@link #append} forces the segment to
 * stable storage (fsync) before it returns. A segment is deleted once every record in it is acknowledged.
 * <p>
 * Recovery: on open, segments are scanned and checked record by record; a torn or corrupt tail (a crash during a
 * write) is truncated. The head file is written without fsync, so after a crash a few acknowledged records may be
 * sent again: delivery is at least once, in order.
 * <p>
 * Bound: the bytes of all segment files, including acknowledged records of the oldest segment not yet deleted.
 * Thread-safe (one lock).
 */
final class ForwardStore implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ForwardStore.class);
    private static final int HEADER = 8;

    /** A stored message. */
    record Message(long seq, String topic, byte[] payload, boolean retained) {
    }

    /** Thrown when appending would exceed the bound. */
    static final class FullException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        FullException(String message) {
            super(message);
        }
    }

    private record Segment(long firstSeq, Path path) {
    }

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final List<Segment> segments = new ArrayList<>();
    private FileChannel tail;
    private long bytes;
    private long nextSeq;
    private long headSeq;
    private long headOffset; // byte offset of headSeq in segments.get(0)

    ForwardStore(Path dir, long maxBytes) throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = Math.max(4096, Math.min(maxBytes / 8, 8L * 1024 * 1024));
        Files.createDirectories(dir);
        recover();
    }

    private void recover() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches("seg-\\d{20}\\.log")).sorted().toList();
        }
        long ackedUpTo = readHead();
        long expected = -1;
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            long first = Long.parseLong(f.getFileName().toString().substring(4, 24));
            long[] scan = scan(f, i == files.size() - 1);
            long count = scan[0];
            if (count == 0 && i < files.size() - 1) {
                Files.delete(f);
                continue;
            }
            if (expected >= 0 && first != expected) {
                LOG.error("store {}: sequence gap before {} (expected {})", dir, f, expected);
            }
            segments.add(new Segment(first, f));
            expected = first + count;
            bytes += Files.size(f);
        }
        nextSeq = Math.max(expected, ackedUpTo);
        if (nextSeq < 0) {
            nextSeq = 0;
        }
        // Drop fully acknowledged segments, then place the head.
        while (segments.size() > 1 && segments.get(1).firstSeq() <= ackedUpTo) {
            deleteOldest();
        }
        headSeq = segments.isEmpty() ? nextSeq : Math.max(segments.get(0).firstSeq(), Math.min(ackedUpTo, nextSeq));
        headOffset = 0;
        if (!segments.isEmpty()) {
            long seq = segments.get(0).firstSeq();
            try (FileChannel ch = FileChannel.open(segments.get(0).path(), StandardOpenOption.READ)) {
                while (seq < headSeq) {
                    ByteBuffer h = ByteBuffer.allocate(HEADER);
                    ch.read(h, headOffset);
                    headOffset += HEADER + h.getInt(0);
                    seq++;
                }
            }
        }
        if (segments.isEmpty()) {
            roll();
        } else {
            tail = FileChannel.open(segments.get(segments.size() - 1).path(), StandardOpenOption.WRITE);
            tail.position(tail.size());
        }
        if (pending() > 0) {
            LOG.info("store {}: {} message(s) waiting to be forwarded", dir, pending());
        }
    }

    /** Returns {record count}; truncates a bad tail of the last segment. */
    private long[] scan(Path f, boolean last) throws IOException {
        long count = 0;
        long pos = 0;
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            ByteBuffer h = ByteBuffer.allocate(HEADER);
            while (pos + HEADER <= size) {
                h.clear();
                ch.read(h, pos);
                int len = h.getInt(0);
                int crc = h.getInt(4);
                if (len < 13 || pos + HEADER + len > size) {
                    break;
                }
                ByteBuffer body = ByteBuffer.allocate(len);
                ch.read(body, pos + HEADER);
                CRC32 c = new CRC32();
                c.update(body.array());
                if ((int) c.getValue() != crc) {
                    break;
                }
                pos += HEADER + len;
                count++;
            }
            if (pos < size) {
                if (last) {
                    LOG.warn("store {}: truncating a torn tail of {} bytes in {}", dir, size - pos, f.getFileName());
                    ch.truncate(pos);
                    ch.force(true);
                } else {
                    LOG.error("store {}: corrupt record in {} at byte {}; the rest of that segment is unreadable",
                            dir, f.getFileName(), pos);
                }
            }
        }
        return new long[] {count};
    }

    /**
     * Appends messages and forces them to disk.
     *
     * @return the sequence number of the first
     * @throws FullException if they do not fit in the bound; nothing is appended then
     */
    synchronized long append(List<Message> messages) throws IOException {
        List<ByteBuffer> records = new ArrayList<>(messages.size());
        long size = 0;
        long seq = nextSeq;
        for (Message m : messages) {
            ByteBuffer r = encode(seq++, m);
            records.add(r);
            size += r.remaining();
        }
        if (bytes + size > maxBytes) {
            throw new FullException("outbound store " + dir + " is full: " + bytes + " + " + size + " bytes > bound "
                    + maxBytes + " (store.max.bytes); " + pending() + " message(s) wait for the broker");
        }
        long first = nextSeq;
        for (ByteBuffer r : records) {
            if (tail.size() > 0 && tail.size() + r.remaining() > segmentBytes) {
                tail.force(false);
                tail.close();
                roll();
            }
            bytes += r.remaining();
            while (r.hasRemaining()) {
                tail.write(r);
            }
            nextSeq++;
        }
        tail.force(false);
        return first;
    }

    private void roll() throws IOException {
        Path p = dir.resolve(String.format("seg-%020d.log", nextSeq));
        tail = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        tail.position(tail.size());
        segments.add(new Segment(nextSeq, p));
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // make the new file's directory entry durable
        } catch (IOException e) {
            // some file systems cannot sync a directory; the data itself is synced
        }
    }

    private static ByteBuffer encode(long seq, Message m) {
        byte[] topic = m.topic().getBytes(StandardCharsets.UTF_8);
        int len = 8 + 1 + 4 + topic.length + m.payload().length;
        ByteBuffer b = ByteBuffer.allocate(HEADER + len);
        b.putInt(len).putInt(0).putLong(seq).put((byte) (m.retained() ? 1 : 0)).putInt(topic.length).put(topic)
                .put(m.payload());
        CRC32 c = new CRC32();
        c.update(b.array(), HEADER, len);
        b.putInt(4, (int) c.getValue());
        b.flip();
        return b;
    }

    /** Up to {@code max} messages from the head, oldest first, not removed. */
    synchronized List<Message> peek(int max) throws IOException {
        List<Message> out = new ArrayList<>();
        long seq = headSeq;
        int segIndex = 0;
        long offset = headOffset;
        while (out.size() < max && seq < nextSeq && segIndex < segments.size()) {
            Segment s = segments.get(segIndex);
            long endSeq = segIndex + 1 < segments.size() ? segments.get(segIndex + 1).firstSeq() : nextSeq;
            if (seq >= endSeq) {
                segIndex++;
                offset = 0;
                continue;
            }
            try (FileChannel ch = FileChannel.open(s.path(), StandardOpenOption.READ)) {
                while (out.size() < max && seq < endSeq) {
                    ByteBuffer h = ByteBuffer.allocate(HEADER);
                    ch.read(h, offset);
                    int len = h.getInt(0);
                    ByteBuffer body = ByteBuffer.allocate(len);
                    ch.read(body, offset + HEADER);
                    body.flip();
                    long recSeq = body.getLong();
                    boolean retained = body.get() == 1;
                    byte[] topic = new byte[body.getInt()];
                    body.get(topic);
                    byte[] payload = new byte[body.remaining()];
                    body.get(payload);
                    out.add(new Message(recSeq, new String(topic, StandardCharsets.UTF_8), payload, retained));
                    offset += HEADER + len;
                    seq++;
                }
            }
        }
        return out;
    }

    /** Removes every message up to and including {@code seq} (acknowledged by the broker). */
    synchronized void ackThrough(long seq) throws IOException {
        while (headSeq <= seq && headSeq < nextSeq) {
            Segment s = segments.get(0);
            long endSeq = segments.size() > 1 ? segments.get(1).firstSeq() : nextSeq;
            if (headSeq >= endSeq) {
                deleteOldest();
                continue;
            }
            try (FileChannel ch = FileChannel.open(s.path(), StandardOpenOption.READ)) {
                ByteBuffer h = ByteBuffer.allocate(HEADER);
                ch.read(h, headOffset);
                headOffset += HEADER + h.getInt(0);
            }
            headSeq++;
            if (headSeq >= endSeq && segments.size() > 1) {
                deleteOldest();
            }
        }
        if (headSeq == nextSeq && segments.size() == 1 && tail.size() > 0) {
            // Everything is acknowledged: start a fresh tail so that the bound is free again.
            tail.close();
            deleteOldest();
            roll();
        }
        writeHead();
    }

    private void deleteOldest() throws IOException {
        Segment s = segments.remove(0);
        bytes -= Files.size(s.path());
        Files.deleteIfExists(s.path());
        headOffset = 0;
    }

    private void writeHead() throws IOException {
        Files.writeString(dir.resolve("head.tmp"), Long.toString(headSeq));
        Files.move(dir.resolve("head.tmp"), dir.resolve("head"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private long readHead() {
        try {
            return Long.parseLong(Files.readString(dir.resolve("head")).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** Messages not yet acknowledged. */
    synchronized long pending() {
        return nextSeq - headSeq;
    }

    /** Bytes of the segment files. */
    synchronized long bytes() {
        return bytes;
    }

    long maxBytes() {
        return maxBytes;
    }

    @Override
    public synchronized void close() throws IOException {
        if (tail != null && tail.isOpen()) {
            tail.force(false);
            tail.close();
        }
    }
}
