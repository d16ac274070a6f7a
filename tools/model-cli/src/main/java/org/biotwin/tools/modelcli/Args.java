package org.biotwin.tools.modelcli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsed {@code --name value} options (repeatable) and {@code --flag} switches. Unknown options are an error, so a
 * typo never silently falls back to a default.
 */
final class Args {
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final String command;

    private Args(String command) {
        this.command = command;
    }

    static Args parse(String command, String[] argv, int from, Set<String> options, Set<String> flags)
            throws CliException {
        Args a = new Args(command);
        for (int i = from; i < argv.length; i++) {
            String s = argv[i];
            if (!s.startsWith("--")) {
                throw new CliException(CliException.USAGE, command + ": unexpected argument '" + s + "'");
            }
            String name = s.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq > 0 && options.contains(name.substring(0, eq))) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name)) {
                a.values.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
            } else if (options.contains(name)) {
                String v = inline;
                if (v == null) {
                    if (i + 1 >= argv.length) {
                        throw new CliException(CliException.USAGE, command + ": option --" + name + " needs a value");
                    }
                    v = argv[++i];
                }
                a.values.computeIfAbsent(name, k -> new ArrayList<>()).add(v);
            } else {
                throw new CliException(CliException.USAGE, command + ": unknown option --" + name + " (known: --"
                        + String.join(", --", new java.util.TreeSet<>(union(options, flags))) + ")");
            }
        }
        return a;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new java.util.HashSet<>(a);
        u.addAll(b);
        return u;
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    String optional(String name, String dflt) throws CliException {
        List<String> v = all(name);
        if (v.size() > 1) {
            throw new CliException(CliException.USAGE, command + ": --" + name + " given " + v.size() + " times");
        }
        return v.isEmpty() ? dflt : v.get(0);
    }

    String required(String name) throws CliException {
        String v = optional(name, null);
        if (v == null) {
            throw new CliException(CliException.USAGE, command + ": missing required option --" + name);
        }
        return v;
    }

    double number(String name, double dflt) throws CliException {
        String v = optional(name, null);
        return v == null ? dflt : parse(name, v);
    }

    double requiredNumber(String name) throws CliException {
        return parse(name, required(name));
    }

    int integer(String name, int dflt) throws CliException {
        String v = optional(name, null);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new CliException(CliException.USAGE, command + ": --" + name + " must be an integer, was '" + v + "'");
        }
    }

    private double parse(String name, String v) throws CliException {
        try {
            double d = Double.parseDouble(v.trim());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new CliException(CliException.USAGE, command + ": --" + name + " must be a finite number, was '" + v
                    + "'");
        }
    }
}
