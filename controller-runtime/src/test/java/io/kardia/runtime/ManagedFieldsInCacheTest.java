package io.kardia.runtime;

import static io.kardia.runtime.TestObjects.configMap;
import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.json.Json;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.KubeObject;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A manager's caches drop managedFields unless asked to keep them; writes from a cached copy keep the stored ones. */
@KardiaTest
class ManagedFieldsInCacheTest {

    @Test
    void theCacheDropsManagedFieldsAndAnUpdateFromItKeepsTheStoredOnes(TestEnvironment env) throws Exception {
        env.resources(ConfigMap.class).create(configMap("default", "cm"));
        assertThat(managers(env.resources(ConfigMap.class).get("default", "cm"))).as("the store records the creator")
                .isNotEmpty();
        CompletableFuture<ConfigMap> seen = new CompletableFuture<>();
        env.startManager(m -> m.newController().forKind(ConfigMap.class).named("copy-edit").complete(cm -> {
            seen.complete(cm);
            if (!cm.data().containsKey("edited")) {
                Map<String, String> data = new java.util.HashMap<>(cm.data());
                data.put("edited", "yes");
                m.client().resources(ConfigMap.class).update(cm.withData(data));
            }
            return Result.done();
        }));

        ConfigMap cached = seen.get(30, TimeUnit.SECONDS);
        assertThat(cached.metadata().extra()).doesNotContainKey("managedFields");
        ConfigMap stored = env.awaitObject(ConfigMap.class, "default", "cm", cm -> cm.data().containsKey("edited"));
        String ownership = Json.toString(Json.toTree(stored).at("/metadata/managedFields"));
        assertThat(ownership).as("the creator's fields stay owned after an update sent without managedFields")
                .contains("\"f:k\"").contains("\"f:edited\"");
    }

    @Test
    void keepManagedFieldsKeepsThemInTheCache(TestEnvironment env) throws Exception {
        env.resources(ConfigMap.class).create(configMap("default", "kept"));
        CompletableFuture<ConfigMap> seen = new CompletableFuture<>();
        env.startManager(Manager.builder(env.client()).keepManagedFields().cacheSyncTimeout(Duration.ofSeconds(10))
                .gracefulShutdownTimeout(Duration.ofSeconds(5)), m -> m.newController().forKind(ConfigMap.class)
                .named("reader").complete(cm -> {
                    seen.complete(cm);
                    return Result.done();
                }));

        assertThat(managers(seen.get(30, TimeUnit.SECONDS))).isNotEmpty();
    }

    private static List<String> managers(KubeObject o) {
        List<String> out = new ArrayList<>();
        Json.toTree(o).at("/metadata/managedFields").forEach(e -> out.add(e.path("manager").asText()));
        return out;
    }
}
