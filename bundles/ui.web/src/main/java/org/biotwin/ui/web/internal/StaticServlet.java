package org.biotwin.ui.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * Serves the page (HTML, JavaScript, CSS and the vendored uPlot) from the bundle's {@code /web} folder, with an ETag
 * so that a browser revalidates instead of downloading again. Files are read once and kept in memory (about 80 KB).
 * Only names of {@code [A-Za-z0-9._-/]} without {@code ..} are served. Thread-safe.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(PanelSettings.CONTEXT_SELECT)
@HttpWhiteboardServletPattern("/*")
@HttpWhiteboardServletName("biotwin-web-static")
public final class StaticServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Pattern NAME = Pattern.compile("(/[A-Za-z0-9_-][A-Za-z0-9._-]*)+");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js",
            "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "txt", "text/plain; charset=utf-8",
            "svg", "image/svg+xml", "png", "image/png", "ico", "image/x-icon");

    private record Resource(byte[] bytes, String type, String etag) {
    }

    private final transient Map<String, Optional<Resource>> cache = new ConcurrentHashMap<>();

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo();
        if (path == null) {
            // "/biotwin" without the slash: relative links of the page need the slash.
            resp.sendRedirect(req.getContextPath() + "/");
            return;
        }
        if (path.equals("/")) {
            path = "/index.html";
        }
        if (!NAME.matcher(path).matches()) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        Optional<Resource> r = cache.computeIfAbsent(path, StaticServlet::load);
        if (r.isEmpty()) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        Resource res = r.get();
        resp.setHeader("ETag", res.etag());
        resp.setHeader("Cache-Control", "no-cache");
        if (res.etag().equals(req.getHeader("If-None-Match"))) {
            resp.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        resp.setContentType(res.type());
        resp.setContentLength(res.bytes().length);
        resp.getOutputStream().write(res.bytes());
    }

    private static Optional<Resource> load(String path) {
        URL url = StaticServlet.class.getResource("/web" + path);
        int dot = path.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(path.substring(dot + 1));
        if (url == null || type == null) {
            return Optional.empty();
        }
        try (InputStream in = url.openStream()) {
            byte[] b = in.readAllBytes();
            String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b), 0, 12)
                    + "\"";
            return Optional.of(new Resource(b, type, etag));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read panel resource " + path, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
