package org.biotwin.advisory.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.biotwin.api.advisory.Advisory;

/**
 * The advisories of this host in one JSON file, so that open and decided advisories survive a restart of the
 * advisory bundle (the decisions themselves are in the audit trail; this keeps what the panels show).
 * <p>
 * Format: {@code {"format": "biotwin-advisories/1", "savedAt": ISO instant, "advisories": [Advisory...]}}, the API
 * records bound by Jackson, instants as ISO-8601 strings, NaN as the string {@code "NaN"}. A save writes a temporary
 * file in the same directory, forces it to disk, and moves it over the file atomically, so a crash leaves the old or
 * the new file, never half of one. A file that is not a store of this format is moved aside whole
 * ({@code advisories.json.corrupt-<UTC time>}) and reported; entries that do not bind are reported and left out
 * while the file is copied aside first, so nothing is silently dropped. Not thread-safe: its one user serialises
 * calls.
 */
final class AdvisoryStore {

    static final String FORMAT = "biotwin-advisories/1";
    static final String FILE = "advisories.json";
    private static final DateTimeFormatter ASIDE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);

    /**
     * What a load found.
     *
     * @param advisories the advisories read, in file order
     * @param problems   what was wrong, one line each; empty for a clean load
     * @param movedAside where the damaged file (or a copy of it) was put, if anything was wrong
     */
    record Loaded(List<Advisory> advisories, List<String> problems, Optional<Path> movedAside) {
        Loaded {
            advisories = List.copyOf(advisories);
            problems = List.copyOf(problems);
        }
    }

    private final Path file;
    private final Clock clock;
    private final ObjectMapper json;

    AdvisoryStore(Path directory, Clock clock) {
        this.file = directory.resolve(FILE);
        this.clock = clock;
        SimpleModule instants = new SimpleModule("biotwin-instants");
        instants.addSerializer(Instant.class, new StdSerializer<>(Instant.class) {
            @Override
            public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(value.toString());
            }
        });
        instants.addDeserializer(Instant.class, new StdDeserializer<>(Instant.class) {
            @Override
            public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                String text = p.getValueAsString();
                try {
                    return Instant.parse(text);
                } catch (DateTimeParseException | NullPointerException e) {
                    return (Instant) ctx.handleWeirdStringValue(Instant.class, text, "not an ISO-8601 instant");
                }
            }
        });
        this.json = JsonMapper.builder().addModule(instants)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    }

    Path file() {
        return file;
    }

    /** Reads the store; a missing file is an empty store. Never throws for bad content: see {@link Loaded}. */
    Loaded load() throws IOException {
        if (!Files.exists(file)) {
            return new Loaded(List.of(), List.of(), Optional.empty());
        }
        JsonNode root;
        try {
            root = json.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            return aside("not valid JSON: " + e.getOriginalMessage() + at);
        }
        if (root == null || !root.isObject()) {
            return aside("not a JSON object");
        }
        if (!FORMAT.equals(root.path("format").asText())) {
            return aside("unknown format '" + root.path("format").asText() + "', expected '" + FORMAT + "'");
        }
        JsonNode list = root.path("advisories");
        if (!list.isArray()) {
            return aside("no 'advisories' array");
        }
        List<Advisory> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            try {
                out.add(json.treeToValue(list.get(i), Advisory.class));
            } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
                problems.add("entry " + i + " (id " + list.get(i).path("id").asText("?") + ") unreadable: "
                        + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
            }
        }
        if (problems.isEmpty()) {
            return new Loaded(out, List.of(), Optional.empty());
        }
        Path copy = asideName();
        Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
        return new Loaded(out, problems, Optional.of(copy));
    }

    /** Replaces the store's content with {@code advisories}, atomically. */
    void save(List<Advisory> advisories) throws IOException {
        Files.createDirectories(file.getParent());
        ObjectNode root = json.createObjectNode();
        root.put("format", FORMAT);
        root.put("savedAt", clock.instant().toString());
        ArrayNode list = root.putArray("advisories");
        for (Advisory a : advisories) {
            list.add(json.valueToTree(a));
        }
        Path tmp = Files.createTempFile(file.getParent(), FILE, ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                json.writeValue(out, root);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private Loaded aside(String problem) throws IOException {
        Path target = asideName();
        Files.move(file, target);
        return new Loaded(List.of(), List.of(file + ": " + problem), Optional.of(target));
    }

    private Path asideName() {
        return file.resolveSibling(FILE + ".corrupt-" + ASIDE.format(clock.instant()));
    }
}
