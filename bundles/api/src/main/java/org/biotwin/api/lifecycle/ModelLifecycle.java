package org.biotwin.api.lifecycle;

import java.util.List;
import java.util.Optional;
import org.biotwin.api.audit.SignatureMeaning;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Validated model bundles for IT and QA staff: list them with the approval gate's verdict, read their validation
 * report, approve them, activate a version on a unit's twin, roll back, and read the swap history.
 * <p>
 * Approval is an electronic signature (21 CFR 11.50, 11.70) on record {@value #MODEL_RECORD}/{@code id:version}
 * bound to the bundle's content digest, so changing any byte of the bundle voids it. Activation and rollback
 * re-authenticate the user with a signature of meaning {@link SignatureMeaning#ACTIVATED_MODEL} and are audited with
 * who, what, when, why, and the old and new model. Methods taking a password wipe the array before returning.
 * Implementations are thread-safe.
 */
@ProviderType
public interface ModelLifecycle {

    /** Record type of a model in the audit trail and the signature service; record id {@code id:version}. */
    String MODEL_RECORD = "model";
    /** Record type of the activations of a unit; record id the unit. */
    String ACTIVATION_RECORD = "model-activation";
    /** Path of the validation report (JSON, from the {@code validate} tool) inside a model bundle. */
    String REPORT_PATH = "OSGI-INF/biotwin/validation-report.json";
    /** Path of the evidence descriptor (properties: model, report hash, validity period) inside a model bundle. */
    String EVIDENCE_PATH = "OSGI-INF/biotwin/validation-evidence.properties";
    /** Service property set to {@code true} on the model services the gate offers to twins. */
    String APPROVED = "biotwin.model.approved";
    /** Service property: hex content digest of the bundle that provides the model. */
    String DIGEST = "biotwin.model.digest";

    /** Every installed model bundle the gate has seen, by model id and version. */
    List<ModelStatus> models();

    /**
     * The versions of the model id that a unit's twin runs, with their gate verdict.
     *
     * @throws IllegalArgumentException if no twin of that unit exists
     */
    List<ModelStatus> models(String unitId);

    /** The validation report (JSON) embedded in a model bundle, if that bundle is installed and carries one. */
    Optional<String> report(String modelId, String version);

    /**
     * Signs a model bundle's current content as QA ({@link SignatureMeaning#REVIEWED} or
     * {@link SignatureMeaning#APPROVED}) and re-evaluates the gate.
     *
     * @return the model's status after the signature
     * @throws IllegalArgumentException no such installed model, or a meaning other than REVIEWED or APPROVED
     * @throws SecurityException        the signature was refused (unknown user, wrong password, missing role, lock)
     */
    ModelStatus approve(String modelId, String version, SignatureMeaning meaning, String userId, char[] password,
            String reason);

    /**
     * Makes an approved version the active model of a unit's twin (switch between two samples, state handed over).
     *
     * @throws IllegalArgumentException no twin of that unit, or the version is not approved and bound by the twin
     * @throws SecurityException        the signature was refused
     * @throws IllegalStateException    the audit trail cannot record (the change is then not made)
     */
    SwapRecord activate(String unitId, String version, String userId, char[] password, String reason);

    /**
     * Activates the version that was active before the last change of the unit (one step back in the history).
     *
     * @throws IllegalArgumentException no twin of that unit, no earlier version in the history, or that version is no
     *                                  longer approved and installed
     */
    SwapRecord rollback(String unitId, String userId, char[] password, String reason);

    /** Changes of the unit's active model made through this service, oldest first. */
    List<SwapRecord> history(String unitId);
}
