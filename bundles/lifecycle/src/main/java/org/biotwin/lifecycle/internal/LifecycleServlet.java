package org.biotwin.lifecycle.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.biotwin.api.audit.Authenticator;
import org.biotwin.api.audit.ElectronicSignature;
import org.biotwin.api.audit.SignatureMeaning;
import org.biotwin.api.lifecycle.ModelLifecycle;
import org.biotwin.api.lifecycle.ModelStatus;
import org.biotwin.api.lifecycle.SwapRecord;
import org.jspecify.annotations.Nullable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * REST endpoint for IT and QA staff on the HTTP Whiteboard (javax servlet), under {@code /biotwin/lifecycle}:
 * <pre>
 * GET  /models[?unit=U]                         models with gate verdict, digest, approvals, quarantine reason
 * GET  /models/{id}/{version}/report            the embedded validation report (JSON)
 * POST /models/{id}/{version}/approve           {"meaning":"REVIEWED|APPROVED","reason":".."}
 * POST /units/{unit}/activate                   {"version":"1.1.0","reason":".."}
 * POST /units/{unit}/rollback                   {"reason":".."}
 * GET  /units/{unit}/history                    swap history
 * </pre>
 * Every request carries HTTP Basic credentials of a user of the batch record's user base. Reads authenticate them
 * through {@link Authenticator} (failures count towards the lockout and are audited); approvals, activations and
 * rollbacks are electronic signatures that re-authenticate with the same id and password (21 CFR 11.200: both
 * components on every signing). Basic credentials are only as safe as the transport: serve over TLS or bind the HTTP
 * service to localhost. Errors: 400 bad input, 401 missing credentials, 403 refused, 404 unknown, 503 unavailable,
 * each with {@code {"error": message}}. Stateless, thread-safe.
 */
@Component(service = Servlet.class, property = {"osgi.http.whiteboard.servlet.pattern=/biotwin/lifecycle/*",
    "osgi.http.whiteboard.servlet.name=biotwin-model-lifecycle"})
