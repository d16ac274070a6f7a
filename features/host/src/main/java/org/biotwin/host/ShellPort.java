package org.biotwin.host;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * A loopback-only line-mode command port for the Gogo shell, so that scripts and tests drive the host without a
 * console: {@code printf 'lb\nquit\n' | nc 127.0.0.1 6666} or {@code ./biotwin shell lb}. Each line is executed by
 * Gogo's {@code CommandProcessor} (reached through reflection: the launcher does not share Gogo's API package with
 * the framework) and its output written back; {@code quit} or end of input closes the connection.
 * <p>
 * No authentication: it binds to 127.0.0.1 only and is off unless {@code biotwin.shell.port} is set. A plant host
 * uses its own shell (Karaf's SSH with users) instead. At most {@value #MAX_SESSIONS} sessions at a time.
 */
final class ShellPort implements AutoCloseable {

    static final int MAX_SESSIONS = 4;
    private static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    private static final String SESSION = "org.apache.felix.service.command.CommandSession";

    private final BundleContext context;
    private final ServerSocket server;
    private final ExecutorService sessions = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "biotwin-shell-session");
        t.setDaemon(true);
        return t;
    });
    private final Semaphore slots = new Semaphore(MAX_SESSIONS);
    private final Thread acceptor;

    ShellPort(BundleContext context, int port) throws IOException {
        this.context = context;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        this.acceptor = new Thread(this::acceptLoop, "biotwin-shell-port");
        acceptor.setDaemon(true);
    }

    void start() {
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                if (!slots.tryAcquire()) {
                    try (s; OutputStream out = s.getOutputStream()) {
                        out.write(("busy: at most " + MAX_SESSIONS + " shell sessions\n").getBytes(StandardCharsets.UTF_8));
                    }
                    continue;
                }
                sessions.execute(() -> {
                    try (s) {
                        serve(s);
                    } catch (IOException e) {
                        // Client went away: nothing to do.
                    } finally {
                        slots.release();
                    }
                });
            } catch (IOException e) {
                if (!server.isClosed()) {
                    Log.warn("Shell port: " + e.getMessage());
                }
            }
        }
    }

    private void serve(Socket s) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(s.getOutputStream(), true, StandardCharsets.UTF_8);
        ServiceReference<?> ref = context.getServiceReference(PROCESSOR);
        Object processor = ref == null ? null : context.getService(ref);
        if (processor == null) {
            out.println("error: the Gogo shell (" + PROCESSOR + ") is not available");
            return;
        }
        try {
            Class<?> api = Reflect.interfaceNamed(processor.getClass(), PROCESSOR);
            Method create = api.getMethod("createSession", InputStream.class, OutputStream.class, OutputStream.class);
            Object session = create.invoke(processor, new ByteArrayInputStream(new byte[0]), out, out);
            Class<?> sessionApi = Reflect.interfaceNamed(session.getClass(), SESSION);
            Method execute = sessionApi.getMethod("execute", CharSequence.class);
            Method format = sessionApi.getMethod("format", Object.class, int.class);
            Method close = sessionApi.getMethod("close");
            try {
                String line;
                while ((line = in.readLine()) != null) {
                    String command = line.strip();
                    if (command.equals("quit") || command.equals("exit")) {
                        break;
                    }
                    if (command.isEmpty()) {
                        continue;
                    }
                    try {
                        Object result = execute.invoke(session, command);
                        if (result != null) {
                            out.println(format.invoke(session, result, 0)); // 0: Converter.INSPECT
                        }
                    } catch (InvocationTargetException e) {
                        Throwable cause = e.getCause();
                        out.println("error: " + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
                    }
                    out.flush();
                }
            } finally {
                close.invoke(session);
            }
        } catch (ReflectiveOperationException e) {
            out.println("error: cannot use the Gogo shell: " + e);
        } finally {
            context.ungetService(ref);
        }
    }


    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        sessions.shutdownNow();
    }
}
