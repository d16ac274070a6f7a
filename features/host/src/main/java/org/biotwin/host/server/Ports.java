package org.biotwin.host.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Loopback port helpers of the embedded servers. Stateless. */
final class Ports {
    private Ports() {
    }

    /** A port free on 127.0.0.1 now. */
    static int free() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * Fails with the property named when the port is taken, for a message clearer than the server's own (for
     * example another host, or a system Mosquitto, already on 1883).
     */
    static void requireFree(int port, String property) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new IllegalStateException("Port 127.0.0.1:" + port + " (" + property + ") is in use: stop what"
                    + " holds it, or set " + property + " to another port (0: any free port)");
        }
    }
}
