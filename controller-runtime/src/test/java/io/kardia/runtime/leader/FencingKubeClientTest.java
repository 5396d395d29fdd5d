package io.kardia.runtime.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.ListOptions;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectMeta;
import io.kardia.store.ReferenceStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** A deposed leader's client refuses every write path (apply included) before it reaches the store; reads pass. */
class FencingKubeClientTest {

    private static ConfigMap configMap(String namespace, String name) {
        return ConfigMap.of(ObjectMeta.of(namespace, name), Map.of("k", "v"));
    }

    @Test
    void everyWritePathIsFencedOnceTheGuardSaysNoAndReadsPass() {
        try (ReferenceStore store = ReferenceStore.inMemory()) {
            ResourceClient<ConfigMap> live = store.client().resources(ConfigMap.class);
            ConfigMap stored = live.create(configMap("default", "kept"));
            AtomicBoolean leading = new AtomicBoolean(true);
            FencingKubeClient client = new FencingKubeClient(store.client(), new LeaseGuard() {
                @Override
                public boolean mayDispatch() {
                    return leading.get();
                }

                @Override
                public boolean mayWrite() {
                    return leading.get();
                }

                @Override
                public String why() {
                    return "the lease lapsed";
                }
            });
            ResourceClient<ConfigMap> fenced = client.resources(ConfigMap.class);
            assertThat(fenced.create(configMap("default", "while-leading")).metadata().name()).isEqualTo("while-leading");

            leading.set(false);
            String before = live.get("default", "kept").metadata().resourceVersion();
            List<ThrowingCallable> writes = List.of(
                    () -> fenced.create(configMap("default", "late")),
                    () -> fenced.update(stored),
                    () -> fenced.updateStatus(stored),
                    () -> fenced.patch("default", "kept", PatchType.MERGE, "{\"data\":{\"a\":\"b\"}}"),
                    () -> fenced.patchStatus("default", "kept", PatchType.MERGE, "{}", WriteOptions.DEFAULT),
                    () -> fenced.apply(configMap("default", "kept"), "fenced-test"),
                    () -> fenced.delete("default", "kept", DeleteOptions.DEFAULT),
                    () -> fenced.deleteCollection("default", ListOptions.all(), DeleteOptions.DEFAULT),
                    () -> client.bindPod("default", "p", "node-1"),
                    () -> client.finalizeNamespace(Namespace.named("default")));
            for (ThrowingCallable write : writes) {
                assertThatThrownBy(write).isInstanceOf(FencedWriteException.class).hasMessageContaining("the lease lapsed");
            }
            assertThat(live.find("default", "late")).isEmpty();
            assertThat(live.get("default", "kept").metadata().resourceVersion()).as("untouched").isEqualTo(before);
            assertThat(fenced.get("default", "kept").metadata().name()).as("reads pass").isEqualTo("kept");
            assertThat(fenced.list("default").items()).hasSize(2);
        }
    }
}
