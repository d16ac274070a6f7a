package org.biotwin.connector.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionSettingsTest {

    private static final UnitNormalizer UNITS = new UnitNormalizer();

    private static Map<String, Object> valid() {
        Map<String, Object> p = TestClients.baseConfig("tcp://127.0.0.1:1883", "c1", Path.of("/tmp/x"));
        p.put(".password", "s3cret");
        p.put("username", "twin");
        return p;
    }

    private static void assertBad(Map<String, Object> p, String property, String... more) {
        assertThatThrownBy(() -> ConnectionSettings.parse(p, null, UNITS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + property + "'")
                .satisfies(e -> {
                    for (String m : more) {
                        assertThat(e).hasMessageContaining(m);
                    }
                });
    }

    @Test
    void aValidConfigurationParsesAndMasksSecrets() {
        ConnectionSettings s = ConnectionSettings.parse(valid(), null, UNITS);
        assertThat(s.catalog.uomOf("BR-101", "T")).isEqualTo("Cel");
        assertThat(s.catalog.uomOf("BR-102", "pH")).isEqualTo("[pH]");
        assertThat(s.catalog.uomOf("BR-101", "pH")).isNull();
        assertThat(s.sampleFilters()).containsExactly("plant/+/+", "plant/+", "site/plc7/ai3");
        assertThat(s.toString()).doesNotContain("s3cret").contains(".password=********");
    }

    @Test
    void sharedGroupPrefixesTheSampleFilters() {
        Map<String, Object> p = valid();
        p.put("shared.group", "hosts");
        assertThat(ConnectionSettings.parse(p, null, UNITS).sampleFilters())
                .containsExactly("$share/hosts/plant/+/+", "$share/hosts/plant/+", "$share/hosts/site/plc7/ai3");
    }

    @Test
    void missingOrInvalidPropertiesFailFastNamingTheProperty() {
        Map<String, Object> p = valid();
        p.remove("broker.uri");
        assertBad(p, "broker.uri", "required");
        p = valid();
        p.put("broker.uri", "http://x");
        assertBad(p, "broker.uri", "tcp://");
        p = valid();
        p.remove("client.id");
        assertBad(p, "client.id", "required");
        p = valid();
        p.put("tags", new String[] {"T=furlong"});
        assertBad(p, "tags", "furlong", "UCUM");
        p = valid();
        p.put("tags", new String[] {"BR-999/T=Cel"});
        assertBad(p, "tags", "BR-999");
        p = valid();
        p.put("tags", new String[] {"T"});
        assertBad(p, "tags", "TAG=UOM");
        p = valid();
        p.remove("units");
        assertBad(p, "units", "required");
        p = valid();
        p.put("keepalive.s", "soon");
        assertBad(p, "keepalive.s", "integer");
        p = valid();
        p.put("receive.maximum", 0);
        assertBad(p, "receive.maximum", "outside");
        p = valid();
        p.put("topic.patterns", new String[] {"plant/{unit}/{unit}"});
        assertBad(p, "topic.patterns", "twice");
        p = valid();
        p.put("topic.mappings", new String[] {"a/b=BR-101/T"});
        assertBad(p, "topic.mappings", "TOPIC=UNIT/TAG/UOM");
        p = valid();
        p.put("topic.mappings", new String[] {"a/b=BR-101/T/g/L"});
        assertBad(p, "topic.mappings", "Cel");
        p = valid();
        p.put("shared.group", "a/b");
        assertBad(p, "shared.group");
        p = valid();
        p.put("tls.truststore.path", "/nonexistent/ca.p12");
        assertBad(p, "tls.truststore.path", "readable");
        p = valid();
        p.put("deadletter.topic", "dl/#");
        assertBad(p, "deadletter.topic", "wildcards");
        p = valid();
        p.remove("store.dir");
        assertBad(p, "store.dir", "required");
    }

    @Test
    void unitSpecificTagsOverrideTagsForAllUnits() {
        Map<String, Object> p = valid();
        p.put("tags", new String[] {"BR-102/T=[degF]", "T=Cel"});
        ConnectionSettings s = ConnectionSettings.parse(p, null, UNITS);
        assertThat(s.catalog.uomOf("BR-101", "T")).isEqualTo("Cel");
        assertThat(s.catalog.uomOf("BR-102", "T")).isEqualTo("[degF]");
    }

    @Test
    void theStoreDefaultsToTheDataAreaNamedAfterTheConnection() {
        Map<String, Object> p = new HashMap<>(valid());
        p.remove("store.dir");
        assertThat(ConnectionSettings.parse(p, Path.of("/data"), UNITS).storeDir).isEqualTo(Path.of("/data/test"));
    }
}
