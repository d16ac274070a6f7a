package org.biotwin.ui.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.biotwin.api.advisory.Advisor;
import org.biotwin.api.advisory.Advisory;
import org.biotwin.api.advisory.AdvisoryStatus;
import org.biotwin.api.advisory.ClosedLoop;
import org.biotwin.api.advisory.ClosedLoopStatus;
import org.biotwin.api.advisory.ProposedAction;
import org.biotwin.api.advisory.WhatIfResult;
import org.biotwin.api.historian.Historian;
import org.biotwin.api.historian.Series;
import org.biotwin.api.twin.Twin;
import org.biotwin.api.twin.TwinState;
import org.biotwin.ui.web.internal.SessionStore.Session;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The panel's JSON API under {@code <context>/api/} (documented in the bundle README). Every request but login needs
 * a session (401 otherwise); state-changing requests (POST) need the session's CSRF token in {@value Sessions#CSRF_HEADER}
 * (403 otherwise) and a JSON body; roles are checked per endpoint (403); malformed input gets 400 with
 * {@code {"error": "..."}} naming the problem. Thread-safe (stateless apart from its services).
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(PanelSettings.CONTEXT_SELECT)
@HttpWhiteboardServletPattern("/api/*")
@HttpWhiteboardServletName("biotwin-web-api")
public final class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);
    private static final int MAX_BODY = 64 * 1024;
    private static final Set<PanelRole> ACTORS = Set.of(PanelRole.OPERATOR, PanelRole.ENGINEER);
    private static final Set<PanelRole> VIEWERS = Set.of(PanelRole.values());
    /** Who may enable closed loop from the panel (the e-signature service then checks ENABLED_CLOSED_LOOP itself). */
    private static final Set<PanelRole> CLOSED_LOOP_ENABLERS = Set.of(PanelRole.ENGINEER);
    private static final String CLOSED_LOOP = "closed-loop";

    private final transient Sessions sessions;
    private final transient LiveFeed feed;

    @Activate
    public ApiServlet(@Reference Sessions sessions, @Reference LiveFeed feed) {
        this.sessions = sessions;
        this.feed = feed;
    }

    /** An HTTP outcome other than 200, with its JSON message. */
    private static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        Refusal(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String method = req.getMethod();
        String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
        List<String> seg = new ArrayList<>(Arrays.asList(path.substring(1).split("/", -1)));
        try {
            JsonNode out;
            if (method.equals("POST") && path.equals("/login")) {
                out = login(req, resp);
            } else {
                Session s = sessions.session(req).orElseThrow(() -> new Refusal(401,
                        "Not logged in, or the session has timed out: log in again"));
                if (method.equals("POST")) {
                    if (!s.csrfMatches(req.getHeader(Sessions.CSRF_HEADER))) {
                        throw new Refusal(403, "Missing or wrong CSRF token (header " + Sessions.CSRF_HEADER + ")");
                    }
                    out = post(s, seg, req, resp);
                } else if (method.equals("GET")) {
                    out = get(s, seg, req);
                } else {
                    resp.setHeader("Allow", "GET, POST");
                    throw new Refusal(405, "Method " + method + " is not supported; use GET or POST");
                }
            }
            if (out == null) {
                resp.setStatus(204);
            } else {
                write(resp, 200, out);
            }
        } catch (Refusal r) {
            write(resp, r.status, Views.error(r.getMessage()));
        } catch (BadRequest e) {
            write(resp, 400, Views.error(e.getMessage()));
        } catch (SecurityException e) {
            write(resp, 403, Views.error(e.getMessage()).put("code", "SIGNATURE_REFUSED"));
        } catch (IllegalStateException e) {
            write(resp, 409, Views.error(e.getMessage()));
        } catch (IllegalArgumentException e) {
            write(resp, 400, Views.error(e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("Web panel API {} {} failed", method, path, e);
            write(resp, 500, Views.error("Internal error: " + e));
        }
    }

    // ------------------------------------------------------------------------------------------------ GET

    private JsonNode get(Session s, List<String> seg, HttpServletRequest req) {
        require(s, VIEWERS);
        String head = seg.get(0);
        if (head.equals("session") && seg.size() == 1) {
            return sessionJson(s);
        }
        if (head.equals("units") && seg.size() == 1) {
            return feed.overview();
        }
        if (head.equals("units") && seg.size() == 2) {
            return feed.unit(seg.get(1)).orElseThrow(() -> unknownUnit(seg.get(1)));
        }
        if (head.equals("units") && seg.size() == 3 && seg.get(2).equals("advisories")) {
            twin(seg.get(1));
            return Views.advisories(advisor().advisories(seg.get(1)));
        }
        if (head.equals("units") && seg.size() == 3 && seg.get(2).equals("measured")) {
            return measured(twin(seg.get(1)), req);
        }
        if (head.equals("units") && seg.size() == 3 && seg.get(2).equals(CLOSED_LOOP)) {
            twin(seg.get(1));
            return Views.closedLoop(closedLoopStatus(closedLoop(), seg.get(1)));
        }
        if (head.equals("advisories") && seg.size() == 2) {
            return Views.advisory(advisor().advisory(seg.get(1)).orElseThrow(() -> new Refusal(404,
                    "No advisory with id '" + seg.get(1) + "'")));
        }
        throw new Refusal(404, "No API resource GET /api/" + String.join("/", seg));
    }

    private JsonNode measured(Twin t, HttpServletRequest req) {
        ObjectNode n = Views.object().put("unit", t.unitId());
        Optional<Historian> h = feed.historian();
        if (h.isEmpty()) {
            return n.put("available", false).put("reason", "No historian service: measured history is not"
                    + " available");
        }
        Map<String, String> tags = sessions.settings().measuredTags();
        Instant to = Instant.now();
        Instant from = to.minus(sessions.settings().measuredWindow());
        Instant start = null;
        Optional<TwinState> st = t.state();
        if (st.isPresent()) {
            start = st.get().time().minusMillis(Math.round(st.get().batchAge() * 3.6e6));
            // The plant's clock may run ahead of the wall clock (accelerated demo): read up to the estimate.
            to = st.get().time().isAfter(to) ? st.get().time().plusSeconds(1) : to;
            from = start;
        }
        String param = req.getParameter("tags");
        List<String> wanted = param == null || param.isBlank() ? List.copyOf(tags.keySet())
                : Arrays.stream(param.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
        try {
            List<Series> series = h.get().read(t.unitId(), wanted, from, to);
            n.put("available", true);
            ArrayNode a = n.putArray("series");
            for (Series s : series) {
                a.add(Views.series(s, start, tags.get(s.tag())));
            }
        } catch (RuntimeException e) {
            n.put("available", false).put("reason", "Historian read failed: " + e.getMessage());
        }
        return n;
    }

    // ------------------------------------------------------------------------------------------------ POST

    private JsonNode post(Session s, List<String> seg, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        String head = seg.get(0);
        if (head.equals("logout") && seg.size() == 1) {
            sessions.logout(s, req, resp);
            return null;
        }
        JsonNode body = body(req);
        if (head.equals("units") && seg.size() == 3 && seg.get(2).equals("whatif")) {
            require(s, ACTORS);
            twin(seg.get(1));
            ProposedAction action = ActionParser.parse(body);
            WhatIfResult w = advisor().whatIf(seg.get(1), action);
            return Views.whatIf(w);
        }
        if (head.equals("units") && seg.size() == 3 && seg.get(2).equals("advise")) {
            require(s, ACTORS);
            twin(seg.get(1));
            Optional<Advisory> a = advisor().advise(seg.get(1));
            ObjectNode n = Views.object().put("unit", seg.get(1));
            n.set("advisory", a.map(Views::advisory).orElse(null));
            if (a.isEmpty()) {
                n.put("message", "The batch is on target, or no allowed action improves it");
            }
            return n;
        }
        if (head.equals("advisories") && seg.size() == 3 && seg.get(2).equals("decision")) {
            require(s, ACTORS);
            return decide(s, seg.get(1), body);
        }
        if (head.equals("units") && seg.size() == 4 && seg.get(2).equals(CLOSED_LOOP)
                && seg.get(3).equals("enable")) {
            require(s, CLOSED_LOOP_ENABLERS);
            return enableClosedLoop(s, seg.get(1), body);
        }
        if (head.equals("units") && seg.size() == 4 && seg.get(2).equals(CLOSED_LOOP)
                && seg.get(3).equals("disable")) {
            require(s, ACTORS);
            return disableClosedLoop(s, seg.get(1), body);
        }
        throw new Refusal(404, "No API resource POST /api/" + String.join("/", seg));
    }

    private JsonNode decide(Session s, String advisoryId, JsonNode body) {
        Advisor advisor = advisor();
        Advisory a = advisor.advisory(advisoryId).orElseThrow(() -> new Refusal(404, "No advisory with id '"
                + advisoryId + "'"));
        JsonNode accept = body.get("accept");
        if (accept == null || !accept.isBoolean()) {
            throw new BadRequest("Field 'accept' is required: true to accept, false to reject");
        }
        String userId = text(body, "userId");
        String reason = text(body, "reason");
        JsonNode pw = body.get("password");
        if (pw == null || !pw.isTextual() || pw.asText().isEmpty()) {
            throw new BadRequest("Field 'password' is required: an electronic signature re-asks the password");
        }
        if (!userId.equals(s.userId())) {
            // A session may only sign as its own user: one person cannot sign for another from their session.
            throw new Refusal(403, "The signature's user id '" + userId + "' is not the logged-in user '"
                    + s.userId() + "'");
        }
        if (a.status() != AdvisoryStatus.OPEN) {
            throw new Refusal(409, "Advisory " + advisoryId + " is " + a.status() + ", not OPEN: it cannot be "
                    + (accept.asBoolean() ? "accepted" : "rejected") + " any more");
        }
        char[] password = pw.asText().toCharArray();
        try {
            return Views.advisory(advisor.decide(advisoryId, accept.asBoolean(), userId, password, reason));
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /**
     * Enables closed loop with an electronic signature: the password is re-asked every time, the signer is the
     * session's own user, and the closed-loop service signs through the e-signature service (meaning
     * ENABLED_CLOSED_LOOP), which checks its own authority: a refusal is 403 {@code SIGNATURE_REFUSED}.
     */
    private JsonNode enableClosedLoop(Session s, String unit, JsonNode body) {
        twin(unit);
        ClosedLoop c = closedLoop();
        closedLoopStatus(c, unit); // 404 for a unit without closed-loop limits, before anything is signed
        JsonNode user = body.get("userId");
        if (user != null && !(user.isTextual() && user.asText().trim().equals(s.userId()))) {
            throw new Refusal(403, "The signature's user id '" + (user.isTextual() ? user.asText() : user)
                    + "' is not the logged-in user '" + s.userId() + "'");
        }
        JsonNode pw = body.get("password");
        if (pw == null || !pw.isTextual() || pw.asText().isEmpty()) {
            throw new BadRequest("Field 'password' is required: enabling closed loop is an electronic signature"
                    + " and re-asks the password");
        }
        String reason = text(body, "reason");
        char[] password = pw.asText().toCharArray();
        try {
            ClosedLoopStatus st = c.enable(unit, s.userId(), password, reason);
            feed.pushClosedLoop(unit, st);
            return Views.closedLoop(st);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** Switches closed loop off at once: a reason and the logged-in person, no password (nothing may delay it). */
    private JsonNode disableClosedLoop(Session s, String unit, JsonNode body) {
        twin(unit);
        ClosedLoop c = closedLoop();
        closedLoopStatus(c, unit);
        String reason = text(body, "reason");
        ClosedLoopStatus st = c.disable(unit, s.userId(), reason);
        feed.pushClosedLoop(unit, st);
        return Views.closedLoop(st);
    }

    private static ClosedLoopStatus closedLoopStatus(ClosedLoop c, String unit) {
        try {
            return c.status(unit);
        } catch (IllegalArgumentException e) {
            throw new Refusal(404, "Unit '" + unit + "' has no closed-loop limits on this host, so it stays in"
                    + " indirect control: " + e.getMessage());
        }
    }

    private ClosedLoop closedLoop() {
        return feed.closedLoop().orElseThrow(() -> new Refusal(503, "Closed loop is not available on this host (no"
                + " closed-loop service): indirect control"));
    }

    private JsonNode login(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        JsonNode body = body(req);
        String userId = text(body, "userId");
        JsonNode pw = body.get("password");
        if (pw == null || !pw.isTextual() || pw.asText().isEmpty()) {
            throw new BadRequest("Field 'password' is required");
        }
        char[] password = pw.asText().toCharArray();
        try {
            return sessionJson(sessions.login(userId, password, req, resp));
        } catch (SecurityException e) {
            throw new Refusal(401, "Login refused: " + e.getMessage());
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private ObjectNode sessionJson(Session s) {
        ObjectNode n = Views.object().put("userId", s.userId()).put("printedName", s.printedName())
                .put("csrfToken", s.csrfToken())
                .put("sessionTimeoutSeconds", sessions.settings().sessionTimeout().toSeconds());
        ArrayNode roles = n.putArray("roles");
        s.roles().stream().sorted().forEach(r -> roles.add(r.id()));
        return n;
    }

    private static void require(Session s, Set<PanelRole> roles) {
        if (!s.hasAny(roles)) {
            throw new Refusal(403, "User " + s.userId() + " (panel roles " + s.roles().stream().map(PanelRole::id)
                    .sorted().toList() + ") may not do this; it needs one of " + roles.stream().map(PanelRole::id)
                    .sorted().toList());
        }
    }

    private Twin twin(String unit) {
        return feed.twins().twin(unit).orElseThrow(() -> unknownUnit(unit));
    }

    private static Refusal unknownUnit(String unit) {
        return new Refusal(404, "No twin for unit '" + unit + "'");
    }

    private Advisor advisor() {
        return feed.advisor().orElseThrow(() -> new Refusal(503, "No advisor service is running on this host"));
    }

    private static JsonNode body(HttpServletRequest req) throws IOException {
        String type = req.getContentType();
        if (type == null || !type.toLowerCase().startsWith("application/json")) {
            // Also a CSRF defence for login: a cross-site form cannot send application/json without CORS.
            throw new Refusal(415, "Content-Type must be application/json, was " + type);
        }
        byte[] b;
        try (InputStream in = req.getInputStream()) {
            b = in.readNBytes(MAX_BODY + 1);
        }
        if (b.length > MAX_BODY) {
            throw new BadRequest("Request body larger than " + MAX_BODY + " bytes");
        }
        try {
            JsonNode n = Views.JSON.readTree(b);
            if (n == null || !n.isObject()) {
                throw new BadRequest("Request body must be a JSON object");
            }
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadRequest("Request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new BadRequest("Field '" + field + "' is required and must be non-blank text");
        }
        return v.asText().trim();
    }

    private static void write(HttpServletResponse resp, int status, JsonNode body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        byte[] b = Views.JSON.writeValueAsBytes(body);
        resp.setContentLength(b.length);
        resp.getOutputStream().write(b);
    }
}
