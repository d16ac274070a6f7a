package org.biotwin.api.lifecycle;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.biotwin.api.audit.ElectronicSignature;
import org.jspecify.annotations.Nullable;

/**
 * What the approval gate knows about one installed model bundle. Immutable.
 *
 * @param modelId        model id ({@code biotwin.model.id})
 * @param version        model version ({@code biotwin.model.version})
 * @param bundleId       id of the bundle that provides the model service
 * @param symbolicName   that bundle's symbolic name
 * @param digest         hex SHA-256 content digest of that bundle (what QA signs)
 * @param status         the gate's verdict
 * @param reason         why the model is quarantined; {@code null} when approved
 * @param reportVerdict  verdict of the embedded validation report ({@code PASS}, {@code FAIL}), {@code null} if none
 * @param validUntil     end of the validation's validity period, {@code null} if no evidence
 * @param approvals      signatures on this model record that are valid for the current digest, oldest first
 * @param evaluatedAt    when the gate last evaluated the bundle
 */
public record ModelStatus(String modelId, String version, long bundleId, String symbolicName, String digest,
        GateStatus status, @Nullable String reason, @Nullable String reportVerdict, @Nullable Instant validUntil,
        List<ElectronicSignature> approvals, Instant evaluatedAt) {

    public ModelStatus {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(symbolicName, "symbolicName");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(evaluatedAt, "evaluatedAt");
        approvals = List.copyOf(approvals);
        if (status == GateStatus.QUARANTINED && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("Quarantined model " + modelId + ":" + version + " needs a reason");
        }
    }

    /** {@code id:version}, the record id of the model in the audit trail. */
    public String coordinates() {
        return modelId + ":" + version;
    }
}
