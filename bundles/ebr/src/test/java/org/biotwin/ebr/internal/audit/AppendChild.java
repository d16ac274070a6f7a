package org.biotwin.ebr.internal.audit;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import org.biotwin.api.audit.AuditEvent;

/**
 * Child process of {@link KillDuringAppendTest}: appends from several threads until killed or a bound is reached, and
 * prints each acknowledged sequence number on its own line, after {@code append} returned.
 */
public final class AppendChild {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        int maxPerThread = Integer.parseInt(args[2]);
        PrintStream out = System.out;
        FileAuditTrail trail = new FileAuditTrail(dir, Clock.systemUTC());
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers[t] = new Thread(() -> {
                for (int i = 0; i < maxPerThread; i++) {
                    long seq = trail.append(new AuditEvent("system:child", "test.burst", "burst", "W" + id,
                            "kill -9 test", null, "payload " + i + " " + "x".repeat(i % 200))).sequence();
                    synchronized (out) {
                        out.println(seq);
                        out.flush();
                    }
                }
            });
            workers[t].start();
        }
        for (Thread w : workers) {
            w.join();
        }
        trail.close();
        out.println("done");
        out.flush();
    }
}
