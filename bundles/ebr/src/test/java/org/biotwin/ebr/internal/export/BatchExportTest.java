package org.biotwin.ebr.internal.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.biotwin.api.audit.AuditEntry;
import org.biotwin.api.audit.AuditEvent;
import org.biotwin.api.audit.SignatureMeaning;
import org.biotwin.api.audit.VerificationResult;
import org.biotwin.api.batch.KeyValue;
import org.biotwin.api.batch.MaterialLot;
import org.biotwin.ebr.internal.audit.AuditCodec;
import org.biotwin.ebr.internal.audit.FileAuditTrail;
import org.biotwin.ebr.internal.batch.BatchRecordService;
import org.biotwin.ebr.internal.signature.AuditedSignatureService;
import org.biotwin.ebr.internal.signature.PasswordHasher;
import org.biotwin.ebr.internal.signature.SignatureConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchExportTest {

    static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    FileAuditTrail trail;
    BatchRecordService record;
    AuditedSignatureService sigs;
    BatchExporter exporter;
    Path json;
    Path html;

    static String qa1;

    @org.junit.jupiter.api.BeforeAll
    static void hash() {
        qa1 = "qa1|Quentin <QA> O'Neil|qa|" + PasswordHasher.hash("qa1-secret".toCharArray(), 210_000);
    }

    @BeforeEach
    void setUp() {
        trail = new FileAuditTrail(dir.resolve("trail"), Clock.systemUTC());
        record = new BatchRecordService(trail, java.util.Set.of());
        sigs = new AuditedSignatureService(trail, new SignatureConfig(new String[] {qa1},
                new String[] {"APPROVED=qa"}, new String[0], 3, 0, new String[0]), Clock.systemUTC());
        exporter = new BatchExporter(record, trail, sigs, Clock.systemUTC());
        record.create("mes", "B-7", "BR-101", "mAb-X", "RCP-CHO-FB", "3", Map.of("targetTemperature", "36.5"),
                List.of(new MaterialLot("CD-CHO", "L-1")), T0);
        record.start("jdoe", "B-7", T0.plusSeconds(3600));
        record.enterPhase("jdoe", "B-7", "BATCH", T0.plusSeconds(3600));
        record.enterPhase("jdoe", "B-7", "FED_BATCH", T0.plusSeconds(72 * 3600));
        record.enterPhase("jdoe", "B-7", "HARVEST", T0.plusSeconds(300 * 3600));
        record.complete("jdoe", "B-7", T0.plusSeconds(310 * 3600));
        record.recordKeyValue("lab1", "B-7", new KeyValue("titer", "3.42", "g/L", T0.plusSeconds(310 * 3600),
                "lab1"), "final titre");
        sigs.sign("qa1", "qa1-secret".toCharArray(), SignatureMeaning.APPROVED, "batch", "B-7",
                exporter.contentHash("B-7"), "Batch record reviewed and approved");
        List<Path> files = exporter.export("B-7", dir.resolve("out"), "qa1");
        json = files.get(0);
        html = files.get(1);
    }

    @AfterEach
    void tearDown() {
        trail.close();
    }

    @Test
    void exportHoldsContextPhasesValuesSignaturesAndAuditAndVerifies() throws Exception {
        JsonNode d = JSON.readTree(json.toFile());
        assertThat(d.path("batch").path("unitId").asText()).isEqualTo("BR-101");
        assertThat(d.path("batch").path("created").asText()).isEqualTo(T0.toString());
        assertThat(d.path("batch").path("ended").asText()).isEqualTo(T0.plusSeconds(310 * 3600).toString());
        assertThat(d.path("phases")).hasSize(3);
        assertThat(d.path("keyValues").get(0).path("value").asText()).isEqualTo("3.42");
        JsonNode sig = d.path("signatures").get(0);
        assertThat(sig.path("printedName").asText()).isEqualTo("Quentin <QA> O'Neil");
        assertThat(sig.path("meaning").asText()).isEqualTo("APPROVED");
        assertThat(sig.path("validForThisContent").asText()).isEqualTo("true");
        assertThat(d.path("auditEntries")).hasSize(8);
        VerificationResult v = ExportVerifier.verify(json, trail);
        assertThat(v.valid()).as(v.problems().toString()).isTrue();
        assertThat(ExportVerifier.verify(json, null).valid()).isTrue();

        String page = Files.readString(html);
        assertThat(page).contains("Quentin &lt;QA&gt; O&#39;Neil").contains("FED_BATCH").contains("3.42")
                .contains("Batch record reviewed and approved").contains(d.path("exportHash").asText())
                .contains("@media print").doesNotContain("<QA>");
    }

    @Test
    void anEditedExportIsDetected() throws Exception {
        String text = Files.readString(json);
        Files.writeString(json, text.replace("\"3.42\"", "\"4.42\""));
        VerificationResult v = ExportVerifier.verify(json, trail);
        assertThat(v.valid()).isFalse();
        assertThat(v.problems()).anyMatch(p -> p.contains("export hash mismatch"));
        assertThat(v.problems()).anyMatch(p -> p.contains("content hash mismatch"));
    }

    @Test
    void anExportEditedAndRehashedIsStillDetected() throws Exception {
        ObjectNode d = (ObjectNode) JSON.readTree(json.toFile());
        // Forge: change who started the batch in the audit entry, recompute that entry's hash and the export hash.
        ObjectNode start = (ObjectNode) d.path("auditEntries").get(1);
        start.put("actor", "someone-else");
        AuditEntry forged = new AuditEntry(start.path("sequence").asLong(),
                Instant.parse(start.path("timestamp").asText()), new AuditEvent("someone-else",
                        start.path("action").asText(), "batch", "B-7", start.path("reason").asText(),
                        start.path("oldValue").asText(), start.path("newValue").asText()),
                start.path("previousHash").asText(), "");
        start.put("hash", AuditCodec.hash(forged));
        d.remove("exportHash");
        d.put("exportHash", AuditCodec.sha256Hex(CanonicalJson.write(d)));
        VerificationResult offline = ExportVerifier.verify(d, null);
        assertThat(offline.problems()).anyMatch(p -> p.contains("does not link")); // the next entry's link breaks
        VerificationResult live = ExportVerifier.verify(d, trail);
        assertThat(live.valid()).isFalse();
        assertThat(live.problems()).anyMatch(p -> p.contains("differs from the live trail"));
    }

    @Test
    void aSignatureMovedInTheExportIsDetected() throws Exception {
        ObjectNode d = (ObjectNode) JSON.readTree(json.toFile());
        ((ObjectNode) d.path("signatures").get(0)).put("meaning", "REVIEWED");
        d.remove("exportHash");
        d.put("exportHash", AuditCodec.sha256Hex(CanonicalJson.write(d)));
        VerificationResult v = ExportVerifier.verify(d, trail);
        assertThat(v.valid()).isFalse();
        assertThat(v.problems()).anyMatch(p -> p.contains("not bound"));
    }

    @Test
    void laterChangesInvalidateTheApprovalShownInTheExport() throws Exception {
        record.recordKeyValue("lab1", "B-7", new KeyValue("titer", "3.50", "g/L", T0.plusSeconds(320 * 3600),
                "lab1"), "re-assay");
        JsonNode d = exporter.exportJson("B-7", "qa1");
        assertThat(d.path("signatures").get(0).path("validForThisContent").asText()).isEqualTo("false");
        assertThat(ExportVerifier.verify(d, trail).valid()).isTrue();
    }
}
