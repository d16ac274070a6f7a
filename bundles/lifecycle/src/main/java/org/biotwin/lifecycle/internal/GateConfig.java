package org.biotwin.lifecycle.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** The host's trust configuration of the model approval gate (PID {@value LifecycleComponent#PID}). */
@ObjectClassDefinition(name = "BioTwin model approval gate",
        description = "Who may approve model bundles, and how approved versions become active on the twins.")
public @interface GateConfig {

    @AttributeDefinition(name = "Trusted approvers", required = false,
            description = "User ids (as configured in org.biotwin.ebr.signatures) whose REVIEWED and APPROVED"
                    + " signatures release a model bundle. A valid signature by anybody else does not count: the"
                    + " bundle stays quarantined as 'approved by an untrusted signer'. Empty: nothing is released.")
    String[] trustedApprovers() default {};

    @AttributeDefinition(name = "Automatic activation",
            description = "NONE: a new approved version becomes active on a twin only by an explicit, signed"
                    + " model:activate. HIGHEST_APPROVED: the gate activates the highest approved version on every"
                    + " twin of that model as soon as it is released (audited as system:lifecycle).",
            options = {@Option(label = "Explicit commands only", value = "NONE"),
                @Option(label = "Highest approved version", value = "HIGHEST_APPROVED")})
    String autoActivate() default "NONE";

    @AttributeDefinition(name = "Parameter tolerance",
            description = "Relative tolerance between the parameters in the validation report and the model's"
                    + " nominal parameters (<= 0.1); a negative value disables the comparison.")
    double parameterTolerance() default 1e-12;

    @AttributeDefinition(name = "Re-check period (min)",
            description = "How often every model is re-evaluated, so that an expired validation is quarantined"
                    + " (1-1440).", min = "1", max = "1440")
    long recheckMinutes() default 60;
}
