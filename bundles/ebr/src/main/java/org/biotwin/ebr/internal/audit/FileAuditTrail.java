package org.biotwin.ebr.internal.audit;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;
import org.biotwin.api.audit.AuditEntry;
import org.biotwin.api.audit.AuditEvent;
import org.biotwin.api.audit.AuditTrail;
import org.biotwin.api.audit.VerificationResult;
import org.jspecify.annotations.Nullable;

/**
 * The audit trail as an append-only log file with a SHA-256 hash chain and group-committed fsync.
 * <p>
 * <b>Files</b> in the trail directory: {@code audit.log} (JSON Lines, see {@link AuditCodec}), {@code audit.head}
 * (the sequence and hash of the last acknowledged entry, rewritten after each fsync; it lets {@link #verify()} detect
 * entries cut off the end of the log, which a hash chain alone cannot), and {@code audit.lock} (an OS file lock: one
 * process per trail).
 * <p>
 * <b>Durability and group commit.</b> An appender takes the write lock, assigns the next sequence, computes the hash
 * and writes its line, then waits until an fsync ({@link FileChannel#force(boolean) force(false)}, i.e. fdatasync)
 * covers its line. The first waiter becomes the syncer: it notes how far the log was written, forces, and wakes
 * everyone that force covered; appenders that wrote during that force are covered by the next one. So N concurrent
 * appenders share one fsync, and {@link #append} never returns before its entry is on stable storage. Readers see only
 * acknowledged (synced) entries.
 * <p>
 * <b>Recovery on open.</b> The log is read and the whole chain checked. Bytes after the last {@code \n} are a torn
 * record: a process died in the middle of writing it, so it was never synced and never acknowledged. It is cut off
 * (and the cut is itself audited, with the length and SHA-256 of the removed bytes) unless {@code audit.head} shows
 * that more entries had been acknowledged than the complete lines hold, which is corruption. Any other defect (an
 * unreadable line, a broken link, a wrong hash, a gap, a missing tail) is reported by {@link #openProblems()} and
 * {@link #verify()}, never repaired: the trail opens read-only and {@link #append} refuses with the findings, until
 * the site investigates (restores from backup, or archives the damaged trail and starts a new one).
 * <p>
 * Thread-safe. Costs: append is one write plus a share of one fsync; {@link #entriesFor} and {@link #entries} read
 * lines by offset; memory is about 12 bytes per entry for the indexes.
 */
public final class FileAuditTrail implements AuditTrail, Closeable {

    static final String LOG = "audit.log";
    static final String HEAD = "audit.head";
    static final String LOCK = "audit.lock";
    private static final int HEAD_LENGTH = 20 + 1 + 64 + 1;
    private static final Logger LOG_ = Logger.getLogger(FileAuditTrail.class.getName());

    private final Path dir;
    private final Clock clock;
    private final FileChannel log;
    private final FileChannel head;
    private final FileChannel lockChannel;
    private final FileLock fileLock;
    private final List<String> openProblems;

    // Guarded by writeLock.
    private final ReentrantLock writeLock = new ReentrantLock();
    private final LongList offsets = new LongList(); // offset of entry seq at index seq-1
    private final Map<String, Map<String, LongList>> byRecord = new HashMap<>();
    private final java.security.MessageDigest appendDigest = AuditCodec.sha256();
    private long writePosition;
    private long lastSeq;
    private String lastHash = AuditCodec.GENESIS;
    private @Nullable String refusal; // why appends are refused (corrupt at open, storage failure, closed)

    // Guarded by syncMonitor.
    private final Object syncMonitor = new Object();
    private long durableSeq;
    private boolean syncing;
    private @Nullable IOException syncFailure;
    private long syncs;

    private volatile long writtenSeq;

