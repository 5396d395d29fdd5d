package io.kardia.store.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.json.Json;
import io.kardia.core.model.ResourceTypes;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreEvent;
import io.kardia.store.StoreWatch;
import io.kardia.store.StoredObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A store-level reproduction for a failure first seen over HTTP: a watch started at a
 * resourceVersion must deliver changes made after it started (the HTTP server relies on it).
 */
class StoreWatchFromRevisionTest {
    private static ObjectNode configMap(String name) {
        return (ObjectNode) Json.tree(("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"default\"},\"data\":{\"k\":\"v\"}}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void watchFromResourceVersionSeesLaterChanges() {
        try (ReferenceStore store = ReferenceStore.inMemory()) {
            StoredObject a = store.create(ResourceTypes.CONFIG_MAP, "default", configMap("a"), null);
            try (StoreWatch w = store.watch(ResourceTypes.CONFIG_MAP, "default",
                    new WatchOptions(null, null, a.resourceVersion(), false, 30))) {
                store.create(ResourceTypes.CONFIG_MAP, "default", configMap("b"), null);
                StoreEvent e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> w.next());
                assertThat(e).as("event after the watch started").isNotNull();
                assertThat(e.type()).isEqualTo(StoreEvent.Type.ADDED);
                assertThat(e.object().name()).isEqualTo("b");
            }
        }
    }
}
