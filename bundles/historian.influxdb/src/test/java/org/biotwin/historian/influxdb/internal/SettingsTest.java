package org.biotwin.historian.influxdb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @TempDir
    Path dir;

    private Map<String, Object> valid() {
        return TestConfig.questdb("http://127.0.0.1:9000", 8812, dir);
    }

    private void assertRefused(String property, Object value, String messagePart) {
        Map<String, Object> p = valid();
        if (value == null) {
            p.remove(property);
        } else {
            p.put(property, value);
        }
        assertThatThrownBy(() -> Settings.from(TestConfig.of(p))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + property + "'").hasMessageContaining(messagePart);
    }

    @Test
    void validConfigurationParsesWithDefaults() {
        Settings s = Settings.from(TestConfig.of(valid()));
        assertThat(s.backend()).isEqualTo(Backend.QUESTDB_SQL);
        assertThat(s.batchSize()).isEqualTo(5000);
        assertThat(s.bufferMaxBytes()).isEqualTo(256L * 1024 * 1024);
        assertThat(s.readUrl()).isEqualTo(s.url());
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:8812/qdb");
    }

    @Test
    void missingRequiredPropertiesAreNamed() {
        assertRefused("url", null, "required");
        assertRefused("site", null, "required");
        assertRefused("bufferDirectory", null, "required");
        assertRefused("site", "  ", "required");
    }

    @Test
    void invalidValuesAreNamedWithTheReason() {
        assertRefused("url", "ftp://x", "http or https");
        assertRefused("url", "not a url", "");
        assertRefused("backend", "MONGO", "QUESTDB_SQL, INFLUXQL, FLUX");
        assertRefused("precision", "minutes", "NS, US, MS, S");
        assertRefused("batchSize", 0, "between 1 and 100000");
        assertRefused("bufferMaxBytes", 100, "between 4096");
        assertRefused("pgPort", 70000, "between 1 and 65535");
        assertRefused("site", "a site", "[A-Za-z0-9_.-]");
        Map<String, Object> p = valid();
        p.put("retryInitialMs", 5000);
        p.put("retryMaxMs", 1000);
        assertThatThrownBy(() -> Settings.from(TestConfig.of(p))).hasMessageContaining("'retryMaxMs'");
    }

    @Test
    void secretsAreMasked() {
        Map<String, Object> p = valid();
        p.put("token", "s3cr3t-token");
        p.put("pgPassword", "pg-s3cr3t");
        String text = Settings.from(TestConfig.of(p)).toString();
        assertThat(text).doesNotContain("s3cr3t").contains("token=***");
    }
}
