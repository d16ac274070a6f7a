package org.biotwin.host;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * The launcher's console log: one line per event, time-stamped, on standard output (errors on standard error), so
 * that it interleaves readably with the logs of SCR, FileInstall and Jetty. Stateless and thread-safe.
 */
final class Log {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private Log() {
    }

    static void info(String message) {
        print(System.out, "INFO ", message);
    }

    static void warn(String message) {
        print(System.out, "WARN ", message);
    }

    static void error(String message) {
        print(System.err, "ERROR", message);
    }

    private static void print(PrintStream out, String level, String message) {
        out.println(LocalTime.now().format(TIME) + " " + level + " [biotwin-host] " + message);
        out.flush();
    }
}
