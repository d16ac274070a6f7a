package org.biotwin.ebr.internal.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.biotwin.api.audit.AuditEntry;
import org.biotwin.api.audit.AuditEvent;
import org.biotwin.api.audit.AuditTrail;
import org.biotwin.api.audit.ElectronicSignature;
import org.biotwin.api.audit.SignatureMeaning;
import org.biotwin.api.audit.VerificationResult;
import org.biotwin.ebr.internal.audit.AuditCodec;
import org.biotwin.ebr.internal.signature.AuditedSignatureService;
import org.jspecify.annotations.Nullable;

/**
 * Verifies an exported batch record: (1) the export hash over the canonical document; (2) each audit entry's own hash
 * and, for consecutive sequences, the chain link; (3) each signature against the audit entry that recorded it; (4)
 * with a live trail, each exported entry against the trail's entry of the same sequence (this catches an export that
 * was edited and re-hashed throughout, which no self-contained check can). Stateless and thread-safe.
 */
public final class ExportVerifier {

    private ExportVerifier() {
    }

    public static VerificationResult verify(Path file, @Nullable AuditTrail live) {
        JsonNode doc;
        try {
            doc = BatchExporter.JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            return new VerificationResult(false, 0, List.of("cannot read " + file + " as JSON: " + e.getMessage()));
        }
        return verify(doc, live);
    }

    public static VerificationResult verify(JsonNode doc, @Nullable AuditTrail live) {
        List<String> problems = new ArrayList<>();
        if (!doc.isObject() || !BatchExporter.FORMAT.equals(doc.path("format").asText())) {
            return new VerificationResult(false, 0, List.of("not a " + BatchExporter.FORMAT + " document"));
        }
        ObjectNode copy = ((ObjectNode) doc).deepCopy();
        String stated = copy.path("exportHash").asText();
        copy.remove("exportHash");
        String computed;
        try {
            computed = AuditCodec.sha256Hex(CanonicalJson.write(copy));
        } catch (IllegalArgumentException e) {
            computed = "(not canonical: " + e.getMessage() + ")";
        }
        if (!computed.equals(stated)) {
            problems.add("export hash mismatch: the document was changed after export (stated " + stated
                    + ", computed " + computed + ")");
        }
        ObjectNode content = BatchExporter.JSON.createObjectNode();
        for (String k : BatchExporter.CONTENT_KEYS) {
            content.set(k, doc.get(k));
        }
        try {
            String ch = AuditCodec.sha256Hex(CanonicalJson.write(content));
            if (!ch.equals(doc.path("contentHash").asText())) {
                problems.add("content hash mismatch: batch content was changed after export");
            }
        } catch (IllegalArgumentException e) {
            problems.add("content is not canonical JSON: " + e.getMessage());
        }
        Map<Long, AuditEntry> bySeq = new HashMap<>();
        AuditEntry previous = null;
        long count = 0;
        for (JsonNode n : doc.path("auditEntries")) {
            count++;
            AuditEntry e;
            try {
                e = new AuditEntry(n.path("sequence").asLong(), Instant.parse(n.path("timestamp").asText()),
                        new AuditEvent(n.path("actor").asText(), n.path("action").asText(),
                                n.path("recordType").asText(), n.path("recordId").asText(), n.path("reason").asText(),
                                text(n.get("oldValue")), text(n.get("newValue"))),
                        n.path("previousHash").asText(), n.path("hash").asText());
            } catch (RuntimeException ex) {
                problems.add("audit entry #" + count + " is malformed: " + ex.getMessage());
                continue;
            }
            if (!AuditCodec.hash(e).equals(e.hash())) {
                problems.add("audit entry " + e.sequence() + ": content does not match its hash (edited)");
            }
            if (previous != null) {
                if (e.sequence() <= previous.sequence()) {
                    problems.add("audit entry " + e.sequence() + " follows " + previous.sequence() + ": reordered");
                } else if (e.sequence() == previous.sequence() + 1 && !e.previousHash().equals(previous.hash())) {
                    problems.add("audit entry " + e.sequence() + ": does not link to entry " + previous.sequence());
                }
            }
            previous = e;
            bySeq.put(e.sequence(), e);
            if (live != null) {
                List<AuditEntry> l = live.entries(e.sequence(), 1);
                if (l.isEmpty()) {
                    problems.add("audit entry " + e.sequence() + " is not in the live trail");
                } else if (!l.get(0).hash().equals(e.hash()) || !l.get(0).equals(e)) {
                    problems.add("audit entry " + e.sequence() + " differs from the live trail's entry");
                }
            }
        }
        for (JsonNode s : doc.path("signatures")) {
            ElectronicSignature sig;
            try {
                sig = new ElectronicSignature(s.path("signatureId").asText(), s.path("userId").asText(),
                        s.path("printedName").asText(), Instant.parse(s.path("signedAt").asText()),
                        SignatureMeaning.valueOf(s.path("meaning").asText()), s.path("recordType").asText(),
                        s.path("recordId").asText(), s.path("recordHash").asText(), s.path("reason").asText(),
                        s.path("auditSequence").asLong());
            } catch (RuntimeException ex) {
                problems.add("signature " + s.path("signatureId").asText() + " is malformed: " + ex.getMessage());
                continue;
            }
            AuditEntry e = bySeq.get(sig.auditSequence());
            if (e == null || !AuditedSignatureService.binds(e, sig)) {
                problems.add("signature " + sig.signatureId() + " by " + sig.userId()
                        + " is not bound to the audit entry " + sig.auditSequence() + " that recorded it");
            }
            boolean claimed = "true".equals(s.path("validForThisContent").asText());
            if (claimed != sig.recordHash().equals(doc.path("contentHash").asText())) {
                problems.add("signature " + sig.signatureId() + ": validForThisContent is wrong");
            }
        }
        return new VerificationResult(problems.isEmpty(), count, problems);
    }

    private static @Nullable String text(@Nullable JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}
