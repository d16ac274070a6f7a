package org.biotwin.ui.web.internal;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.biotwin.api.audit.AuditEvent;
import org.biotwin.api.audit.AuditTrail;
import org.biotwin.api.audit.AuthenticatedUser;
import org.biotwin.api.audit.Authenticator;
import org.biotwin.ui.web.internal.SessionStore.Session;
import org.jspecify.annotations.Nullable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Login, logout and session look-up for the panel's servlets: authenticates through the suite's
 * {@link Authenticator} (the e-signature user base, with its lockout), maps the user's roles to panel roles, sets the
 * session cookie ({@code HttpOnly}, {@code SameSite}, {@code Secure} over HTTPS) and audits logins, logouts and
 * time-outs when an {@link AuditTrail} is present. Thread-safe.
 */
@Component(service = Sessions.class, configurationPid = PanelSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class Sessions {

    /** Name of the session cookie. */
    public static final String COOKIE = "BIOTWIN_SESSION";
    /** Header carrying the CSRF token on state-changing requests. */
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private final Authenticator authenticator;
    private final PanelSettings settings;
    private final SessionStore store;
    private final ScheduledExecutorService sweeper;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile @Nullable AuditTrail audit;

    @Activate
    public Sessions(@Reference Authenticator authenticator, PanelConfig config) {
        this(authenticator, PanelSettings.from(config), Clock.systemUTC());
    }

    Sessions(Authenticator authenticator, PanelSettings settings, Clock clock) {
        this.authenticator = authenticator;
        this.settings = settings;
        this.store = new SessionStore(clock, settings.sessionTimeout());
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "biotwin-web-sessions");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, 30, 30, TimeUnit.SECONDS);
    }

    @Deactivate
    void stop() {
        sweeper.shutdownNow();
    }

    /** The panel's settings. */
    public PanelSettings settings() {
        return settings;
    }

    /**
     * Logs a user in and sets the cookie.
     *
     * @throws SecurityException refused by the authenticator (message says why), or no panel role
     */
    public Session login(String userId, char[] password, HttpServletRequest req, HttpServletResponse resp) {
        AuthenticatedUser user = authenticator.authenticate(userId, password, "login to web panel from "
                + req.getRemoteAddr());
        Set<PanelRole> roles = settings.panelRoles(user.roles());
        if (roles.isEmpty()) {
            record("user.login-refused", user.userId(), "No panel role for user roles " + user.roles());
            throw new SecurityException("User " + user.userId() + " holds none of the panel's roles (operator,"
                    + " engineer, qa, it); user roles: " + user.roles());
        }
        Session s = store.open(user.userId(), user.printedName(), roles);
        record("user.login", user.userId(), "Web panel login from " + req.getRemoteAddr() + ", panel roles "
                + roles);
        resp.addHeader("Set-Cookie", cookie(s.id(), req, -1));
        return s;
    }

    /** Logs the session out and clears the cookie. */
    public void logout(Session s, HttpServletRequest req, HttpServletResponse resp) {
        store.close(s.id()).ifPresent(x -> record("user.logout", x.userId(), "Web panel logout"));
        resp.addHeader("Set-Cookie", cookie("", req, 0));
    }

    /** The session of a request, counting it as activity. */
    public Optional<Session> session(HttpServletRequest req) {
        return store.touch(cookieValue(req));
    }

    /** The session of a request without counting it as activity (live update streams). */
    public Optional<Session> peek(HttpServletRequest req) {
        return store.peek(cookieValue(req));
    }

    /** Whether a session is still open (not timed out, not logged out), without counting as activity. */
    public boolean isOpen(Session s) {
        return store.peek(s.id()).isPresent();
    }

    private void sweep() {
        for (Session s : store.sweep()) {
            record("user.session-timeout", s.userId(), "Web panel session timed out after "
                    + settings.sessionTimeout().toMinutes() + " min without activity");
        }
    }

    private void record(String action, String userId, String reason) {
        AuditTrail t = audit;
        if (t == null || !settings.auditLogins()) {
            return;
        }
        try {
            t.append(new AuditEvent(userId, action, "user", userId, reason, null, null));
        } catch (RuntimeException e) {
            // An audit trail that cannot record must not let a login through unrecorded.
            if ("user.login".equals(action)) {
                throw new IllegalStateException("Login not recorded: the audit trail refused it (" + e.getMessage()
                        + ")", e);
            }
        }
    }

    private static @Nullable String cookieValue(HttpServletRequest req) {
        Cookie[] cookies = req.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (COOKIE.equals(c.getName()) && !c.getValue().isEmpty()) {
                return c.getValue();
            }
        }
        return null;
    }

    private String cookie(String value, HttpServletRequest req, int maxAge) {
        String path = req.getContextPath().isEmpty() ? "/" : req.getContextPath();
        StringBuilder b = new StringBuilder(COOKIE).append('=').append(value).append("; Path=").append(path)
                .append("; HttpOnly; SameSite=").append(settings.sameSite());
        if (req.isSecure() || "None".equals(settings.sameSite())) {
            b.append("; Secure");
        }
        if (maxAge >= 0) {
            b.append("; Max-Age=").append(maxAge);
        }
        return b.toString();
    }
}
