package org.biotwin.connector.mqtt.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * Plain TCP sockets whose input is buffered, for {@code tcp://} connections.
 * <p>
 * Why: Paho 1.2.5 reads each packet from the socket's raw input stream through an unbuffered
 * {@code DataInputStream}: an {@code available()} check, the header byte, each length byte and the body are
 * separate system calls, four or more per PUBLISH. With a read buffer one system call brings in many packets; the
 * bytes, their order and the blocking behaviour are unchanged. {@code available()} answers from the buffer when it
 * holds data (Paho only uses it to tell whether a packet is under way). TLS sockets are not wrapped: they read whole
 * records already.
 * <p>
 * Stateless and thread-safe; each socket is used by Paho's receiver thread for reading.
 */
final class BufferedSocketFactory extends SocketFactory {

    static final int BUFFER_BYTES = 64 * 1024;

    @Override
    public Socket createSocket() {
        return new BufferedInputSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(null, new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(localHost, localPort), new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(null, new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(new InetSocketAddress(localAddress, localPort), new InetSocketAddress(address, port));
    }

    private Socket connected(@Nullable InetSocketAddress local, InetSocketAddress remote) throws IOException {
        Socket s = createSocket();
        if (local != null) {
            s.bind(local);
        }
        s.connect(remote);
        return s;
    }

    /** A socket handing out one buffered input stream (created on first use). */
    private static final class BufferedInputSocket extends Socket {
        private InputStream in;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new BufferedInputStream(super.getInputStream(), BUFFER_BYTES) {
                    @Override
                    public synchronized int available() throws IOException {
                        int buffered = count - pos;
                        return buffered > 0 ? buffered : super.available();
                    }
                };
            }
            return in;
        }
    }
}
