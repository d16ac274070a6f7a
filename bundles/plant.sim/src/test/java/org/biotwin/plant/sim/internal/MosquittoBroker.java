package org.biotwin.plant.sim.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Mosquitto 2.0 as a process on a free loopback port with its own configuration file (installed by
 * {@code .ci/setup.d/mosquitto.sh}). Started and stopped by the test class that uses it.
 */
final class MosquittoBroker implements AutoCloseable {

    private final Path dir;
    private final int port;
    private Process process;

    MosquittoBroker(Path dir) throws Exception {
        this.dir = dir;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            this.port = s.getLocalPort();
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                // as root, mosquitto would switch to the user 'mosquitto', which cannot write our temp dir
                "user " + System.getProperty("user.name"),
                "persistence false",
                "max_queued_messages 0",
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

    String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    synchronized void start() throws Exception {
        process = new ProcessBuilder(binary(), "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited: " + Files.readString(dir.resolve("stdout.log")));
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

    synchronized void stop() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
