package org.biotwin.connector.mqtt.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Mosquitto 2.0, started as a process on a free loopback port with its own configuration file (persistence
 * on, so sessions survive a restart; no limit on queued messages, so the broker never drops QoS 1 messages of an
 * offline persistent session). Installed by {@code .ci/setup.d/mosquitto.sh}.
 */
final class MosquittoBroker implements Broker {

    private final Path dir;
    private final int port;
    private Process process;

    MosquittoBroker(Path dir) throws Exception {
        this(dir, 20);
    }

    /** @param maxInflight QoS 1 messages in flight to each client (mosquitto's max_inflight_messages) */
    MosquittoBroker(Path dir, int maxInflight) throws Exception {
        this(dir, maxInflight, List.of());
    }

    /** @param listenerOptions per-listener options, e.g. certfile/keyfile for TLS */
    MosquittoBroker(Path dir, int maxInflight, List<String> listenerOptions) throws Exception {
        this.dir = dir;
        this.port = freePort();
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                "listener " + port + " 127.0.0.1",
                String.join("\n", listenerOptions),
                "allow_anonymous true",
                // run as root, mosquitto would switch to the user 'mosquitto', which cannot write our temp dir
                "user " + System.getProperty("user.name"),
                "persistence true",
                "persistence_location " + dir.resolve("data") + "/",
                "autosave_interval 1",
                "max_queued_messages 0",
                "max_queued_bytes 0",
                "max_inflight_messages " + maxInflight,
                "log_dest file " + dir.resolve("mosquitto.log"),
                "log_type error", "log_type warning", "log_type notice", ""));
        start();
    }

    static String binary() {
        for (String p : new String[] {"/usr/sbin/mosquitto", "/usr/bin/mosquitto"}) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        throw new IllegalStateException("mosquitto is not installed: run .ci/setup.d/mosquitto.sh (as root)");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    @Override
    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public synchronized void start() throws Exception {
        process = new ProcessBuilder(binary(), "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited: " + Files.readString(dir.resolve("stdout.log"))
                        + (Files.exists(dir.resolve("mosquitto.log")) ? Files.readString(dir.resolve("mosquitto.log")) : ""));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("mosquitto did not listen on " + port + " within 10 s");
    }

    @Override
    public synchronized void stop() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy(); // SIGTERM: mosquitto saves its persistence file
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public boolean keepsSessionsAcrossRestart() {
        return true;
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
