package org.biotwin.ui.web.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration of the web panel (PID {@value PanelSettings#PID}), shared by its components. */
@ObjectClassDefinition(name = "BioTwin web panel",
        description = "The operator web panel served through the OSGi HTTP Whiteboard: where it is mounted, who may"
                + " embed it, how long a session lives, and how the users' roles map to the panel's roles.")
public @interface PanelConfig {

    @AttributeDefinition(name = "Context path",
            description = "Path the panel is mounted at, for example /biotwin (page at /biotwin/, JSON API at"
                    + " /biotwin/api/). One or more segments of letters, digits, '-', '_' and '.'.")
    String osgi_http_whiteboard_context_path() default "/biotwin";

    @AttributeDefinition(name = "Session time-out (minutes)",
            description = "A session ends after this many minutes without a request from the user (live updates do"
                    + " not count). 1-1440.", min = "1", max = "1440")
    int sessionTimeoutMinutes() default 15;

    @AttributeDefinition(name = "Frame ancestors",
            description = "Origins allowed to embed the panel in an iframe (CSP frame-ancestors), for example"
                    + " 'self' https://mes.example.com. 'none' forbids embedding.")
    String[] frameAncestors() default {"'self'"};

    @AttributeDefinition(name = "Role mapping",
            description = "panelRole=userRole1,userRole2: which roles of the user base (the e-signature users) give"
                    + " each panel role. Panel roles: operator, engineer, qa, it.")
    String[] roleMapping() default {"operator=operator", "engineer=engineer,supervisor", "qa=qa", "it=it,admin"};

    @AttributeDefinition(name = "Cookie SameSite",
            description = "SameSite attribute of the session cookie. Strict unless the MES embeds the panel from"
                    + " another site (then None, which requires HTTPS).",
            options = {@Option(label = "Strict", value = "Strict"), @Option(label = "Lax", value = "Lax"),
                @Option(label = "None (HTTPS only)", value = "None")})
    String cookieSameSite() default "Strict";

    @AttributeDefinition(name = "Audit logins",
            description = "Record logins, logouts and session time-outs in the audit trail (when one is present).")
    boolean auditLogins() default true;

    @AttributeDefinition(name = "Live update period (ms)",
            description = "How often the panel looks for new estimates, predictions, alarms and advisories to push"
                    + " to the browsers (100-10000).", min = "100", max = "10000")
    int livePeriodMillis() default 500;

    @AttributeDefinition(name = "Estimate history",
            description = "How many past state estimates per unit the panel keeps in memory for the trajectory"
                    + " chart (100-100000).", min = "100", max = "100000")
    int historySize() default 5000;

    @AttributeDefinition(name = "Measured tags",
            description = "tag=variable: the historian tags drawn as measured points on the chart of a predicted"
                    + " variable (same unit of measure), for example GLC_lab=glucose.")
    String[] measuredTags() default {"titre_lab=titre", "GLC_lab=glucose", "VCD_lab=VCD", "volume=volume",
        "OUR=OUR"};

    @AttributeDefinition(name = "Measured window (hours)",
            description = "How far back the unit view reads measured history from the historian (1-2000).",
            min = "1", max = "2000")
    int measuredHours() default 336;
}
