package org.biotwin.ebr.internal.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import org.biotwin.api.audit.AuditEntry;
import org.biotwin.api.audit.AuditEvent;
import org.jspecify.annotations.Nullable;

/**
 * The two encodings of an audit entry: the canonical byte form that is hashed, and the JSON line that is stored.
 * <p>
 * <b>Canonical form, version 1</b> (what {@link #hash} digests; independent of JSON formatting):
 * <pre>
 *   "BTAUDIT1" (8 ASCII bytes)
 *   then, in this order: sequence (decimal), timestamp (ISO-8601 UTC as {@link Instant#toString()}), actor, action,
 *   recordType, recordId, reason, oldValue, newValue, previousHash (64 lowercase hex)
 *   each field as a 4-byte big-endian length of its UTF-8 bytes followed by those bytes; a null field is the length
 *   0xFFFFFFFF and no bytes
 * hash = lowercase hex SHA-256 of the canonical form
 * </pre>
 * Length prefixes make the form unambiguous (no separator can be forged inside a value), and because the previous
 * hash is a field, each hash covers the whole chain before it. The first entry's previous hash is 64 zeros.
 * <p>
 * <b>Stored form</b>: one JSON object per line (JSON Lines, UTF-8, terminated by {@code \n}) with the keys
 * {@code seq, ts, actor, action, recordType, recordId, reason, old, new, prev, hash} in that order. JSON escapes
 * line breaks inside values, so a line is always one entry. Stateless and thread-safe.
 */
public final class AuditCodec {

    /** Previous hash of the first entry. */
    public static final String GENESIS = "0".repeat(64);

    private static final byte[] MAGIC = "BTAUDIT1".getBytes(StandardCharsets.US_ASCII);
    private static final HexFormat HEX = HexFormat.of();
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private AuditCodec() {
    }

    /** Hex SHA-256 of the canonical form of an entry with these fields. */
    public static String hash(long sequence, Instant timestamp, AuditEvent event, String previousHash) {
        return hash(sha256(), sequence, timestamp, event, previousHash);
    }

    /** As {@link #hash(long, Instant, AuditEvent, String)} with a digest to reuse (it is reset first). */
    public static String hash(MessageDigest sha, long sequence, Instant timestamp, AuditEvent event,
            String previousHash) {
        sha.reset();
        sha.update(MAGIC);
        field(sha, Long.toString(sequence));
        field(sha, timestamp.toString());
        field(sha, event.actor());
        field(sha, event.action());
        field(sha, event.recordType());
        field(sha, event.recordId());
        field(sha, event.reason());
        field(sha, event.oldValue());
        field(sha, event.newValue());
        field(sha, previousHash);
        return HEX.formatHex(sha.digest());
    }

    /** Re-computes the hash of a stored entry from its fields (not from its {@code hash}). */
    public static String hash(AuditEntry entry) {
        return hash(entry.sequence(), entry.timestamp(), entry.event(), entry.previousHash());
    }

    /** A fresh SHA-256 digest; every JDK has it. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** Lowercase hex SHA-256 of UTF-8 text. */
    public static String sha256Hex(String text) {
        return HEX.formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static void field(MessageDigest sha, @Nullable String value) {
        if (value == null) {
            sha.update(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            return;
        }
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        int n = b.length;
        sha.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        sha.update(b);
    }

    /** The stored JSON line of an entry, including the terminating {@code \n}. */
    public static byte[] encodeLine(AuditEntry e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("seq", e.sequence());
            g.writeStringField("ts", e.timestamp().toString());
            AuditEvent ev = e.event();
            g.writeStringField("actor", ev.actor());
            g.writeStringField("action", ev.action());
            g.writeStringField("recordType", ev.recordType());
            g.writeStringField("recordId", ev.recordId());
            g.writeStringField("reason", ev.reason());
            g.writeStringField("old", ev.oldValue());
            g.writeStringField("new", ev.newValue());
            g.writeStringField("prev", e.previousHash());
            g.writeStringField("hash", e.hash());
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        out.write('\n');
        return out.toByteArray();
    }

    /**
     * Parses one stored line (without its {@code \n}). Does not check the hash.
     *
     * @throws IllegalArgumentException naming what is wrong with the line
     */
    public static AuditEntry decodeLine(byte[] buf, int off, int len) {
        Long seq = null;
        String ts = null, actor = null, action = null, type = null, id = null, reason = null, oldV = null,
                newV = null, prev = null, hash = null;
        boolean hasOld = false, hasNew = false;
        try (JsonParser p = JSON.createParser(buf, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "seq" -> {
                        if (v != JsonToken.VALUE_NUMBER_INT) {
                            throw new IllegalArgumentException("seq is not an integer");
                        }
                        seq = p.getLongValue();
                    }
                    case "ts" -> ts = text(p, v, name);
                    case "actor" -> actor = text(p, v, name);
                    case "action" -> action = text(p, v, name);
                    case "recordType" -> type = text(p, v, name);
                    case "recordId" -> id = text(p, v, name);
                    case "reason" -> reason = text(p, v, name);
                    case "old" -> {
                        oldV = nullableText(p, v, name);
                        hasOld = true;
                    }
                    case "new" -> {
                        newV = nullableText(p, v, name);
                        hasNew = true;
                    }
                    case "prev" -> prev = text(p, v, name);
                    case "hash" -> hash = text(p, v, name);
                    default -> throw new IllegalArgumentException("unknown key '" + name + "'");
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IllegalArgumentException("trailing content after the entry");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalArgumentException("not valid JSON: " + ex.getOriginalMessage(), ex);
        } catch (IOException ex) {
            throw new IllegalArgumentException("not valid JSON: " + ex.getMessage(), ex);
        }
        if (seq == null || ts == null || actor == null || action == null || type == null || id == null
                || reason == null || !hasOld || !hasNew || prev == null || hash == null) {
            throw new IllegalArgumentException("a required key is missing");
        }
        Instant time;
        try {
            time = Instant.parse(ts);
        } catch (DateTimeParseException ex) {
            throw new IllegalArgumentException("ts '" + ts + "' is not ISO-8601 UTC");
        }
        return new AuditEntry(seq, time, new AuditEvent(actor, action, type, id, reason, oldV, newV), prev, hash);
    }

    private static String text(JsonParser p, JsonToken v, String name) throws IOException {
        if (v != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException(name + " is not a string");
        }
        return p.getText();
    }

    private static @Nullable String nullableText(JsonParser p, JsonToken v, String name) throws IOException {
        return v == JsonToken.VALUE_NULL ? null : text(p, v, name);
    }
}
