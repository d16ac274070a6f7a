package org.biotwin.plant.sim.internal;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds a {@link PlantConfiguration} as ConfigAdmin and DS would: the given values by method name, the metatype
 * defaults for the rest.
 */
final class TestConfigs {

    private TestConfigs() {
    }

    static PlantConfiguration plant(Map<String, Object> values) {
        return (PlantConfiguration) Proxy.newProxyInstance(PlantConfiguration.class.getClassLoader(),
                new Class<?>[] {PlantConfiguration.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return PlantConfiguration.class;
                    }
                    if (values.containsKey(method.getName())) {
                        return values.get(method.getName());
                    }
                    Object d = method.getDefaultValue();
                    if (d == null) {
                        throw new IllegalStateException("test config lacks required '" + method.getName() + "'");
                    }
                    return d;
                });
    }

    /** A CHO reactor BR-101 with the given extra values. */
    static Map<String, Object> cho(Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        m.put("unit", "BR-101");
        m.put("model_id", "cho.mab.fedbatch");
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    static ReactorSettings settings(Map<String, Object> values) {
        return ReactorSettings.from(plant(values));
    }
}
