package org.biotwin.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference deployment copies each file once, and refuses configurations whose placeholders nobody defines. */
class ReferenceDeployTest {

    private static final Map<String, String> PROPS = Map.of("biotwin.mqtt.uri", "tcp://127.0.0.1:1883",
            "biotwin.historian.url", "http://127.0.0.1:9000", "biotwin.historian.pg.host", "127.0.0.1",
            "biotwin.historian.pg.port", "8812", "biotwin.data.dir", "/tmp/run");

    @Test
    void copiesTheShippedReferenceOnceAndLeavesEditsAndDeletionsAlone(@TempDir Path tmp) throws Exception {
        Path reference = BundleSetTest.home().resolve("reference");
        Path deploy = Files.createDirectories(tmp.resolve("deploy"));
        long files;
        try (Stream<Path> s = Files.list(reference)) {
            files = s.count();
        }
        assertThat(ReferenceDeploy.install(reference, deploy, tmp.resolve("run"), PROPS)).hasSize((int) files)
                .contains("org.biotwin.connector.mqtt-plant.config", "org.biotwin.historian.influxdb.config")
                .anyMatch(n -> n.startsWith("org.biotwin.models.cho-") && n.endsWith(".jar"));
        Path twin = deploy.resolve("org.biotwin.engine.twin-BR-101.config");
        Files.writeString(twin, "unit=\"BR-101\"\n# edited by the operator\n");
        Files.delete(deploy.resolve("org.biotwin.advisory.policy-BR-102.config"));

        assertThat(ReferenceDeploy.install(reference, deploy, tmp.resolve("run"), PROPS)).isEmpty();
        assertThat(Files.readString(twin)).contains("edited by the operator");
        assertThat(deploy.resolve("org.biotwin.advisory.policy-BR-102.config")).doesNotExist();
        assertThat(Files.readString(tmp.resolve("run").resolve(ReferenceDeploy.MARKER)))
                .contains("org.biotwin.advisory.policy-BR-102.config");
    }

    @Test
    void aPlaceholderNoServerDefinesStopsTheHostWithItsName(@TempDir Path tmp) throws Exception {
        Path reference = Files.createDirectories(tmp.resolve("reference"));
        Files.writeString(reference.resolve("x.config"), "broker.uri=\"${biotwin.mqtt.uri}\"\n");
        Path deploy = Files.createDirectories(tmp.resolve("deploy"));
        assertThatThrownBy(() -> ReferenceDeploy.install(reference, deploy, tmp.resolve("run"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x.config")
                .hasMessageContaining("[biotwin.mqtt.uri]");
        assertThat(deploy.resolve("x.config")).doesNotExist();
    }

    @Test
    void theShippedConfigurationsUseOnlyPropertiesTheHostDefines() throws Exception {
        Path reference = BundleSetTest.home().resolve("reference");
        try (Stream<Path> s = Files.list(reference)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".config")).toList()) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{([^}]+)}")
                        .matcher(Files.readString(f));
                while (m.find()) {
                    assertThat(PROPS).as(f.getFileName() + " uses ${" + m.group(1) + "}").containsKey(m.group(1));
                }
                // Felix's .config format takes comments only before the first property; a comment after one makes
                // FileInstall write the whole configuration back empty (seen with the demo users).
                boolean property = false;
                for (String line : Files.readAllLines(f)) {
                    property |= !line.isBlank() && !line.startsWith("#");
                    assertThat(property && line.startsWith("#")).as(f.getFileName() + ": comment after a property: "
                            + line).isFalse();
                }
            }
        }
    }
}
