package org.biotwin.advisory.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A policy configuration as ConfigAdmin would give it: the values given, the metatype defaults for the rest. */
final class TestPolicies {

    private TestPolicies() {
    }

    static AdvisoryPolicy policy(Map<String, Object> values) {
        return AdvisoryPolicy.from((AdvisoryPolicyConfiguration) Proxy.newProxyInstance(
                AdvisoryPolicyConfiguration.class.getClassLoader(), new Class<?>[] {AdvisoryPolicyConfiguration.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return AdvisoryPolicyConfiguration.class;
                    }
                    Object v = values.containsKey(method.getName()) ? values.get(method.getName())
                            : method.getDefaultValue();
                    if (v == null) {
                        throw new IllegalStateException("test policy lacks '" + method.getName() + "'");
                    }
                    return v;
                }));
    }
}
