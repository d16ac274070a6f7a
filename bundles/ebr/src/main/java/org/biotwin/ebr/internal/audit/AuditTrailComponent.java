package org.biotwin.ebr.internal.audit;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.biotwin.api.audit.AuditEntry;
import org.biotwin.api.audit.AuditEvent;
import org.biotwin.api.audit.AuditTrail;
import org.biotwin.api.audit.VerificationResult;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The {@link AuditTrail} service: a {@link FileAuditTrail} in a configured directory. */
@Component(service = AuditTrail.class, configurationPid = AuditTrailComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = AuditTrailComponent.Config.class)
public final class AuditTrailComponent implements AuditTrail {

    /** Configuration PID. */
    public static final String PID = "org.biotwin.ebr.audit";

    @ObjectClassDefinition(name = "BioTwin audit trail",
            description = "Append-only, hash-chained, fsync-before-acknowledge audit trail (21 CFR 11.10(e)).")
    public @interface Config {
        @AttributeDefinition(name = "Directory", required = false,
                description = "Directory of audit.log and audit.head. Empty: the bundle's persistent data area"
                        + " (<framework storage>/bundleN/data/audit). Put it on a local disk with a real fsync, and"
                        + " back it up; one process per directory (an OS lock enforces it).")
        String directory() default "";
    }

    private final FileAuditTrail trail;

    @Activate
    public AuditTrailComponent(BundleContext context, Config config) {
        String dir = config.directory().trim();
        Path path;
        if (dir.isEmpty()) {
            var data = context.getDataFile("audit");
            if (data == null) {
                throw new IllegalStateException("Audit trail: the framework has no persistent storage for this"
                        + " bundle; configure " + PID + " directory");
            }
            path = data.toPath();
        } else {
            path = Path.of(dir);
        }
        this.trail = new FileAuditTrail(path, Clock.systemUTC());
    }

    @Deactivate
    void deactivate() {
        trail.close();
    }

    @Override
    public AuditEntry append(AuditEvent event) {
        return trail.append(event);
    }

    @Override
    public List<AuditEntry> entriesFor(String recordType, String recordId) {
        return trail.entriesFor(recordType, recordId);
    }

    @Override
    public List<AuditEntry> entries(long fromSequence, int max) {
        return trail.entries(fromSequence, max);
    }

    @Override
    public Set<String> recordIds(String recordType) {
        return trail.recordIds(recordType);
    }

    @Override
    public Optional<AuditEntry> last() {
        return trail.last();
    }

    @Override
    public VerificationResult verify() {
        return trail.verify();
    }
}
