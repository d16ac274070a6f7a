package org.biotwin.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostConfigTest {

    @TempDir
    Path home;

    @Test
    void defaultsAreLoopbackAndRelativeToTheWorkingDirectory() {
        HostConfig c = HostConfig.load(home, new Properties(), false);
        assertThat(c.httpHost()).isEqualTo("127.0.0.1");
        assertThat(c.httpPort()).isEqualTo(8080);
        assertThat(c.shellPort()).isEqualTo(-1);
        assertThat(c.deployDir()).isEqualTo(Path.of("deploy").toAbsolutePath());
        assertThat(c.storageDir()).isEqualTo(Path.of("run/felix-cache").toAbsolutePath());
        assertThat(c.interactive()).isFalse();
    }

    @Test
    void systemPropertiesOverrideTheConfFileWhichOverridesDefaults() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/host.properties"),
                "biotwin.http.port = 9090\nbiotwin.shell.port = 6666\nds.loglevel = info\nunrelated = x\n");
        Properties sys = new Properties();
        sys.setProperty("biotwin.http.port", "9191");
        sys.setProperty("java.home", "/ignored");
        HostConfig c = HostConfig.load(home, sys, true);
        assertThat(c.httpPort()).isEqualTo(9191);
        assertThat(c.shellPort()).isEqualTo(6666);
        assertThat(c.interactive()).isTrue();
        assertThat(c.extra()).containsEntry("ds.loglevel", "info").containsEntry("unrelated", "x")
                .doesNotContainKey("java.home").doesNotContainKey("biotwin.http.port");
    }

    @Test
    void invalidValuesNameTheKeyTheValueAndWhereItCameFrom() throws Exception {
        Properties sys = new Properties();
        sys.setProperty("biotwin.http.port", "80800");
        assertThatThrownBy(() -> HostConfig.load(home, sys, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("biotwin.http.port='80800'").hasMessageContaining("-Dbiotwin.http.port")
                .hasMessageContaining("0 to 65535");

        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/host.properties"), "biotwin.storage.clean = sometimes\n");
        assertThatThrownBy(() -> HostConfig.load(home, new Properties(), false))
                .hasMessageContaining("biotwin.storage.clean='sometimes'").hasMessageContaining("host.properties")
                .hasMessageContaining("true or false");
    }

    @Test
    void serverPropertiesAreCheckedWithTheirNameAndTheDataDirDefaultsToTheStoragesParent() {
        Properties sys = new Properties();
        sys.setProperty("biotwin.mqtt.embedded", "maybe");
        sys.setProperty("biotwin.mqtt.port", "70000");
        HostConfig c = HostConfig.load(home, sys, false);
        assertThatThrownBy(() -> new org.biotwin.host.server.HiveMqServer().enabled(c))
                .hasMessageContaining("biotwin.mqtt.embedded='maybe'").hasMessageContaining("true or false");
        assertThatThrownBy(() -> c.integer("biotwin.mqtt.port", 1883, 0, 65535))
                .hasMessageContaining("biotwin.mqtt.port='70000'").hasMessageContaining("0 to 65535");
        assertThat(c.integer("biotwin.questdb.pg.port", 8812, 0, 65535)).isEqualTo(8812);
        assertThat(c.dataDir()).isEqualTo(Path.of("run").toAbsolutePath());

        sys.setProperty(HostConfig.DATA_DIR, "elsewhere/data");
        assertThat(HostConfig.load(home, sys, false).dataDir()).isEqualTo(Path.of("elsewhere/data").toAbsolutePath());
    }
}
