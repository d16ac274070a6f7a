package org.biotwin.ui.web.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The validated configuration of the panel. Immutable. A bad value fails activation with a message naming the
 * property.
 *
 * @param contextPath    mount path, for example {@code /biotwin}
 * @param sessionTimeout idle time-out of a session
 * @param frameAncestors CSP {@code frame-ancestors} sources
 * @param roleMapping    panel role → user roles that give it
 * @param sameSite       SameSite attribute of the session cookie
 * @param auditLogins    whether logins are audited
 * @param livePeriod     live update period
 * @param historySize    estimates kept per unit
 * @param measuredTags   historian tag → predicted variable it is drawn with
 * @param measuredWindow how far back measured history is read
 */
public record PanelSettings(String contextPath, Duration sessionTimeout, List<String> frameAncestors,
        Map<PanelRole, Set<String>> roleMapping, String sameSite, boolean auditLogins, Duration livePeriod,
        int historySize, Map<String, String> measuredTags, Duration measuredWindow) {

    /** Configuration PID. */
    public static final String PID = "org.biotwin.ui.web";
    /** Name of the panel's servlet context in the HTTP Whiteboard. */
    public static final String CONTEXT_NAME = "org.biotwin.ui.web";
    /** Filter selecting the panel's context. */
    public static final String CONTEXT_SELECT = "(osgi.http.whiteboard.context.name=" + CONTEXT_NAME + ")";

    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._-]+)+");
    private static final Pattern SOURCE = Pattern.compile("'self'|'none'|\\*|[a-z][a-z0-9+.-]*:(//[^\\s;,']+)?"
            + "|(\\*\\.)?[A-Za-z0-9.-]+(:[0-9*]+)?");

    public PanelSettings {
        frameAncestors = List.copyOf(frameAncestors);
        roleMapping = Map.copyOf(roleMapping);
        measuredTags = Map.copyOf(measuredTags);
    }

    /** Parses and checks a configuration. */
    public static PanelSettings from(PanelConfig c) {
        String path = c.osgi_http_whiteboard_context_path().trim();
        if (!PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("Web panel: context path '" + path + "' must be one or more segments"
                    + " '/name' of letters, digits, '.', '_' and '-', for example /biotwin");
        }
        int minutes = c.sessionTimeoutMinutes();
        if (minutes < 1 || minutes > 1440) {
            throw new IllegalArgumentException("Web panel: sessionTimeoutMinutes must be 1-1440, not " + minutes);
        }
        List<String> ancestors = c.frameAncestors().length == 0 ? List.of("'none'")
                : List.of(c.frameAncestors()).stream().map(String::trim).toList();
        for (String a : ancestors) {
            if (!SOURCE.matcher(a).matches()) {
                throw new IllegalArgumentException("Web panel: frameAncestors entry '" + a + "' is not a CSP source"
                        + " ('self', 'none', https://host[:port], *.example.com)");
            }
        }
        if (ancestors.size() > 1 && ancestors.contains("'none'")) {
            throw new IllegalArgumentException("Web panel: frameAncestors 'none' cannot be combined with other"
                    + " sources " + ancestors);
        }
        Map<PanelRole, Set<String>> mapping = new LinkedHashMap<>();
        for (String entry : c.roleMapping()) {
            String[] p = entry.split("=", 2);
            if (p.length != 2) {
                throw new IllegalArgumentException("Web panel: roleMapping entry '" + entry
                        + "' is not panelRole=userRole1,userRole2");
            }
            PanelRole role = PanelRole.parse(p[0].trim()).orElseThrow(() -> new IllegalArgumentException(
                    "Web panel: roleMapping entry '" + entry + "' names an unknown panel role '" + p[0].trim()
                            + "'; known: operator, engineer, qa, it"));
            Set<String> users = new TreeSet<>();
            for (String r : p[1].split(",")) {
                if (!r.isBlank()) {
                    users.add(r.trim());
                }
            }
            if (users.isEmpty()) {
                throw new IllegalArgumentException("Web panel: roleMapping entry '" + entry + "' lists no user role");
            }
            if (mapping.put(role, Set.copyOf(users)) != null) {
                throw new IllegalArgumentException("Web panel: roleMapping maps panel role " + role.id()
                        + " twice");
            }
        }
        String sameSite = c.cookieSameSite().trim();
        if (!List.of("Strict", "Lax", "None").contains(sameSite)) {
            throw new IllegalArgumentException("Web panel: cookieSameSite must be Strict, Lax or None, not '"
                    + sameSite + "'");
        }
        int period = c.livePeriodMillis();
        if (period < 100 || period > 10_000) {
            throw new IllegalArgumentException("Web panel: livePeriodMillis must be 100-10000, not " + period);
        }
        int history = c.historySize();
        if (history < 100 || history > 100_000) {
            throw new IllegalArgumentException("Web panel: historySize must be 100-100000, not " + history);
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (String entry : c.measuredTags()) {
            String[] p = entry.split("=", 2);
            if (p.length != 2 || p[0].isBlank() || p[1].isBlank()) {
                throw new IllegalArgumentException("Web panel: measuredTags entry '" + entry + "' is not tag=variable");
            }
            tags.put(p[0].trim(), p[1].trim());
        }
        int hours = c.measuredHours();
        if (hours < 1 || hours > 2000) {
            throw new IllegalArgumentException("Web panel: measuredHours must be 1-2000, not " + hours);
        }
        return new PanelSettings(path, Duration.ofMinutes(minutes), ancestors, mapping, sameSite, c.auditLogins(),
                Duration.ofMillis(period), history, tags, Duration.ofHours(hours));
    }

    /** The panel roles a user with these user-base roles holds. */
    public Set<PanelRole> panelRoles(Set<String> userRoles) {
        Set<PanelRole> out = new TreeSet<>();
        roleMapping.forEach((panel, users) -> {
            for (String u : users) {
                if (userRoles.contains(u)) {
                    out.add(panel);
                }
            }
        });
        return Set.copyOf(out);
    }

    /** The {@code Content-Security-Policy} header value. */
    public String contentSecurityPolicy() {
        // Everything from the bundle itself; uPlot draws on a canvas; inline styles are set by uPlot.
        return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
                + " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors "
                + String.join(" ", frameAncestors);
    }
}
