package org.biotwin.engine.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** Builds a {@link TwinConfiguration} as ConfigAdmin would: given values, and the metatype defaults for the rest. */
final class TestConfigs {

    private TestConfigs() {
    }

    static TwinConfiguration twin(Map<String, Object> values) {
        return (TwinConfiguration) Proxy.newProxyInstance(TwinConfiguration.class.getClassLoader(),
                new Class<?>[] {TwinConfiguration.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return TwinConfiguration.class;
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
}
