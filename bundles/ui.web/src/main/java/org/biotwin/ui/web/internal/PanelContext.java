package org.biotwin.ui.web.internal;

import java.io.IOException;
import java.net.URL;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.http.context.ServletContextHelper;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContext;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The panel's servlet context in the javax HTTP Whiteboard 1.1, mounted at the configured path (service property
 * {@code osgi.http.whiteboard.context.path}, from the configuration). Every response of the panel gets the security
 * headers here: a Content-Security-Policy whose {@code frame-ancestors} lists who may embed the panel (no
 * {@code X-Frame-Options}, which would forbid the MES iframe), {@code nosniff}, no referrer, and no caching of the
 * API. Authentication is per request in the servlets, because the page itself (the login form) is public.
 */
@Component(service = ServletContextHelper.class, configurationPid = PanelSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@HttpWhiteboardContext(name = PanelSettings.CONTEXT_NAME, path = "/biotwin")
@Designate(ocd = PanelConfig.class)
public final class PanelContext extends ServletContextHelper {

    private final PanelSettings settings;
    private final String csp;

    @Activate
    public PanelContext(PanelConfig config) {
        super();
        this.settings = PanelSettings.from(config);
        this.csp = settings.contentSecurityPolicy();
    }

    @Override
    public boolean handleSecurity(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Content-Security-Policy", csp);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.startsWith("/api/")) {
            response.setHeader("Cache-Control", "no-store");
        }
        return true;
    }

    @Override
    public URL getResource(String name) {
        return null; // the panel serves its files itself (StaticServlet), never through the context
    }
}
