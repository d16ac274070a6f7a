package org.biotwin.ebr.internal.shell;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.biotwin.api.audit.AuditEntry;
import org.biotwin.api.audit.AuditTrail;
import org.biotwin.api.audit.SignatureService;
import org.biotwin.api.audit.VerificationResult;
import org.biotwin.api.batch.BatchContext;
import org.biotwin.api.batch.BatchRecord;
import org.biotwin.ebr.internal.audit.FileAuditTrail;
import org.biotwin.ebr.internal.export.BatchExporter;
import org.biotwin.ebr.internal.export.ExportVerifier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo shell commands, found by Gogo through the {@code osgi.command.*} service properties (no compile dependency on
 * Gogo):
 * <pre>
 * ebr:verify                      verify the live audit trail (whole chain, from disk)
 * ebr:verify &lt;export.json&gt;        verify an exported batch record, also against the live trail
 * ebr:verify &lt;trailDir&gt;           verify a copy of a trail directory (offline, read-only)
 * ebr:export &lt;batchId&gt; &lt;dir&gt;      write &lt;batchId&gt;.json and .html
 * ebr:batches                     every batch: id, unit, state, phase, product, recipe
 * ebr:hash &lt;batchId&gt;              the content hash a reviewer signs
 * ebr:trail [from] [max]          audit entries, oldest first
 * ebr:head                        the chain head (record it elsewhere as an anchor)
 * </pre>
 */
@Component(service = EbrCommands.class, property = {"osgi.command.scope=ebr", "osgi.command.function=verify",
    "osgi.command.function=export", "osgi.command.function=batches", "osgi.command.function=hash",
    "osgi.command.function=trail", "osgi.command.function=head"})
public final class EbrCommands {

    private final AuditTrail trail;
    private final BatchRecord record;
    private final BatchExporter exporter;

    @Activate
    public EbrCommands(@Reference AuditTrail trail, @Reference BatchRecord record,
            @Reference SignatureService signatures) {
        this.trail = trail;
        this.record = record;
        this.exporter = new BatchExporter(record, trail, signatures, Clock.systemUTC());
    }

    public String verify() {
        long t0 = System.nanoTime();
        VerificationResult r = trail.verify();
        return format("Audit trail", r) + String.format(" (%.1f s)", (System.nanoTime() - t0) / 1e9)
                + head();
    }

    /** Verifies an export file, or a copy of a trail directory (offline, read-only). */
    public String verify(String exportFileOrTrailDir) {
        Path p = Path.of(exportFileOrTrailDir);
        if (java.nio.file.Files.isDirectory(p)) {
            return format("Audit trail copy " + p, FileAuditTrail.verifyDirectory(p));
        }
        return format("Export " + p, ExportVerifier.verify(p, trail));
    }

    public String export(String batchId, String dir) {
        List<Path> files = exporter.export(batchId, Path.of(dir), "shell:" + System.getProperty("user.name"));
        return "Exported batch " + batchId + " to " + files;
    }

    public String hash(String batchId) {
        return exporter.contentHash(batchId);
    }

    public String batches() {
        StringBuilder sb = new StringBuilder(String.format("%-20s %-10s %-10s %-18s %-14s %s%n", "BATCH", "UNIT",
                "STATE", "PHASE", "PRODUCT", "RECIPE"));
        for (String id : trail.recordIds("batch")) {
            record.batch(id).ifPresent(c -> sb.append(line(c)));
        }
        return sb.toString();
    }

    private static String line(BatchContext c) {
        return String.format("%-20s %-10s %-10s %-18s %-14s %s v%s%n", c.batchId(), c.unitId(), c.state(),
                c.phase() == null ? "-" : c.phase(), c.product(), c.recipeId(), c.recipeVersion());
    }

    public String trail(long from, int max) {
        StringBuilder sb = new StringBuilder();
        for (AuditEntry e : trail.entries(from, max)) {
            sb.append(String.format("%d %s %s %s %s/%s why=%s old=%s new=%s%n", e.sequence(), e.timestamp(),
                    e.event().actor(), e.event().action(), e.event().recordType(), e.event().recordId(),
                    e.event().reason(), e.event().oldValue(), e.event().newValue()));
        }
        return sb.toString();
    }

    public String trail() {
        long last = trail.last().map(AuditEntry::sequence).orElse(0L);
        return trail(Math.max(1, last - 19), 20);
    }

    public String head() {
        return trail.last().map(e -> "\nHead: #" + e.sequence() + " " + e.hash() + " at " + e.timestamp())
                .orElse("\nHead: empty trail");
    }

    private static String format(String what, VerificationResult r) {
        StringBuilder sb = new StringBuilder(what).append(r.valid() ? ": VALID" : ": INVALID").append(", ")
                .append(r.entries()).append(" entries checked");
        for (String p : r.problems()) {
            sb.append("\n  - ").append(p);
        }
        return sb.toString();
    }
}
