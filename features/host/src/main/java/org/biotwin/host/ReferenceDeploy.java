package org.biotwin.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Deploys the reference host's content: the ConfigAdmin configurations ({@code *.config}) and the model bundle in
 * the installation's {@code reference/} folder are copied into the deploy folder, where FileInstall applies them
 * (substituting {@code ${...}} with framework properties such as {@code biotwin.mqtt.uri}) and keeps watching them.
 * <p>
 * A file is copied only once: the names copied are remembered in {@code <biotwin.data.dir>/reference-deployed.txt}, so a
 * configuration the operator edited or deleted in the deploy folder stays edited or deleted across restarts.
 * Before copying, every {@code ${...}} placeholder of the configurations must be defined (a missing broker or
 * historian address then stops the host with the property named, rather than leaving a component half-configured).
 * Stateless.
 */
final class ReferenceDeploy {

    static final String MARKER = "reference-deployed.txt";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

    private ReferenceDeploy() {
    }

    /**
     * @param reference  the installation's {@code reference/} folder
     * @param deploy     the deploy folder (exists)
     * @param properties the framework properties FileInstall will substitute
     * @return the files copied this time
     * @throws IllegalArgumentException naming the file and property when a placeholder is undefined
     */
    static List<String> install(Path reference, Path deploy, Path dataDir, Map<String, String> properties)
            throws IOException {
        if (!Files.isDirectory(reference)) {
            throw new IllegalStateException("biotwin.reference.deploy=true but " + reference + " is missing: is this"
                    + " a built host (features/host/target/biotwin-host)?");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(reference)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            if (f.getFileName().toString().endsWith(".config")) {
                Set<String> missing = new TreeSet<>();
                Matcher m = PLACEHOLDER.matcher(Files.readString(f, StandardCharsets.UTF_8));
                while (m.find()) {
                    if (!properties.containsKey(m.group(1)) && System.getProperty(m.group(1)) == null) {
                        missing.add(m.group(1));
                    }
                }
                if (!missing.isEmpty()) {
                    throw new IllegalArgumentException("Reference configuration " + f.getFileName() + " uses "
                            + missing + ", which no embedded server provides and conf/host.properties does not"
                            + " define (an embedded server disabled without its external address?)");
                }
            }
        }
        Files.createDirectories(dataDir);
        Path marker = dataDir.resolve(MARKER);
        Set<String> done = new LinkedHashSet<>();
        if (Files.isRegularFile(marker)) {
            Files.readAllLines(marker, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(done::add);
        }
        List<String> copied = new ArrayList<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (done.contains(name) || Files.exists(deploy.resolve(name))) {
                continue;
            }
            // The framework (and with it FileInstall) is not started yet: no half-written file can be read.
            Files.copy(f, deploy.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
            done.add(name);
            copied.add(name);
        }
        if (!copied.isEmpty()) {
            List<String> lines = new ArrayList<>();
            lines.add("# Reference files the BioTwin host copied here once; delete a line to have it copied again.");
            lines.addAll(done);
            Files.write(marker, lines, StandardCharsets.UTF_8);
            Log.info("Reference deployment: copied " + copied + " from " + reference + " into " + deploy);
        } else {
            Log.info("Reference deployment: nothing to copy (" + done.size() + " file(s) deployed earlier; see "
                    + marker + ")");
        }
        return copied;
    }
}
