package org.biotwin.ebr.internal.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.biotwin.api.audit.AuditEntry;
import org.biotwin.api.batch.BatchContext;
import org.biotwin.api.batch.BatchState;
import org.biotwin.api.batch.KeyValue;
import org.biotwin.api.batch.MaterialLot;
import org.biotwin.api.batch.PhaseRecord;
import org.biotwin.ebr.internal.audit.FileAuditTrail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchRecordServiceTest {

    static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    static final Set<String> PHASES = Set.of("INOCULATION", "BATCH", "FED_BATCH", "TEMPERATURE_SHIFT", "HARVEST");

    @TempDir
    Path dir;
    FileAuditTrail trail;
    BatchRecordService record;

    @BeforeEach
    void open() {
        trail = new FileAuditTrail(dir, Clock.systemUTC());
        record = new BatchRecordService(trail, PHASES);
    }

    @AfterEach
    void close() {
        trail.close();
    }

    static Instant h(double hours) {
        return T0.plus(Duration.ofSeconds((long) (hours * 3600)));
    }

    private void runTypicalBatch(String batchId, String unit) {
        record.create("mes", batchId, unit, "mAb-X", "RCP-CHO-FB", "3", Map.of("targetTemperature", "36.5"),
                List.of(new MaterialLot("CD-CHO", "L-1001")), h(0));
        record.start("jdoe", batchId, h(1));
        record.enterPhase("jdoe", batchId, "INOCULATION", h(1));
        record.enterPhase("jdoe", batchId, "BATCH", h(2));
        record.enterPhase("jdoe", batchId, "FED_BATCH", h(72));
        record.enterPhase("jdoe", batchId, "TEMPERATURE_SHIFT", h(120));
        record.enterPhase("jdoe", batchId, "HARVEST", h(300));
        record.complete("jdoe", batchId, h(310));
    }

    @Test
    void lifecycleWithPhasesIsRecordedAndAudited() {
        runTypicalBatch("B-001", "BR-101");
        BatchContext c = record.batch("B-001").orElseThrow();
        assertThat(c.state()).isEqualTo(BatchState.COMPLETED);
        assertThat(c.batchStart()).isEqualTo(h(1));
        assertThat(c.materialLots()).containsExactly(new MaterialLot("CD-CHO", "L-1001"));
        assertThat(record.phases("B-001")).extracting(PhaseRecord::phase)
                .containsExactly("INOCULATION", "BATCH", "FED_BATCH", "TEMPERATURE_SHIFT", "HARVEST");
        assertThat(record.phases("B-001").get(4)).isEqualTo(new PhaseRecord("HARVEST", h(300), h(310)));
        assertThat(record.current("BR-101")).isEmpty();
        List<AuditEntry> audit = trail.entriesFor("batch", "B-001");
        assertThat(audit).extracting(e -> e.event().action()).containsExactly("batch.create", "batch.start",
                "batch.phase", "batch.phase", "batch.phase", "batch.phase", "batch.phase", "batch.complete");
        assertThat(audit.get(1).event().actor()).isEqualTo("jdoe");
        assertThat(audit.get(1).event().oldValue()).isEqualTo("state=CREATED");
    }

    @Test
    void invalidTransitionsAreRefusedNamingBatchStateAndCommand() {
        record.create("mes", "B-002", "BR-102", "mAb-X", "RCP", "1", Map.of(), List.of(), h(0));
        assertThatThrownBy(() -> record.enterPhase("jdoe", "B-002", "BATCH", h(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("B-002").hasMessageContaining("CREATED").hasMessageContaining("'phase'");
        assertThatThrownBy(() -> record.restart("jdoe", "B-002", h(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'restart'");
        record.start("jdoe", "B-002", h(1));
        assertThatThrownBy(() -> record.start("jdoe", "B-002", h(2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Batch B-002 is RUNNING; refused command 'start' (allowed in [CREATED])");
        assertThatThrownBy(() -> record.enterPhase("jdoe", "B-002", "BATCH", h(0.5)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("back in time");
        assertThatThrownBy(() -> record.enterPhase("jdoe", "B-002", "fed batch", h(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UPPER_SNAKE_CASE");
        assertThatThrownBy(() -> record.enterPhase("jdoe", "B-002", "PERFUSION", h(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("configured phases");
        assertThatThrownBy(() -> record.hold("jdoe", "B-002", " ", h(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a reason");
        assertThatThrownBy(() -> record.create("mes", "B-003", "BR-102", "mAb-X", "RCP", "1", Map.of(), List.of(),
                h(2))).isInstanceOf(IllegalStateException.class).hasMessageContaining("already has open batch B-002");
        record.hold("jdoe", "B-002", "pH probe replacement", h(3));
        assertThatThrownBy(() -> record.enterPhase("jdoe", "B-002", "BATCH", h(4)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("HELD");
        record.abort("qa1", "B-002", "contamination", h(5));
        assertThatThrownBy(() -> record.complete("jdoe", "B-002", h(6)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ABORTED");
        assertThatThrownBy(() -> record.start("jdoe", "NOPE", h(6)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Unknown batch NOPE");
        assertThatThrownBy(() -> record.create("mes", "B-002", "BR-109", "p", "r", "1", Map.of(), List.of(), h(6)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already exists");
        assertThatThrownBy(() -> record.start(" ", "B-002", h(6)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("actor");
        // Refused commands leave no trace but also no change: 4 accepted commands, 4 audit entries.
        assertThat(trail.entriesFor("batch", "B-002")).hasSize(4);
    }

    @Test
    void lateSamplesAreContextualisedByTheirOwnTimestamp() {
        runTypicalBatch("B-010", "BR-101");
        runTypicalBatchLater("B-011", "BR-101", 400);
        // A lab sample taken at h(80) arriving much later (after the batch completed) lands in FED_BATCH of B-010.
        BatchContext c = record.contextAt("BR-101", h(80)).orElseThrow();
        assertThat(c.batchId()).isEqualTo("B-010");
        assertThat(c.phase()).isEqualTo("FED_BATCH");
        assertThat(c.state()).isEqualTo(BatchState.RUNNING);
        assertThat(c.batchTimeHours(h(80))).isEqualTo(79.0);
        // Boundaries are half-open: the instant a phase starts belongs to it.
        assertThat(record.contextAt("BR-101", h(72)).orElseThrow().phase()).isEqualTo("FED_BATCH");
        assertThat(record.contextAt("BR-101", h(72).minusMillis(1)).orElseThrow().phase()).isEqualTo("BATCH");
        // Before creation, between batches, and on another unit: no batch.
        assertThat(record.contextAt("BR-101", h(-1))).isEmpty();
        assertThat(record.contextAt("BR-101", h(350))).isEmpty();
        assertThat(record.contextAt("BR-999", h(80))).isEmpty();
        // Created but not started.
        assertThat(record.contextAt("BR-101", h(400.5)).orElseThrow().state()).isEqualTo(BatchState.CREATED);
        assertThat(record.contextAt("BR-101", h(480)).orElseThrow().batchId()).isEqualTo("B-011");
        assertThat(record.batches("BR-101")).extracting(BatchContext::batchId).containsExactly("B-010", "B-011");
    }

    private void runTypicalBatchLater(String batchId, String unit, double offset) {
        record.create("mes", batchId, unit, "mAb-X", "RCP-CHO-FB", "3", Map.of(), List.of(), h(offset));
        record.start("jdoe", batchId, h(offset + 1));
        record.enterPhase("jdoe", batchId, "BATCH", h(offset + 2));
    }

    @Test
    void contextSurvivesARestart() {
        runTypicalBatch("B-020", "BR-103");
        runTypicalBatchLater("B-021", "BR-103", 400);
        record.addMaterialLot("op", "B-021", new MaterialLot("FEED-A", "F-77"), h(410));
        record.recordKeyValue("lab1", "B-021", new KeyValue("VCD", "12.5", "10*6/mL", h(405), "lab1"), "IPC");
        trail.close();
        trail = new FileAuditTrail(dir, Clock.systemUTC());
        BatchRecordService reopened = new BatchRecordService(trail, PHASES);
        assertThat(reopened.batch("B-020")).isEqualTo(record.batch("B-020"));
        assertThat(reopened.batch("B-021")).isEqualTo(record.batch("B-021"));
        assertThat(reopened.current("BR-103").orElseThrow().batchId()).isEqualTo("B-021");
        assertThat(reopened.current("BR-103").orElseThrow().materialLots()).hasSize(1);
        assertThat(reopened.phases("B-020")).isEqualTo(record.phases("B-020"));
        assertThat(reopened.keyValues("B-021")).isEqualTo(record.keyValues("B-021"));
        assertThat(reopened.contextAt("BR-103", h(130))).isEqualTo(record.contextAt("BR-103", h(130)));
        assertThatThrownBy(() -> reopened.start("jdoe", "B-021", h(500))).isInstanceOf(IllegalStateException.class);
    }

    // ------------------------------------------------------------------------------------------------ MQTT

    private void send(String topic, String json) {
        record.onMessage(topic, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void mesEventsOverMqttDriveTheLifecycle() {
        send("mes/BR-201/batch/create", """
                {"eventId":"e1","batchId":"B-100","actor":"system:mes","time":"2026-03-01T08:00:00Z",
                 "product":"mAb-X","recipeId":"RCP-CHO-FB","recipeVersion":"3",
                 "recipeParameters":{"targetTemperature":36.5,"feed":"A"},
                 "materialLots":[{"material":"CD-CHO","lot":"L-1"}]}""");
        send("mes/BR-201/batch/start", """
                {"eventId":"e2","batchId":"B-100","actor":"jdoe","time":"2026-03-01T10:00:00+01:00"}""");
        send("mes/BR-201/batch/phase", """
                {"eventId":"e3","batchId":"B-100","actor":"jdoe","time":"2026-03-01T09:30:00Z","phase":"BATCH"}""");
        // QoS 1 redelivery of an applied event: ignored, no second audit entry, no error.
        send("mes/BR-201/batch/phase", """
                {"eventId":"e3","batchId":"B-100","actor":"jdoe","time":"2026-03-01T09:30:00Z","phase":"BATCH"}""");
        send("mes/BR-201/batch/value", """
                {"eventId":"e4","batchId":"B-100","actor":"lab1","time":"2026-03-01T12:00:00Z","name":"titer",
                 "value":0.12,"uom":"g/L"}""");
        BatchContext c = record.current("BR-201").orElseThrow();
        assertThat(c.state()).isEqualTo(BatchState.RUNNING);
        assertThat(c.phase()).isEqualTo("BATCH");
        assertThat(c.batchStart()).isEqualTo(Instant.parse("2026-03-01T09:00:00Z"));
        assertThat(c.recipeParameters()).containsEntry("targetTemperature", "36.5");
        assertThat(record.keyValues("B-100")).extracting(KeyValue::value).containsExactly("0.12");
        assertThat(trail.entriesFor("batch", "B-100")).hasSize(4);
        assertThat(trail.entriesFor("batch", "B-100").get(0).event().reason()).isEqualTo("MES event e1");
    }

    @Test
    void malformedMesEventsAreRefusedWithAReasonAndRecordNothing() {
        send("mes/BR-202/batch/create", """
                {"batchId":"B-200","actor":"mes","time":"2026-03-01T08:00:00Z","product":"p","recipeId":"r",
                 "recipeVersion":"1"}""");
        long before = trail.size();
        assertRefused("mes/BR-202/batch/start", "{not json", "not valid JSON");
        assertRefused("mes/BR-202/batch/start", "[1,2]", "must be a JSON object");
        assertRefused("mes/BR-202/batch/start", "{\"batchId\":\"B-200\",\"time\":\"2026-03-01T09:00:00Z\"}",
                "'actor' is missing");
        assertRefused("mes/BR-202/batch/start",
                "{\"batchId\":\"B-200\",\"actor\":\"a\",\"time\":\"yesterday\"}", "not ISO-8601");
        assertRefused("mes/BR-202/batch/start",
                "{\"batchId\":\"B-200\",\"actor\":\"a\",\"time\":\"2026-03-01T09:00:00Z\",\"phase\":\"X\"}",
                "unknown key 'phase'");
        assertRefused("mes/BR-202/batch/explode",
                "{\"batchId\":\"B-200\",\"actor\":\"a\",\"time\":\"2026-03-01T09:00:00Z\"}", "unknown command");
        assertRefused("mes/BR-202/batch",
                "{\"batchId\":\"B-200\",\"actor\":\"a\",\"time\":\"2026-03-01T09:00:00Z\"}", "is not mes/");
        assertRefused("mes/BR-999/batch/start",
                "{\"batchId\":\"B-200\",\"actor\":\"a\",\"time\":\"2026-03-01T09:00:00Z\"}", "runs on unit BR-202");
        assertRefused("mes/BR-202/batch/complete",
                "{\"batchId\":\"B-200\",\"actor\":\"a\",\"time\":\"2026-03-01T09:00:00Z\"}",
                "Batch B-200 is CREATED; refused command 'complete'");
        assertRefused("mes/BR-202/batch/start",
                "{\"batchId\":\"B-200\",\"actor\":42,\"time\":\"2026-03-01T09:00:00Z\"}", "must be a string");
        assertRefused("mes/BR-202/batch/start", "{\"batchId\":\"B-200\",\"batchId\":\"B-201\",\"actor\":\"a\"}",
                "Duplicate field");
        assertThat(trail.size()).isEqualTo(before);
        assertThat(record.batch("B-200").orElseThrow().state()).isEqualTo(BatchState.CREATED);
    }

    private void assertRefused(String topic, String json, String reason) {
        assertThatThrownBy(() -> send(topic, json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }
}