public final class LifecycleServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 16 * 1024;

    private final transient ModelLifecycle lifecycle;
    private final transient Authenticator authenticator;

    @Activate
    public LifecycleServlet(@Reference ModelLifecycle lifecycle, @Reference Authenticator authenticator) {
        this.lifecycle = lifecycle;
        this.authenticator = authenticator;
    }

    /** User id and password from an HTTP Basic header. */
    private record Credentials(String user, char[] password) {
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        handle(req, resp, false);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        handle(req, resp, true);
    }

    private void handle(HttpServletRequest req, HttpServletResponse resp, boolean post) throws IOException {
        Credentials c = credentials(req);
        if (c == null) {
            resp.setHeader("WWW-Authenticate", "Basic realm=\"BioTwin\", charset=\"UTF-8\"");
            send(resp, 401, error("HTTP Basic credentials of a BioTwin user are required"));
            return;
        }
        try {
            String[] p = path(req);
            JsonNode out;
            if (!post) {
                authenticator.authenticate(c.user(), c.password(), "REST " + req.getMethod() + " "
                        + req.getPathInfo());
                out = get(p, req);
            } else {
                JsonNode body = body(req);
                out = post(p, body, c);
            }
            send(resp, 200, out);
        } catch (NotFound e) {
            send(resp, 404, error(e.getMessage()));
        } catch (SecurityException e) {
            send(resp, 403, error(e.getMessage()));
        } catch (IllegalArgumentException e) {
            send(resp, 400, error(e.getMessage()));
        } catch (IllegalStateException e) {
            send(resp, 503, error(e.getMessage()));
        } finally {
            Arrays.fill(c.password(), '\0');
        }
    }

    private static final class NotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFound(String m) {
            super(m);
        }
    }

    private JsonNode get(String[] p, HttpServletRequest req) {
        if (p.length == 1 && p[0].equals("models")) {
            String unit = req.getParameter("unit");
            return statuses(unit == null ? lifecycle.models() : lifecycle.models(unit));
        }
        if (p.length == 4 && p[0].equals("models") && p[3].equals("report")) {
            String report = lifecycle.report(p[1], p[2]).orElseThrow(() -> new NotFound("No installed bundle of "
                    + p[1] + ":" + p[2] + " carries a validation report"));
            try {
                return JSON.readTree(report);
            } catch (IOException e) {
                throw new IllegalStateException("The embedded report of " + p[1] + ":" + p[2] + " is not JSON");
            }
        }
        if (p.length == 3 && p[0].equals("units") && p[2].equals("history")) {
            ArrayNode a = JSON.createArrayNode();
            lifecycle.history(p[1]).forEach(r -> a.add(swap(r)));
            return a;
        }
        throw new NotFound("No such resource: GET /" + String.join("/", p));
    }

    private JsonNode post(String[] p, JsonNode body, Credentials c) {
        String reason = text(body, "reason");
        if (p.length == 4 && p[0].equals("models") && p[3].equals("approve")) {
            SignatureMeaning m;
            try {
                m = SignatureMeaning.valueOf(text(body, "meaning").toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'meaning' must be REVIEWED or APPROVED");
            }
            return status(lifecycle.approve(p[1], p[2], m, c.user(), c.password().clone(), reason));
        }
        if (p.length == 3 && p[0].equals("units") && p[2].equals("activate")) {
            return swap(lifecycle.activate(p[1], text(body, "version"), c.user(), c.password().clone(), reason));
        }
        if (p.length == 3 && p[0].equals("units") && p[2].equals("rollback")) {
            return swap(lifecycle.rollback(p[1], c.user(), c.password().clone(), reason));
        }
        throw new NotFound("No such resource: POST /" + String.join("/", p));
    }

    private static String[] path(HttpServletRequest req) {
        String info = req.getPathInfo();
        if (info == null || info.equals("/")) {
            throw new NotFound("Resources: /models, /models/{id}/{version}/report|approve, /units/{unit}/"
                    + "activate|rollback|history");
        }
        return Arrays.stream(info.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }

    private static JsonNode body(HttpServletRequest req) throws IOException {
        byte[] b = req.getInputStream().readNBytes(MAX_BODY + 1);
        if (b.length > MAX_BODY) {
            throw new IllegalArgumentException("Request body larger than " + MAX_BODY + " bytes");
        }
        try {
            JsonNode n = JSON.readTree(b);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("Request body must be a JSON object");
            }
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("Request body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException("'" + key + "' (text) is required");
        }
        return v.asText();
    }

    static @Nullable Credentials credentials(HttpServletRequest req) {
        String h = req.getHeader("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(h.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
        CharBuffer cb = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(raw));
        Arrays.fill(raw, (byte) 0);
        char[] all = new char[cb.remaining()];
        cb.get(all);
        Arrays.fill(cb.array(), '\0');
        int colon = -1;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= 0) {
            Arrays.fill(all, '\0');
            return null;
        }
        Credentials c = new Credentials(new String(all, 0, colon), Arrays.copyOfRange(all, colon + 1, all.length));
        Arrays.fill(all, '\0');
        return c;
    }

    private static ArrayNode statuses(List<ModelStatus> list) {
        ArrayNode a = JSON.createArrayNode();
        list.forEach(s -> a.add(status(s)));
        return a;
    }

    static ObjectNode status(ModelStatus s) {
        ObjectNode n = JSON.createObjectNode().put("modelId", s.modelId()).put("version", s.version())
                .put("bundleId", s.bundleId()).put("symbolicName", s.symbolicName()).put("digest", s.digest())
                .put("status", s.status().name()).put("reason", s.reason()).put("reportVerdict", s.reportVerdict())
                .put("validUntil", s.validUntil() == null ? null : s.validUntil().toString())
                .put("evaluatedAt", s.evaluatedAt().toString());
        ArrayNode a = n.putArray("approvals");
        for (ElectronicSignature e : s.approvals()) {
            a.addObject().put("meaning", e.meaning().name()).put("userId", e.userId())
                    .put("printedName", e.printedName()).put("signedAt", e.signedAt().toString())
                    .put("reason", e.reason()).put("auditSequence", e.auditSequence());
        }
        return n;
    }

    static ObjectNode swap(SwapRecord r) {
        return JSON.createObjectNode().put("unit", r.unitId()).put("kind", r.kind()).put("from", r.from())
                .put("to", r.to()).put("digest", r.digest()).put("actor", r.actor()).put("reason", r.reason())
                .put("time", r.time().toString()).put("auditSequence", r.auditSequence());
    }

    private static ObjectNode error(@Nullable String message) {
        return JSON.createObjectNode().put("error", message == null ? "error" : message);
    }

    private static void send(HttpServletResponse resp, int status, JsonNode body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getOutputStream().write(JSON.writeValueAsBytes(body));
    }
}
