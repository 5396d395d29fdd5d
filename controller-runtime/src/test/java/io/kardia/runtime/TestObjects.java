package io.kardia.runtime;

import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.ObjectMeta;
import java.util.Map;

/** Small builders for test objects. */
final class TestObjects {
    private TestObjects() {
    }

    static ConfigMap configMap(String namespace, String name, Map<String, String> data) {
        return ConfigMap.of(ObjectMeta.of(namespace, name), data);
    }

    static ConfigMap configMap(String namespace, String name) {
        return configMap(namespace, name, Map.of("k", "v"));
    }
}
