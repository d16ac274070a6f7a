package org.biotwin.historian.influxdb.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds a {@link HistorianConfiguration} from a property map the way Declarative Services does for a component
 * property type: a present property is converted to the method's type, an absent one takes the annotation default,
 * and one without a default is {@code null} (or 0) so that the component's own checks see it missing.
 */
final class TestConfig {

    private TestConfig() {
    }

    static HistorianConfiguration of(Map<String, ?> props) {
        return (HistorianConfiguration) Proxy.newProxyInstance(TestConfig.class.getClassLoader(),
                new Class<?>[] { HistorianConfiguration.class }, (proxy, m, args) -> value(m, props));
    }

    /** A valid QuestDB configuration with overrides. */
    static Map<String, Object> questdb(String url, int pgPort, java.nio.file.Path buffer) {
        Map<String, Object> p = new HashMap<>();
        p.put("url", url);
        p.put("site", "TEST");
        p.put("bufferDirectory", buffer.toString());
        p.put("pgPort", pgPort);
        p.put("backend", "QUESTDB_SQL");
        p.put("flushIntervalMs", 5);
        p.put("retryInitialMs", 50);
        p.put("retryMaxMs", 400);
        p.put("timeoutMs", 3000);
        p.put("precision", "US");
        return p;
    }

    private static Object value(Method m, Map<String, ?> props) {
        switch (m.getName()) {
            case "toString":
                return "TestConfig" + props;
            case "hashCode":
                return props.hashCode();
            case "annotationType":
                return HistorianConfiguration.class;
            default:
                break;
        }
        Object v = props.containsKey(m.getName()) ? props.get(m.getName()) : m.getDefaultValue();
        Class<?> t = m.getReturnType();
        if (v == null) {
            if (t == int.class) {
                return Integer.valueOf(0);
            }
            return t == long.class ? (Object) Long.valueOf(0) : null;
        }
        if (t == String.class) {
            return v.toString();
        }
        if (t == int.class) {
            return v instanceof Number n ? (Object) n.intValue() : (Object) Integer.parseInt(v.toString().trim());
        }
        if (t == long.class) {
            return v instanceof Number n ? (Object) n.longValue() : (Object) Long.parseLong(v.toString().trim());
        }
        throw new IllegalArgumentException("unsupported " + t);
    }

    static Map<String, Object> copy(Map<String, Object> m) {
        return new HashMap<>(m);
    }
}
