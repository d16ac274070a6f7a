package org.biotwin.ui.web.internal;

import java.util.Optional;

/**
 * The panel's roles. Viewing needs any role; what-if, asking for advice, deciding advisories and switching closed loop
 * off need operator or engineer; enabling closed loop needs engineer (supervisors map to it by default). The
 * e-signature service then checks its own authority per signature meaning.
 */
public enum PanelRole {
    OPERATOR("operator"),
    ENGINEER("engineer"),
    QA("qa"),
    IT("it");

    private final String id;

    PanelRole(String id) {
        this.id = id;
    }

    /** The role's id in configuration and JSON. */
    public String id() {
        return id;
    }

    /** The role of an id, case-insensitive. */
    public static Optional<PanelRole> parse(String s) {
        for (PanelRole r : values()) {
            if (r.id.equalsIgnoreCase(s)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
