package org.biotwin.ebr.internal.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.biotwin.api.audit.AuditEntry;
import org.biotwin.api.audit.AuditTrail;
import org.biotwin.api.audit.ElectronicSignature;
import org.biotwin.api.audit.SignatureService;
import org.biotwin.api.batch.BatchContext;
import org.biotwin.api.batch.BatchRecord;
import org.biotwin.api.batch.KeyValue;
import org.biotwin.api.batch.MaterialLot;
import org.biotwin.api.batch.PhaseRecord;
import org.biotwin.ebr.internal.audit.AuditCodec;

/**
 * Exports a batch record as JSON (machine-readable, {@value #FORMAT}) and HTML (for people and printing).
 * <p>
 * JSON layout: {@code format, exportedAt, exportedBy, batch{...}, recipeParameters{}, materialLots[], phases[],
 * keyValues[], contentHash, signatures[], auditEntries[], trailHead{sequence, hash}, exportHash}. Every value is a
 * string or an integer. {@code contentHash} is the SHA-256 of the canonical JSON of {@code {batch, recipeParameters,
 * materialLots, phases, keyValues}}: the hash a reviewer signs (signing does not change it). {@code exportHash} is the
 * SHA-256 of the canonical JSON ({@link CanonicalJson}) of the whole document without {@code exportHash}.
 * {@code auditEntries} are the batch's trail entries with all their fields, so each entry's hash and each signature's
 * binding can be re-checked offline; {@link ExportVerifier} also compares them with the live trail. Thread-safe.
 */
public final class BatchExporter {

    public static final String FORMAT = "biotwin-ebr-export/1";
    static final List<String> CONTENT_KEYS = List.of("batch", "recipeParameters", "materialLots", "phases",
            "keyValues");
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final BatchRecord record;
    private final AuditTrail trail;
    private final SignatureService signatures;
    private final Clock clock;

    public BatchExporter(BatchRecord record, AuditTrail trail, SignatureService signatures, Clock clock) {
        this.record = record;
        this.trail = trail;
        this.signatures = signatures;
        this.clock = clock;
    }

    /** The content of a batch that signatures bind to; see the class comment. */
    public String contentHash(String batchId) {
        return AuditCodec.sha256Hex(CanonicalJson.write(content(batchId)));
    }

    private ObjectNode content(String batchId) {
        BatchContext c = record.batch(batchId)
                .orElseThrow(() -> new IllegalArgumentException("Unknown batch " + batchId));
        ObjectNode o = JSON.createObjectNode();
        ObjectNode b = o.putObject("batch");
        b.put("batchId", c.batchId()).put("unitId", c.unitId()).put("product", c.product())
                .put("recipeId", c.recipeId()).put("recipeVersion", c.recipeVersion()).put("state", c.state().name())
                .put("phase", c.phase()).put("batchStart", str(c.batchStart()));
        List<AuditEntry> entries = trail.entriesFor("batch", batchId);
        for (AuditEntry e : entries) {
            String action = e.event().action();
            if (action.equals("batch.create")) {
                b.put("created", eventTime(e));
            } else if (action.equals("batch.complete") || action.equals("batch.abort")) {
                b.put("ended", eventTime(e));
            }
        }
        ObjectNode params = o.putObject("recipeParameters");
        c.recipeParameters().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(en -> params.put(en.getKey(), en.getValue()));
        ArrayNode lots = o.putArray("materialLots");
        for (MaterialLot l : c.materialLots()) {
            lots.addObject().put("material", l.material()).put("lot", l.lot());
        }
        ArrayNode phases = o.putArray("phases");
        for (PhaseRecord p : record.phases(batchId)) {
            phases.addObject().put("phase", p.phase()).put("start", p.start().toString()).put("end", str(p.end()));
        }
        ArrayNode values = o.putArray("keyValues");
        for (KeyValue v : record.keyValues(batchId)) {
            values.addObject().put("name", v.name()).put("value", v.value()).put("uom", v.uom())
                    .put("time", v.time().toString()).put("recordedBy", v.recordedBy());
        }
        return o;
    }

    private static String eventTime(AuditEntry e) {
        try {
            return JSON.readTree(e.event().newValue()).path("time").asText();
        } catch (IOException ex) {
            return e.timestamp().toString();
        }
    }

    /** The export document, with its {@code exportHash}. */
    public ObjectNode exportJson(String batchId, String exportedBy) {
        ObjectNode content = content(batchId);
        String contentHash = AuditCodec.sha256Hex(CanonicalJson.write(content));
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT).put("exportedAt", clock.instant().toString()).put("exportedBy", exportedBy);
        o.setAll(content);
        o.put("contentHash", contentHash);
        ArrayNode sigs = o.putArray("signatures");
        for (ElectronicSignature s : signatures.signaturesFor("batch", batchId)) {
            sigs.addObject().put("signatureId", s.signatureId()).put("userId", s.userId())
                    .put("printedName", s.printedName()).put("signedAt", s.signedAt().toString())
                    .put("meaning", s.meaning().name()).put("recordType", s.recordType())
                    .put("recordId", s.recordId()).put("recordHash", s.recordHash()).put("reason", s.reason())
                    .put("auditSequence", s.auditSequence())
                    .put("validForThisContent", Boolean.toString(signatures.isValidFor(s, contentHash)));
        }
        ArrayNode audit = o.putArray("auditEntries");
        for (AuditEntry e : trail.entriesFor("batch", batchId)) {
            audit.add(entryJson(e));
        }
        trail.last().ifPresent(h -> o.putObject("trailHead").put("sequence", h.sequence()).put("hash", h.hash()));
        o.put("exportHash", AuditCodec.sha256Hex(CanonicalJson.write(o)));
        return o;
    }

    static ObjectNode entryJson(AuditEntry e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("sequence", e.sequence()).put("timestamp", e.timestamp().toString()).put("actor", e.event().actor())
                .put("action", e.event().action()).put("recordType", e.event().recordType())
                .put("recordId", e.event().recordId()).put("reason", e.event().reason())
                .put("oldValue", e.event().oldValue()).put("newValue", e.event().newValue())
                .put("previousHash", e.previousHash()).put("hash", e.hash());
        return n;
    }

    /**
     * Writes {@code <batchId>.json} and {@code <batchId>.html} into {@code dir} (each written to a temporary file,
     * forced, then moved into place) and returns their paths.
     */
    public List<Path> export(String batchId, Path dir, String exportedBy) {
        ObjectNode doc = exportJson(batchId, exportedBy);
        String name = batchId.replaceAll("[^A-Za-z0-9._-]", "_");
        try {
            Files.createDirectories(dir);
            Path json = write(dir.resolve(name + ".json"), JSON.writeValueAsString(doc) + "\n");
            Path html = write(dir.resolve(name + ".html"), HtmlReport.render(doc));
            return List.of(json, html);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot export batch " + batchId + " to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Path write(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE)) {
            var buf = java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        return Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String str(Instant i) {
        return i == null ? null : i.toString();
    }
}
