package org.biotwin.lifecycle.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The validation evidence embedded in a model bundle: the {@code validate} tool's report
 * ({@code OSGI-INF/biotwin/validation-report.json}) and the descriptor that {@link EvidenceTool} writes next to it
 * ({@code OSGI-INF/biotwin/validation-evidence.properties}: model id and version, SHA-256 of the report, the content
 * digest of the classes that were validated, the validity period). Parsed and cross-checked once; immutable.
 *
 * @param modelId       model id in the descriptor and the report
 * @param version       model version in the descriptor and the report
 * @param verdict       the report's verdict, {@code PASS} or {@code FAIL}
 * @param classesDigest content digest of the bundle without the evidence (see {@link ContentDigest#ofClasses})
 * @param validFrom     start of the validity period
 * @param validUntil    end of the validity period
 * @param parameters    the parameter vector the report was computed with, by name
 * @param tool          the tool that produced the report (name and version)
 * @param report        the report itself (JSON text)
 */
public record Evidence(String modelId, String version, String verdict, String classesDigest, Instant validFrom,
        Instant validUntil, Map<String, Double> parameters, String tool, String report) {

    public static final String FORMAT = "biotwin-model-evidence/1";
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON = new ObjectMapper();

    public Evidence {
        parameters = Map.copyOf(parameters);
    }

    /**
     * Parses and cross-checks the two files.
     *
     * @throws IllegalArgumentException naming what is wrong: a missing or malformed key, a report that is not the one
     *                                  the descriptor names, a model id or version that differ between the two
     */
    public static Evidence parse(byte[] descriptor, byte[] report) {
        Properties p = new Properties();
        try (var r = new InputStreamReader(new ByteArrayInputStream(descriptor), StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("evidence descriptor is unreadable: " + e.getMessage());
        }
        if (!FORMAT.equals(p.getProperty("format"))) {
            throw new IllegalArgumentException("evidence descriptor format is '" + p.getProperty("format")
                    + "', expected '" + FORMAT + "'");
        }
        String reportSha = hex(p, "report.sha256");
        String actual = ContentDigest.sha256Hex(report);
        if (!reportSha.equals(actual)) {
            throw new IllegalArgumentException("validation report was changed: its SHA-256 is " + actual
                    + " but the evidence descriptor names " + reportSha);
        }
        String classes = hex(p, "classes.sha256");
        Instant from = instant(p, "valid.from");
        Instant until = instant(p, "valid.until");
        if (!until.isAfter(from)) {
            throw new IllegalArgumentException("evidence validity period is empty: " + from + " .. " + until);
        }
        JsonNode doc;
        try {
            doc = JSON.readTree(report);
        } catch (IOException e) {
            throw new IllegalArgumentException("validation report is not JSON: " + e.getMessage());
        }
        String id = text(doc.path("model"), "id");
        String version = text(doc.path("model"), "version");
        if (!id.equals(p.getProperty("model.id")) || !version.equals(p.getProperty("model.version"))) {
            throw new IllegalArgumentException("validation report is for " + id + ":" + version
                    + " but the evidence descriptor names " + p.getProperty("model.id") + ":"
                    + p.getProperty("model.version"));
        }
        String verdict = text(doc, "verdict");
        Map<String, Double> par = new LinkedHashMap<>();
        doc.path("parameters").fields().forEachRemaining(e -> par.put(e.getKey(), e.getValue().asDouble()));
        JsonNode t = doc.path("tool");
        String tool = t.path("name").asText("validate") + " " + t.path("version").asText("?");
        return new Evidence(id, version, verdict, classes, from, until, par, tool,
                new String(report, StandardCharsets.UTF_8));
    }

    private static String hex(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || !HEX64.matcher(v.trim()).matches()) {
            throw new IllegalArgumentException("evidence descriptor key " + key + " must be 64 lowercase hex digits,"
                    + " not '" + v + "'");
        }
        return v.trim();
    }

    private static Instant instant(Properties p, String key) {
        String v = p.getProperty(key);
        try {
            return Instant.parse(v == null ? "" : v.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("evidence descriptor key " + key + " must be an ISO-8601 UTC instant,"
                    + " not '" + v + "'");
        }
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException("validation report has no '" + key + "'");
        }
        return v.asText();
    }
}
