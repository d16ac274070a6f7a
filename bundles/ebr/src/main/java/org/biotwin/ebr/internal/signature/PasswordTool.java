package org.biotwin.ebr.internal.signature;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Makes a password hash for the {@code users} property of {@code org.biotwin.ebr.signatures}. The password is read
 * without echo from the console (typed twice), or as one line from standard input when there is no console; it never
 * appears on the command line.
 *
 * <pre>
 * java -cp org.biotwin.ebr-VERSION.jar org.biotwin.ebr.internal.signature.PasswordTool [userId "Printed Name" roles]
 * </pre>
 * Prints the hash, or with the three arguments a complete {@code users} entry.
 */
public final class PasswordTool {

    private PasswordTool() {
    }

    public static void main(String[] args) throws Exception {
        char[] pw;
        Console console = System.console();
        if (console != null) {
            pw = console.readPassword("Password: ");
            char[] again = console.readPassword("Again: ");
            if (pw == null || again == null || !Arrays.equals(pw, again)) {
                System.err.println("The passwords differ");
                System.exit(2);
            }
            Arrays.fill(again, '\0');
        } else {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            pw = line == null ? new char[0] : line.toCharArray();
        }
        if (pw.length < 8) {
            System.err.println("A password needs at least 8 characters");
            System.exit(2);
        }
        String hash = PasswordHasher.hash(pw, PasswordHasher.DEFAULT_ITERATIONS);
        Arrays.fill(pw, '\0');
        if (args.length == 3) {
            System.out.println(args[0] + "|" + args[1] + "|" + args[2] + "|" + hash);
        } else {
            System.out.println(hash);
        }
    }
}
