package org.biotwin.ui.web.internal;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The panel's login sessions: random 256-bit ids (the cookie value), a CSRF token per session, and an idle time-out.
 * Sessions live in memory only: a restart of the bundle logs everybody out, which is the safe direction.
 * <p>
 * Thread-safe (a concurrent map; a session's last access is volatile).
 */
public final class SessionStore {

    /** One logged-in user. Identity fields are immutable; only the last access moves. */
    public static final class Session {
        private final String id;
        private final String csrfToken;
        private final String userId;
        private final String printedName;
        private final Set<PanelRole> roles;
        private final Instant created;
        private volatile Instant lastAccess;

        Session(String id, String csrfToken, String userId, String printedName, Set<PanelRole> roles, Instant now) {
            this.id = id;
            this.csrfToken = csrfToken;
            this.userId = userId;
            this.printedName = printedName;
            this.roles = Set.copyOf(roles);
            this.created = now;
            this.lastAccess = now;
        }

        public String id() {
            return id;
        }

        public String csrfToken() {
            return csrfToken;
        }

        public String userId() {
            return userId;
        }

        public String printedName() {
            return printedName;
        }

        public Set<PanelRole> roles() {
            return roles;
        }

        public Instant created() {
            return created;
        }

        public Instant lastAccess() {
            return lastAccess;
        }

        /** Whether the user holds any of these roles. */
        public boolean hasAny(Set<PanelRole> wanted) {
            for (PanelRole r : wanted) {
                if (roles.contains(r)) {
                    return true;
                }
            }
            return false;
        }

        /** Constant-time comparison of a presented CSRF token with this session's. */
        public boolean csrfMatches(@Nullable String presented) {
            return presented != null && MessageDigest.isEqual(csrfToken.getBytes(StandardCharsets.US_ASCII),
                    presented.getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public String toString() {
            return "session of " + userId + " since " + created; // never the id or the token
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final Duration timeout;

    public SessionStore(Clock clock, Duration timeout) {
        this.clock = clock;
        this.timeout = timeout;
    }

    /** Opens a session for an authenticated user. */
    public Session open(String userId, String printedName, Set<PanelRole> roles) {
        Session s = new Session(token(), token(), userId, printedName, roles, clock.instant());
        sessions.put(s.id(), s);
        return s;
    }

    /**
     * The live session with this id, counting this as activity (the idle clock restarts). An expired session is
     * removed and not returned.
     */
    public Optional<Session> touch(@Nullable String id) {
        Optional<Session> s = peek(id);
        s.ifPresent(x -> x.lastAccess = clock.instant());
        return s;
    }

    /** The live session with this id, without counting as activity (live update streams). */
    public Optional<Session> peek(@Nullable String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session s = sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        if (expired(s, clock.instant())) {
            sessions.remove(id, s);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    /** Ends a session (logout); returns it if it was open. */
    public Optional<Session> close(String id) {
        return Optional.ofNullable(sessions.remove(id));
    }

    /** Removes and returns every session idle for longer than the time-out. */
    public List<Session> sweep() {
        Instant now = clock.instant();
        List<Session> gone = new ArrayList<>();
        for (Session s : sessions.values()) {
            if (expired(s, now) && sessions.remove(s.id(), s)) {
                gone.add(s);
            }
        }
        return gone;
    }

    /** Number of open sessions. */
    public int size() {
        return sessions.size();
    }

    /** The idle time-out. */
    public Duration timeout() {
        return timeout;
    }

    private boolean expired(Session s, Instant now) {
        return !now.isBefore(s.lastAccess.plus(timeout));
    }

    private String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
