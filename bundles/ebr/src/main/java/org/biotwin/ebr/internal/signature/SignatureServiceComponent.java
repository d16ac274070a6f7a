package org.biotwin.ebr.internal.signature;

import java.time.Clock;
import org.biotwin.api.audit.AuditTrail;
import org.biotwin.api.audit.Authenticator;
import org.biotwin.api.audit.SignatureService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The {@link SignatureService} and the login {@link Authenticator} over the same users, configured by PID
 * {@value #PID}. Without users, every signature and every login is refused.
 */
@Component(service = {SignatureService.class, Authenticator.class}, configurationPid = SignatureServiceComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = SignatureServiceComponent.Config.class)
public final class SignatureServiceComponent extends AuditedSignatureService {

    /** Configuration PID. */
    public static final String PID = "org.biotwin.ebr.signatures";

    @ObjectClassDefinition(name = "BioTwin electronic signatures",
            description = "Users, roles and signing rules for 21 CFR Part 11 electronic signatures.")
    public @interface Config {
        @AttributeDefinition(name = "Users", required = false, type = AttributeType.PASSWORD,
                description = "One entry per user: userId|Printed Name|role1,role2|hash, where hash comes from"
                        + " org.biotwin.ebr.internal.signature.PasswordTool (PBKDF2WithHmacSHA256, >= 210000"
                        + " iterations, per-user salt). User ids must be unique and never reused.")
        String[] users() default {};

        @AttributeDefinition(name = "Roles per meaning",
                description = "MEANING=role1,role2: who may sign with which meaning. A meaning not listed can be"
                        + " signed by nobody.")
        String[] meaningRoles() default {"AUTHORED=operator,supervisor,qa", "REVIEWED=supervisor,qa",
            "APPROVED=qa", "ACCEPTED_ADVICE=operator,supervisor", "REJECTED_ADVICE=operator,supervisor",
            "ACTIVATED_MODEL=qa", "ENABLED_CLOSED_LOOP=supervisor"};

        @AttributeDefinition(name = "Required signatures",
                description = "recordType:MEANING=n: how many different people must sign (two-person rule);"
                        + " 1 when not listed.")
        String[] requiredSignatures() default {"model:APPROVED=2"};

        @AttributeDefinition(name = "Failures before lockout",
                description = "Consecutive wrong passwords that lock an account (1-20).", min = "1", max = "20")
        int maxFailures() default 3;

        @AttributeDefinition(name = "Lockout minutes",
                description = "How long a lock lasts; 0 = until an administrator unlocks it.", min = "0")
        long lockoutMinutes() default 0;

        @AttributeDefinition(name = "Unlock roles", description = "Roles allowed to unlock accounts.")
        String[] unlockRoles() default {"admin"};
    }

    @Activate
    public SignatureServiceComponent(@Reference AuditTrail trail, Config config) {
        super(trail, new SignatureConfig(config.users(), config.meaningRoles(), config.requiredSignatures(),
                config.maxFailures(), config.lockoutMinutes(), config.unlockRoles()), Clock.systemUTC());
    }
}
