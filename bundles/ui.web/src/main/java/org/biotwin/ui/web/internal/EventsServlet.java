package org.biotwin.ui.web.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.servlet.AsyncContext;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.Servlet;
import javax.servlet.ServletOutputStream;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.biotwin.ui.web.internal.SessionStore.Session;
import org.jspecify.annotations.Nullable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * Live updates as server-sent events ({@code GET <context>/api/events[?unit=BR-101]}, {@code text/event-stream}).
 * Events: {@code units} (the overview, on any change), and for the unit asked for {@code unit} (its full view, once
 * at the start), {@code state}, {@code prediction}, {@code alarm}, {@code advisories}; {@code session-expired} ends
 * the stream when the session times out or logs out. A comment line every 15 s keeps proxies from closing an idle
 * stream. The stream holds no request thread (servlet async); the stream does not count as user activity for the
 * session time-out. Thread-safe.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(PanelSettings.CONTEXT_SELECT)
@HttpWhiteboardServletPattern("/api/events")
@HttpWhiteboardServletName("biotwin-web-events")
@HttpWhiteboardServletAsyncSupported
public final class EventsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Sessions sessions;
    private final transient LiveFeed feed;
    private final transient ScheduledExecutorService keepAlive;

    @Activate
    public EventsServlet(@Reference Sessions sessions, @Reference LiveFeed feed) {
        this.sessions = sessions;
        this.feed = feed;
        this.keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "biotwin-web-sse-keepalive");
            t.setDaemon(true);
            return t;
        });
    }

    @Deactivate
    void stop() {
        keepAlive.shutdownNow();
    }

    /** One browser's stream. Writes are serialised on the instance. */
    private final class Stream implements LiveFeed.Subscriber, AsyncListener {
        private final AsyncContext async;
        private final Session session;
        private final @Nullable String unit;
        private volatile boolean open = true;

        Stream(AsyncContext async, Session session, @Nullable String unit) {
            this.async = async;
            this.session = session;
            this.unit = unit;
        }

        @Override
        public @Nullable String unit() {
            return unit;
        }

        @Override
        public synchronized boolean send(String event, String json) {
            if (!open) {
                return false;
            }
            if (!sessions.isOpen(session)) {
                write("event: session-expired\ndata: {}\n\n");
                close();
                return false;
            }
            return write("event: " + event + "\ndata: " + json + "\n\n");
        }

        synchronized boolean ping() {
            if (!open) {
                return false;
            }
            if (!sessions.isOpen(session)) {
                write("event: session-expired\ndata: {}\n\n");
                close();
                return false;
            }
            return write(": keep-alive\n\n");
        }

        private boolean write(String s) {
            try {
                ServletOutputStream out = async.getResponse().getOutputStream();
                out.write(s.getBytes(StandardCharsets.UTF_8));
                out.flush();
                return true;
            } catch (IOException | RuntimeException e) {
                close();
                return false;
            }
        }

        void close() {
            if (open) {
                open = false;
                feed.unsubscribe(this);
                try {
                    async.complete();
                } catch (RuntimeException e) {
                    // already completed by the container (client gone)
                }
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
            open = false;
            feed.unsubscribe(this);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            close();
        }

        @Override
        public void onError(AsyncEvent event) {
            close();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Session> s = sessions.peek(req);
        if (s.isEmpty()) {
            resp.setStatus(401);
            resp.setContentType("application/json");
            resp.getWriter().write(Views.error("Not logged in, or the session has timed out: log in again")
                    .toString());
            return;
        }
        String unit = req.getParameter("unit");
        if (unit != null && feed.twins().twin(unit).isEmpty()) {
            resp.setStatus(404);
            resp.setContentType("application/json");
            resp.getWriter().write(Views.error("No twin for unit '" + unit + "'").toString());
            return;
        }
        resp.setStatus(200);
        resp.setContentType("text/event-stream");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Accel-Buffering", "no");
        AsyncContext async = req.startAsync();
        async.setTimeout(0);
        Stream stream = new Stream(async, s.get(), unit);
        async.addListener(stream);
        resp.getOutputStream().write("retry: 3000\n\n".getBytes(StandardCharsets.UTF_8));
        resp.flushBuffer();
        feed.subscribe(stream);
        keepAlive.scheduleWithFixedDelay(new Runnable() {
            @Override
            public void run() {
                if (!stream.ping()) {
                    throw new IllegalStateException("stream closed"); // cancels this periodic task
                }
            }
        }, 15, 15, TimeUnit.SECONDS);
    }
}
