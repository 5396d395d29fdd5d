package io.kardia.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A version a newer one replaced keeps its decoded forms only while someone else holds them: the
 * watch history must not hold a decoded copy of every version beside its tree and bytes.
 */
class RetiredVersionsTest {
    private static final ResourceType<ConfigMap> TYPE = ResourceTypes.of(ConfigMap.class);
    private ReferenceStore store;

    @BeforeEach
    void open() {
        store = ReferenceStore.inMemory();
        store.client().resources(io.kardia.core.model.Namespace.class)
                .create(io.kardia.core.model.Namespace.named("ns"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theCurrentVersionSharesOneDecodeAndKeepsIt() {
        StoredObject v1 = store.create(TYPE, "ns", tree("1"), WriteOptions.DEFAULT);
        ConfigMap first = v1.decode(ConfigMap.class);

        assertThat(store.get(TYPE, "ns", "cm", null).decode(ConfigMap.class)).isSameAs(first);
        assertThat(v1.retired()).isFalse();
        assertThat(v1.holdsDecodedStrongly()).isTrue();
    }

    @Test
    void anUpdateRetiresTheVersionItReplaces() {
        StoredObject v1 = store.create(TYPE, "ns", tree("1"), WriteOptions.DEFAULT);
        ConfigMap held = v1.decode(ConfigMap.class); // as an informer's cache still at v1 holds it
        StoredObject v2 = store.update(TYPE, "ns", "cm", tree("2"), WriteOptions.DEFAULT);
        v2.decode(ConfigMap.class);

        assertThat(v1.retired()).isTrue();
        assertThat(v1.holdsDecodedStrongly()).as("history keeps no decoded copy of its own").isFalse();
        assertThat(v1.managedFieldsCached()).as("only writes building on the current version use them").isFalse();
        assertThat(v1.decode(ConfigMap.class)).as("still shared while held elsewhere").isSameAs(held);
        assertThat(v2.retired()).isFalse();
        assertThat(v2.holdsDecodedStrongly()).isTrue();
    }

    @Test
    void aRetiredVersionDecodedLaterIsNotHeldStrongly() {
        StoredObject v1 = store.create(TYPE, "ns", tree("1"), WriteOptions.DEFAULT);
        store.update(TYPE, "ns", "cm", tree("2"), WriteOptions.DEFAULT);

        ConfigMap late = v1.decode(ConfigMap.class); // a watcher behind the writes
        assertThat(late.data()).containsEntry("k", "1");
        assertThat(v1.holdsDecodedStrongly()).isFalse();
        assertThat(v1.decode(ConfigMap.class)).isSameAs(late);
    }

    @Test
    void aDeletionRetiresTheLastVersionAndItsDeletedView() {
        StoredObject v1 = store.create(TYPE, "ns", tree("1"), WriteOptions.DEFAULT);
        v1.decode(ConfigMap.class);
        try (StoreWatch w = store.watch(TYPE, "ns", new io.kardia.core.client.WatchOptions(null, null,
                v1.resourceVersion(), false, 60, null, null))) {
            store.delete(TYPE, "ns", "cm", DeleteOptions.DEFAULT);
            StoreEvent deleted = w.next();
            assertThat(deleted.type()).isEqualTo(StoreEvent.Type.DELETED);
            deleted.object().decode(ConfigMap.class);
            assertThat(deleted.object().holdsDecodedStrongly()).isFalse();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertThat(v1.retired()).isTrue();
        assertThat(v1.holdsDecodedStrongly()).isFalse();
    }

    private static ObjectNode tree(String value) {
        return (ObjectNode) Json.toTree(ConfigMap.of(ObjectMeta.of("ns", "cm"), Map.of("k", value)));
    }
}
