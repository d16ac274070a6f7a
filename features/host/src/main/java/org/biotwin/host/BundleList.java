package org.biotwin.host;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A bundle list of the bundle set ({@code bundles.properties}, {@code host-bundles.properties}): one line per jar,
 * {@code <file name> = <start level>}, comments with {@code #}. Immutable.
 *
 * @param source  the file it was read from
 * @param entries in file order
 */
record BundleList(Path source, List<Entry> entries) {

    /** One bundle: its jar in the bundles directory and its start level (1 or more). */
    record Entry(String file, int startLevel, int line) {
    }

    BundleList {
        entries = List.copyOf(entries);
    }

    /**
     * Parses a list.
     *
     * @throws IllegalArgumentException naming the file and line of a malformed entry
     * @throws IOException              when the file cannot be read
     */
    static BundleList read(Path file) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String raw;
            int lineNo = 0;
            while ((raw = in.readLine()) != null) {
                lineNo++;
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int eq = line.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": expected '<jar file> = <start level>', got '"
                            + line + "'");
                }
                String name = line.substring(0, eq).strip();
                String level = line.substring(eq + 1).strip();
                if (!name.endsWith(".jar") || name.contains("/") || name.contains("\\")) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": '" + name
                            + "' is not a jar file name in the bundles directory");
                }
                int startLevel;
                try {
                    startLevel = Integer.parseInt(level);
                } catch (NumberFormatException e) {
                    startLevel = 0;
                }
                if (startLevel < 1) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": start level of " + name
                            + " must be an integer >= 1, got '" + level + "'");
                }
                entries.add(new Entry(name, startLevel, lineNo));
            }
        }
        return new BundleList(file, entries);
    }

    /** The highest start level in the list, 1 if empty. */
    int maxStartLevel() {
        return entries.stream().mapToInt(Entry::startLevel).max().orElse(1);
    }
}