    /**
     * Opens (or creates) the trail in {@code dir}, recovering a torn last record.
     *
     * @throws UncheckedIOException if the directory cannot be used
     * @throws IllegalStateException if another process holds the trail
     */
    public FileAuditTrail(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
        try {
            Files.createDirectories(dir);
            lockChannel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = lockChannel.tryLock();
            if (l == null) {
                lockChannel.close();
                throw new IllegalStateException("Audit trail " + dir + " is in use by another process");
            }
            fileLock = l;
            boolean created = !Files.exists(dir.resolve(LOG));
            log = FileChannel.open(dir.resolve(LOG), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            head = FileChannel.open(dir.resolve(HEAD), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            if (created) {
                log.force(true);
                head.force(true);
                syncDirectory(dir);
            }
            openProblems = recover();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open audit trail in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The trail directory. */
    public Path directory() {
        return dir;
    }

    /** Defects found when the trail was opened; empty when it opened clean (and is writable). */
    public List<String> openProblems() {
        return openProblems;
    }

    // ---------------------------------------------------------------------------------------------------- recovery

    private List<String> recover() throws IOException {
        Scan scan = scan(log, log.size(), true);
        List<String> problems = new ArrayList<>(scan.problems);
        Head recorded = readHead();
        long tornBytes = log.size() - scan.completeEnd;
        String tornNote = null;
        if (recorded != null && recorded.seq > scan.lastSeq) {
            problems.add("audit.head records acknowledged entry " + recorded.seq + " but the log holds only "
                    + scan.lastSeq + " complete entries: acknowledged entries are missing from the end of the log"
                    + (tornBytes > 0 ? " (and " + tornBytes + " bytes of an incomplete record follow)" : ""));
        } else if (recorded != null && recorded.seq > 0 && !recorded.hash.equals(scan.hashAt(recorded.seq))) {
            problems.add("audit.head records hash " + recorded.hash + " for entry " + recorded.seq
                    + " but the log has " + scan.hashAt(recorded.seq));
        } else if (tornBytes > 0 && problems.isEmpty()) {
            // Never acknowledged: an fsync covers whole lines only, and the head proves nothing beyond was acked.
            ByteBuffer torn = ByteBuffer.allocate((int) Math.min(tornBytes, 16 * 1024 * 1024));
            log.read(torn, scan.completeEnd);
            torn.flip();
            var sha = AuditCodec.sha256();
            sha.update(torn);
            tornNote = tornBytes + " bytes at offset " + scan.completeEnd + ", SHA-256 "
                    + HexFormat.of().formatHex(sha.digest());
            log.truncate(scan.completeEnd);
            log.force(true);
            LOG_.warning("Audit trail " + dir + ": truncated an incomplete (never acknowledged) last record: "
                    + tornNote);
        } else if (tornBytes > 0) {
            problems.add(tornBytes + " bytes of an incomplete record at offset " + scan.completeEnd
                    + " were left in place because the log has other defects");
        }
        for (int i = 0; i < scan.offsets.size(); i++) {
            offsets.add(scan.offsets.get(i));
        }
        byRecord.putAll(scan.byRecord);
        writePosition = scan.completeEnd;
        lastSeq = scan.lastSeq;
        lastHash = scan.lastHash;
        writtenSeq = lastSeq;
        durableSeq = lastSeq;
        if (!problems.isEmpty()) {
            refusal = "Audit trail " + dir + " is corrupt and read-only until investigated: "
                    + String.join("; ", problems);
            LOG_.severe(refusal);
        } else {
            writeHead(lastSeq, lastHash);
            if (tornNote != null) {
                append(new AuditEvent("system:audit-trail", "audit.torn-record-truncated", "audit", LOG,
                        "Recovery after an unclean stop: an incomplete last record was never acknowledged", tornNote,
                        null));
            }
        }
        return List.copyOf(problems);
    }

    /** What a sequential read of the log found. */
    private static final class Scan {
        final List<String> problems = new ArrayList<>();
        final LongList offsets = new LongList();
        final List<String> hashes = new ArrayList<>();
        final Map<String, Map<String, LongList>> byRecord = new HashMap<>();
        long completeEnd;
        long lastSeq;
        long entries;
        String lastHash = AuditCodec.GENESIS;

        @Nullable String hashAt(long seq) {
            return seq >= 1 && seq <= hashes.size() ? hashes.get((int) seq - 1) : null;
        }
    }

    /**
     * Reads the log up to {@code limit} and checks every line: decodable, sequence without gap, link to the previous
     * hash, and hash re-computed. With {@code index}, also builds the offset and record indexes.
     */
    private static Scan scan(FileChannel ch, long limit, boolean index) throws IOException {
        Scan s = new Scan();
        java.security.MessageDigest sha = AuditCodec.sha256();
        byte[] chunk = new byte[1 << 20];
        ByteBuffer chunkBuf = ByteBuffer.wrap(chunk);
        int chunkLen = 0;
        int chunkPos = 0;
        byte[] line = new byte[4096];
        long pos = 0;
        long lineStart = 0;
        int len = 0;
        long expectedSeq = 1;
        String prevHash = AuditCodec.GENESIS;
        boolean chainKnown = true;
        while (pos < limit) {
            if (chunkPos == chunkLen) {
                chunkBuf.clear();
                chunkBuf.limit((int) Math.min(chunk.length, limit - pos));
                int n = ch.read(chunkBuf, pos);
                if (n <= 0) {
                    break;
                }
                chunkLen = n;
                chunkPos = 0;
            }
            byte b = chunk[chunkPos++];
            pos++;
            if (b != '\n') {
                if (len == line.length) {
                    line = Arrays.copyOf(line, len * 2);
                }
                line[len++] = (byte) b;
                continue;
            }
            AuditEntry e;
            try {
                e = AuditCodec.decodeLine(line, 0, len);
            } catch (IllegalArgumentException ex) {
                s.problems.add("entry " + expectedSeq + " (line at offset " + lineStart + ") is unreadable: "
                        + ex.getMessage());
                if (index) {
                    s.offsets.add(lineStart);
                    s.hashes.add(null);
                }
                s.lastSeq = expectedSeq;
                expectedSeq++;
                chainKnown = false;
                lineStart = pos;
                len = 0;
                s.completeEnd = pos;
                continue;
            }
            s.entries++;
            if (e.sequence() != expectedSeq) {
                s.problems.add("entry " + e.sequence() + " found where entry " + expectedSeq
                        + " was expected (offset " + lineStart + "): entries deleted or reordered");
            }
            if (chainKnown && !e.previousHash().equals(prevHash)) {
                s.problems.add("entry " + e.sequence() + ": previous hash does not match the hash of the entry before"
                        + " it: an entry was deleted, inserted or reordered");
            }
            String computed = AuditCodec.hash(sha, e.sequence(), e.timestamp(), e.event(), e.previousHash());
            if (!computed.equals(e.hash())) {
                s.problems.add("entry " + e.sequence() + ": content does not match its hash (edited)");
            }
            if (index) {
                s.offsets.add(lineStart);
                s.hashes.add(e.hash());
                s.byRecord.computeIfAbsent(e.event().recordType(), k -> new HashMap<>())
                        .computeIfAbsent(e.event().recordId(), k -> new LongList()).add(expectedSeq);
            }
            chainKnown = true;
            prevHash = e.hash();
            s.lastHash = e.hash();
            s.lastSeq = expectedSeq;
            expectedSeq++;
            lineStart = pos;
            len = 0;
            s.completeEnd = pos;
        }
        return s;
    }

    private record Head(long seq, String hash) {
    }

    private @Nullable Head readHead() throws IOException {
        if (head.size() == 0) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate(HEAD_LENGTH);
        head.read(b, 0);
        String text = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
        String[] parts = text.split(" ");
        try {
            return new Head(Long.parseLong(parts[0]), parts[1]);
        } catch (RuntimeException e) {
            LOG_.warning("Audit trail " + dir + ": unreadable audit.head '" + text + "', ignored");
            return null;
        }
    }

    /** Records the last acknowledged entry. Not forced: it may lag after a power cut, never run ahead of the log. */
    private void writeHead(long seq, String hash) throws IOException {
        String text = String.format("%020d %s\n", seq, hash);
        head.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)), 0);
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory; the file's own force still holds its data.
            LOG_.fine("Cannot fsync directory " + dir + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------------------------------------------- append

    @Override
    public AuditEntry append(AuditEvent event) {
        AuditEntry entry;
        writeLock.lock();
        try {
            if (refusal != null) {
                throw new IllegalStateException(refusal);
            }
            long seq = lastSeq + 1;
            var time = clock.instant();
            String hash = AuditCodec.hash(appendDigest, seq, time, event, lastHash);
            entry = new AuditEntry(seq, time, event, lastHash, hash);
            byte[] line = AuditCodec.encodeLine(entry);
            try {
                ByteBuffer buf = ByteBuffer.wrap(line);
                long p = writePosition;
                while (buf.hasRemaining()) {
                    p += log.write(buf, p);
                }
            } catch (IOException e) {
                refusal = "Audit trail " + dir + " failed writing entry " + seq + " and refuses further entries: "
                        + e.getMessage();
                throw new IllegalStateException(refusal, e);
            }
            offsets.add(writePosition);
            writePosition += line.length;
            byRecord.computeIfAbsent(event.recordType(), k -> new HashMap<>())
                    .computeIfAbsent(event.recordId(), k -> new LongList()).add(seq);
            lastSeq = seq;
            lastHash = hash;
            writtenSeq = seq;
        } finally {
            writeLock.unlock();
        }
        awaitDurable(entry.sequence(), entry.hash());
        return entry;
    }

    /** Group commit: returns once an fsync that started after {@code seq} was written has completed. */
    private void awaitDurable(long seq, String hash) {
        while (true) {
            synchronized (syncMonitor) {
                while (durableSeq < seq && syncing) {
                    try {
                        syncMonitor.wait();
                    } catch (InterruptedException e) {
                        // The entry is written; giving up now could drop an acknowledgement that is about to be true.
                        Thread.currentThread().interrupt();
                    }
                }
                if (durableSeq >= seq) {
                    return;
                }
                if (syncFailure != null) {
                    throw new IllegalStateException("Audit trail " + dir + " could not sync to disk; entry " + seq
                            + " is not acknowledged: " + syncFailure.getMessage(), syncFailure);
                }
                syncing = true;
            }
            long target = writtenSeq; // everything up to here was written before the force starts
            IOException failure = null;
            try {
                log.force(false);
            } catch (IOException e) {
                failure = e;
            }
            synchronized (syncMonitor) {
                syncing = false;
                syncs++;
                if (failure == null) {
                    durableSeq = Math.max(durableSeq, target);
                } else {
                    syncFailure = failure;
                }
                syncMonitor.notifyAll();
            }
            if (failure != null) {
                writeLock.lock();
                try {
                    refusal = "Audit trail " + dir + " failed to sync to disk and refuses further entries: "
                            + failure.getMessage();
                } finally {
                    writeLock.unlock();
                }
            } else {
                updateHead(target);
            }
        }
    }

    private void updateHead(long target) {
        writeLock.lock();
        try {
            // The head may lag the log; under the write lock lastSeq >= target, so read the hash of target.
            String h = target == lastSeq ? lastHash : readEntry(target).hash();
            writeHead(target, h);
        } catch (IOException | RuntimeException e) {
            LOG_.warning("Audit trail " + dir + ": cannot update audit.head: " + e.getMessage());
        } finally {
            writeLock.unlock();
        }
    }

    private long durable() {
        synchronized (syncMonitor) {
            return durableSeq;
        }
    }

    // ---------------------------------------------------------------------------------------------------- reads

    @Override
    public List<AuditEntry> entriesFor(String recordType, String recordId) {
        long[] seqs;
        long limit = durable();
        writeLock.lock();
        try {
            Map<String, LongList> ids = byRecord.get(recordType);
            LongList l = ids == null ? null : ids.get(recordId);
            if (l == null) {
                return List.of();
            }
            int n = l.countUpTo(limit);
            seqs = new long[n];
            for (int i = 0; i < n; i++) {
                seqs[i] = l.get(i);
            }
        } finally {
            writeLock.unlock();
        }
        List<AuditEntry> out = new ArrayList<>(seqs.length);
        for (long s : seqs) {
            out.add(readEntry(s));
        }
        return out;
    }

    @Override
    public List<AuditEntry> entries(long fromSequence, int max) {
        if (fromSequence < 1 || max < 0) {
            throw new IllegalArgumentException("entries(" + fromSequence + ", " + max
                    + "): sequence starts at 1 and max must not be negative");
        }
        long to = Math.min(durable(), fromSequence + max - 1);
        List<AuditEntry> out = new ArrayList<>();
        for (long s = fromSequence; s <= to; s++) {
            out.add(readEntry(s));
        }
        return out;
    }

    @Override
    public Set<String> recordIds(String recordType) {
        writeLock.lock();
        try {
            Map<String, LongList> ids = byRecord.get(recordType);
            return ids == null ? Set.of() : Set.copyOf(new TreeSet<>(ids.keySet()));
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public Optional<AuditEntry> last() {
        long d = durable();
        return d == 0 ? Optional.empty() : Optional.of(readEntry(d));
    }

    /** Number of fsyncs since open (to measure group commit: acknowledged appends per fsync). */
    public long syncCount() {
        synchronized (syncMonitor) {
            return syncs;
        }
    }

    /** Number of acknowledged entries. */
    public long size() {
        return durable();
    }

    private AuditEntry readEntry(long seq) {
        long start;
        long end;
        writeLock.lock();
        try {
            start = offsets.get((int) (seq - 1));
            end = seq < offsets.size() ? offsets.get((int) seq) : writePosition;
        } finally {
            writeLock.unlock();
        }
        ByteBuffer b = ByteBuffer.allocate((int) (end - start));
        try {
            while (b.hasRemaining()) {
                if (log.read(b, start + b.position()) < 0) {
                    throw new IOException("unexpected end of file");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Audit trail " + dir + ": cannot read entry " + seq, e);
        }
        try {
            return AuditCodec.decodeLine(b.array(), 0, b.limit() - 1);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Audit trail " + dir + ": entry " + seq + " is unreadable: "
                    + e.getMessage() + "; run verify", e);
        }
    }

    // ---------------------------------------------------------------------------------------------------- verify

    @Override
    public VerificationResult verify() {
        long acknowledged = durable();
        long end;
        writeLock.lock();
        try {
            end = acknowledged == 0 ? 0
                    : acknowledged < offsets.size() ? offsets.get((int) acknowledged) : writePosition;
        } finally {
            writeLock.unlock();
        }
        try (FileChannel ch = FileChannel.open(dir.resolve(LOG), StandardOpenOption.READ)) {
            long size = ch.size();
            Scan s = scan(ch, end, false);
            List<String> problems = new ArrayList<>(s.problems);
            if (size < end || s.lastSeq < acknowledged) {
                problems.add("the log holds " + s.lastSeq + " entries but " + acknowledged
                        + " were acknowledged: entries are missing from the end");
            }
            Head h = readHead();
            if (h != null && h.seq > s.lastSeq) {
                problems.add("audit.head records acknowledged entry " + h.seq + " but the log ends at " + s.lastSeq);
            }
            if (refusal != null && !problems.contains(refusal)) {
                problems.add(refusal);
            }
            return new VerificationResult(problems.isEmpty(), s.entries, problems);
        } catch (IOException e) {
            return new VerificationResult(false, 0, List.of("cannot read " + dir.resolve(LOG) + ": " + e));
        }
    }

    /**
     * Verifies a trail directory offline, without opening it for writing (the verification command on a copy).
     */
    public static VerificationResult verifyDirectory(Path dir) {
        Path file = dir.resolve(LOG);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            Scan s = scan(ch, size, false);
            List<String> problems = new ArrayList<>(s.problems);
            if (s.completeEnd < size) {
                problems.add((size - s.completeEnd) + " bytes of an incomplete last record (torn write; cut on the"
                        + " next open if never acknowledged)");
            }
            return new VerificationResult(problems.isEmpty(), s.entries, problems);
        } catch (IOException e) {
            return new VerificationResult(false, 0, List.of("cannot read " + file + ": " + e));
        }
    }

    // ---------------------------------------------------------------------------------------------------- close

    @Override
    public void close() {
        writeLock.lock();
        try {
            if (refusal == null) {
                refusal = "Audit trail " + dir + " is closed";
            }
            try {
                if (log.isOpen()) {
                    log.force(true);
                    if (durable() == lastSeq && openProblems.isEmpty()) {
                        writeHead(lastSeq, lastHash);
                    }
                    head.force(true);
                }
            } catch (IOException e) {
                LOG_.warning("Audit trail " + dir + ": error while closing: " + e.getMessage());
            }
            closeQuietly(log);
            closeQuietly(head);
            try {
                fileLock.release();
            } catch (IOException e) {
                LOG_.fine("lock release: " + e);
            }
            closeQuietly(lockChannel);
        } finally {
            writeLock.unlock();
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG_.fine("close: " + e);
        }
    }
}
