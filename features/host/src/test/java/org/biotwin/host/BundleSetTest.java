package org.biotwin.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The assembled bundle set (unpacked from biotwin-bundle-set into target/biotwin-host) agrees with its lists. */
class BundleSetTest {

    static Path home() {
        return Path.of(System.getProperty("biotwin.test.home", "target/biotwin-host"));
    }

    @Test
    void everyJarIsListedOnceAndEveryListedJarExists() throws Exception {
        List<String> listed = new ArrayList<>();
        for (String list : List.of("bundles.properties", "host-bundles.properties")) {
            BundleList.read(home().resolve(list)).entries().forEach(e -> listed.add(e.file()));
        }
        Set<String> jars;
        try (Stream<Path> s = Files.list(home().resolve("bundles"))) {
            jars = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).collect(Collectors.toSet());
        }
        assertThat(listed).doesNotHaveDuplicates();
        assertThat(listed).containsExactlyInAnyOrderElementsOf(jars);
        assertThat(listed).anyMatch(n -> n.startsWith("org.biotwin.api-"))
                .noneMatch(n -> n.startsWith("org.biotwin.models."));
    }
}
