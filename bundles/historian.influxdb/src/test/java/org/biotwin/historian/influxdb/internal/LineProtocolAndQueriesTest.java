package org.biotwin.historian.influxdb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.biotwin.api.historian.HistorianPoint;
import org.biotwin.api.sample.Quality;
import org.biotwin.api.sample.Sample;
import org.junit.jupiter.api.Test;

class LineProtocolAndQueriesTest {

    private static final Instant T = Instant.parse("2026-03-01T10:15:30.123456789Z");

    @Test
    void sampleLineHasSortedTagsAndIsIdenticalForARedelivery() {
        Sample s = new Sample("BR-101", "DO", T, 41.5, "%", Quality.UNCERTAIN);
        StringBuilder a = new StringBuilder();
        LineProtocol.appendSample(a, "PLANT1", s, "B-7", "FED_BATCH", Precision.MS);
        assertThat(a).hasToString("plant_sample,batch=B-7,phase=FED_BATCH,quality=UNCERTAIN,site=PLANT1,tag=DO,"
                + "unit=BR-101,uom=% value=41.5 1772360130123\n");
        StringBuilder b = new StringBuilder();
        LineProtocol.appendSample(b, "PLANT1", new Sample("BR-101", "DO", T, 41.5, "%", Quality.UNCERTAIN), "B-7",
                "FED_BATCH", Precision.MS);
        assertThat(b).hasToString(a.toString());
    }

    @Test
    void sampleWithoutContextOmitsBatchAndPhaseAndEscapes() {
        Sample s = Sample.of("BR 1,a=b", "off gas.O2", T, 20.9, "");
        StringBuilder a = new StringBuilder();
        LineProtocol.appendSample(a, "P", s, null, null, Precision.NS);
        assertThat(a).hasToString("plant_sample,quality=GOOD,site=P,tag=off\\ gas.O2,unit=BR\\ 1\\,a\\=b "
                + "value=20.9 1772360130123456789\n");
    }

    @Test
    void genericPointEncodesTypedFields() {
        HistorianPoint p = new HistorianPoint("twin_state", Map.of("unit", "BR-101", "state", "X"), T,
                Map.of("mean", 2.5, "n", 12L, "ok", true, "model", "cho \"v2\""));
        StringBuilder a = new StringBuilder();
        LineProtocol.append(a, p, Precision.S);
        assertThat(a).hasToString(
                "twin_state,state=X,unit=BR-101 mean=2.5,model=\"cho \\\"v2\\\"\",n=12i,ok=t 1772360130\n");
    }

    @Test
    void historianPointRefusesWhatTheBackendsCannotStore() {
        assertThatThrownBy(() -> HistorianPoint.of("twin state", Map.of(), T, 1.0))
                .hasMessageContaining("measurement 'twin state'");
        assertThatThrownBy(() -> HistorianPoint.of("m", Map.of("unit", " "), T, 1.0))
                .hasMessageContaining("tag 'unit'");
        assertThatThrownBy(() -> HistorianPoint.of("m", Map.of(), T, Double.NaN)).hasMessageContaining("not finite");
        assertThatThrownBy(() -> new HistorianPoint("m", Map.of(), T, Map.of("v", 1)))
                .hasMessageContaining("Double, Long, Boolean or String");
        assertThatThrownBy(() -> new HistorianPoint("m", Map.of(), T, Map.of())).hasMessageContaining("no field");
    }

    @Test
    void sqlQueriesBindValuesAndInlineOnlyNumbers() {
        String q = Queries.sqlRange(2, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-02T00:00:00Z"));
        assertThat(q).isEqualTo("SELECT " + Queries.SQL_COLUMNS + " FROM plant_sample WHERE \"site\" = ? AND "
                + "\"unit\" = ? AND \"tag\" IN (?, ?) AND ts >= cast(1767225600000000 AS timestamp) AND "
                + "ts < cast(1767312000000000 AS timestamp) ORDER BY ts");
        assertThat(Queries.sqlBatch()).endsWith("WHERE \"site\" = ? AND \"batch\" = ? ORDER BY ts");
        assertThat(Queries.sqlCreateSampleTable()).contains("DEDUP UPSERT KEYS(ts, \"site\", \"unit\", \"tag\")");
    }

    @Test
    void influxqlQueriesEscapeStringsAndUseNanosecondTimes() {
        String q = Queries.influxqlRange("P", "BR-1", List.of("DO", "it's"), Instant.ofEpochSecond(1),
                Instant.ofEpochSecond(2));
        assertThat(q).isEqualTo("SELECT \"value\", \"uom\", \"quality\", \"batch\", \"phase\" FROM \"plant_sample\""
                + " WHERE \"site\" = 'P' AND \"unit\" = 'BR-1' AND (\"tag\" = 'DO' OR \"tag\" = 'it\\'s')"
                + " AND time >= 1000000000 AND time < 2000000000 GROUP BY \"unit\", \"tag\"");
        assertThat(Queries.influxqlBatch("P", "B'1")).endsWith(
                "WHERE \"site\" = 'P' AND \"batch\" = 'B\\'1' GROUP BY \"unit\", \"tag\"");
    }

    @Test
    void fluxQueriesFollowTheFluxGrammar() {
        String q = Queries.fluxRange("biotwin", "P", "BR-1", List.of("DO", "pH"),
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T06:00:00.5Z"));
        assertThat(q).isEqualTo("""
                from(bucket: "biotwin")
                  |> range(start: 2026-01-01T00:00:00Z, stop: 2026-01-01T06:00:00.500Z)
                  |> filter(fn: (r) => r._measurement == "plant_sample" and r._field == "value")
                  |> filter(fn: (r) => r.site == "P" and r.unit == "BR-1")
                  |> filter(fn: (r) => r.tag == "DO" or r.tag == "pH")
                  |> group(columns: ["unit", "tag"])
                  |> sort(columns: ["_time"])
                """);
        String b = Queries.fluxBatch("biotwin", "P", "B\"${x}");
        assertThat(b).contains("|> range(start: 0)")
                .contains("r.site == \"P\" and r.batch == \"B\\\"\\${x}\"");
    }
}
