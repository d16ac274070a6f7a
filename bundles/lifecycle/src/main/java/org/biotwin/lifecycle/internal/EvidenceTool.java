package org.biotwin.lifecycle.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Build-time tool: embeds a passed validation report into a model bundle jar, so the bundle carries its evidence.
 * <pre>
 * java -cp org.biotwin.lifecycle.jar:jackson-core.jar:jackson-databind.jar:jackson-annotations.jar \
 *      org.biotwin.lifecycle.internal.EvidenceTool embed --jar MODEL.jar --report validation.json \
 *      [--out OUT.jar] [--valid-days 365]
 * java ... EvidenceTool digest MODEL.jar      # the content digest QA signs (same as the gate computes)
 * </pre>
 * {@code embed} refuses (exit 1) a report whose verdict is not PASS, and (exit 3) a report that was not computed on
 * exactly this jar (its {@code model.jarSha256}) or a jar that already carries evidence. It writes the report to
 * {@value org.biotwin.api.lifecycle.ModelLifecycle#REPORT_PATH} and a descriptor to
 * {@value org.biotwin.api.lifecycle.ModelLifecycle#EVIDENCE_PATH} with the report's SHA-256, the content digest of
 * the validated classes, and the validity period (from the report's time stamp, {@code --valid-days} long). Entries
 * keep their order and time stamps; the new entries take the manifest's time stamp. Exit 2: usage error.
 */
public final class EvidenceTool {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EvidenceTool() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length == 2 && args[0].equals("digest")) {
                out.println(ContentDigest.of(Path.of(args[1])));
                return 0;
            }
            if (args.length < 1 || !args[0].equals("embed")) {
                err.println("usage: EvidenceTool embed --jar JAR --report JSON [--out JAR] [--valid-days N]"
                        + " | digest JAR");
                return 2;
            }
            Path jar = null;
            Path report = null;
            Path outJar = null;
            long days = 365;
            for (int i = 1; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    err.println("option " + args[i] + " needs a value");
                    return 2;
                }
                switch (args[i]) {
                    case "--jar" -> jar = Path.of(args[i + 1]);
                    case "--report" -> report = Path.of(args[i + 1]);
                    case "--out" -> outJar = Path.of(args[i + 1]);
                    case "--valid-days" -> {
                        try {
                            days = Long.parseLong(args[i + 1]);
                        } catch (NumberFormatException e) {
                            days = -1;
                        }
                        if (days < 1 || days > 3660) {
                            err.println("--valid-days must be 1..3660, not " + args[i + 1]);
                            return 2;
                        }
                    }
                    default -> {
                        err.println("unknown option " + args[i]);
                        return 2;
                    }
                }
            }
            if (jar == null || report == null) {
                err.println("embed needs --jar and --report");
                return 2;
            }
            String result = embed(jar, report, outJar == null ? jar : outJar, Duration.ofDays(days));
            out.println(result);
            return 0;
        } catch (Refused e) {
            err.println("error: " + e.getMessage());
            return e.code;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return 3;
        }
    }

    /** Refusal with an exit code. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int code;

        Refused(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    static String embed(Path jar, Path reportFile, Path out, Duration validity) throws IOException, Refused {
        byte[] report = Files.readAllBytes(reportFile);
        JsonNode doc;
        try {
            doc = JSON.readTree(report);
        } catch (IOException e) {
            throw new Refused(3, reportFile + " is not JSON: " + e.getMessage());
        }
        JsonNode model = doc.path("model");
        String id = model.path("id").asText("");
        String version = model.path("version").asText("");
        if (id.isBlank() || version.isBlank()) {
            throw new Refused(3, reportFile + " names no model id and version");
        }
        if (!"PASS".equals(doc.path("verdict").asText())) {
            throw new Refused(1, reportFile + ": verdict is " + doc.path("verdict").asText("missing")
                    + ", not PASS; a failed validation is not evidence for release");
        }
        String jarSha = ContentDigest.sha256Hex(Files.readAllBytes(jar));
        if (!jarSha.equals(model.path("jarSha256").asText())) {
            throw new Refused(3, reportFile + " was computed on a jar with SHA-256 " + model.path("jarSha256")
                    .asText("(none)") + ", not on " + jar + " (" + jarSha + ")");
        }
        Instant from;
        try {
            from = Instant.parse(doc.path("tool").path("timestamp").asText());
        } catch (DateTimeParseException e) {
            throw new Refused(3, reportFile + " has no tool.timestamp (ISO-8601): the validity period starts there");
        }
        return write(jar, report, id, version, doc.path("verdict").asText(), from, validity, out);
    }

    /**
     * Writes {@code out}: the entries of {@code jar} plus the report and its descriptor. No check of the verdict:
     * {@link #embed} checks; tests use this to build a bundle with a failed report, as a careless release would.
     */
    static String write(Path jar, byte[] report, String id, String version, String verdict, Instant from,
            Duration validity, Path out) throws IOException, Refused {
        String jarSha = ContentDigest.sha256Hex(Files.readAllBytes(jar));
        String classes = ContentDigest.ofClasses(jar);
        String descriptor = "# BioTwin validation evidence; the approval gate checks it (bundles/lifecycle)\n"
                + "format=" + Evidence.FORMAT + "\n"
                + "model.id=" + id + "\n"
                + "model.version=" + version + "\n"
                + "report.verdict=" + verdict + "\n"
                + "report.sha256=" + ContentDigest.sha256Hex(report) + "\n"
                + "jar.sha256=" + jarSha + "\n"
                + "classes.sha256=" + classes + "\n"
                + "valid.from=" + from + "\n"
                + "valid.until=" + from.plus(validity) + "\n";
        Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), ".evidence", ".jar");
        try (JarFile in = new JarFile(jar.toFile(), false);
                OutputStream os = Files.newOutputStream(tmp);
                JarOutputStream jos = new JarOutputStream(os)) {
            long time = 0;
            for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements();) {
                JarEntry je = e.nextElement();
                String name = je.getName();
                if (name.startsWith(ContentDigest.EVIDENCE_DIR.substring(1))) {
                    throw new Refused(3, jar + " already carries validation evidence (" + name + ")");
                }
                if (name.equals("META-INF/MANIFEST.MF")) {
                    time = je.getTime();
                }
                JarEntry copy = new JarEntry(name);
                copy.setTime(je.getTime());
                jos.putNextEntry(copy);
                if (!je.isDirectory()) {
                    try (InputStream is = in.getInputStream(je)) {
                        is.transferTo(jos);
                    }
                }
                jos.closeEntry();
            }
            put(jos, "OSGI-INF/biotwin/validation-report.json", report, time);
            put(jos, "OSGI-INF/biotwin/validation-evidence.properties",
                    descriptor.getBytes(StandardCharsets.ISO_8859_1), time);
        } catch (IOException | Refused e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return "embedded validation evidence of " + id + ":" + version + " into " + out + "; content digest "
                + ContentDigest.of(out) + " (what QA approves)";
    }

    private static void put(JarOutputStream jos, String name, byte[] bytes, long time) throws IOException {
        JarEntry e = new JarEntry(name);
        e.setTime(time);
        jos.putNextEntry(e);
        jos.write(bytes);
        jos.closeEntry();
    }

}
