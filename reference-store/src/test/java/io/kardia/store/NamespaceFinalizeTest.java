package io.kardia.store;

import static io.kardia.store.TestKinds.CONFIGMAPS;
import static io.kardia.store.TestKinds.NAMESPACES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Namespace deletion as kube-apiserver does it when the namespace controller runs elsewhere (the
 * store without its in-store lifecycle): the {@code kubernetes} spec finalizer holds a deleted
 * namespace, only the {@code finalize} subresource changes spec.finalizers, and the namespace goes
 * when its last finalizer does.
 */
class NamespaceFinalizeTest {
    private final ReferenceStore store = ReferenceStore.inMemory(StoreOptions.defaults().withInStoreLifecycle(false));

    @AfterEach
    void close() {
        store.close();
    }

    private ObjectNode createNamespace(String name) {
        return store.create(NAMESPACES, null, Json.toTree(TestKinds.namespace(name)), WriteOptions.DEFAULT).json();
    }

    private static ObjectNode withSpecFinalizers(ObjectNode ns, String... finalizers) {
        ObjectNode copy = ns.deepCopy();
        var list = copy.with("spec").putArray("finalizers");
        for (String f : finalizers) {
            list.add(f);
        }
        return copy;
    }

    @Test
    void aDeletedNamespaceStaysTerminatingWithItsContentUntilFinalized() {
        ObjectNode ns = createNamespace("shop");
        assertThat(ns.at("/spec/finalizers").toString()).isEqualTo("[\"kubernetes\"]");
        store.create(CONFIGMAPS, "shop", Json.toTree(TestKinds.configMap("shop", "c", "v")), WriteOptions.DEFAULT);

        StoredObject deleted = store.delete(NAMESPACES, null, "shop", null);

        assertThat(deleted.json().at("/status/phase").asText()).isEqualTo("Terminating");
        assertThat(deleted.json().at("/metadata/deletionTimestamp").isMissingNode()).isFalse();
        assertThat(store.get(CONFIGMAPS, "shop", "c", null)).isNotNull();
        // A status write (the controller's conditions) must not remove a namespace still held by its spec finalizer.
        ObjectNode status = store.get(NAMESPACES, null, "shop", null).json();
        status.with("status").putArray("conditions").addObject().put("type", "NamespaceContentRemaining").put("status", "True");
        store.updateStatus(NAMESPACES, null, "shop", status, WriteOptions.DEFAULT);
        assertThat(store.get(NAMESPACES, null, "shop", null)).isNotNull();

        store.finalizeNamespace("shop", withSpecFinalizers(store.get(NAMESPACES, null, "shop", null).json()));

        assertThatThrownBy(() -> store.get(NAMESPACES, null, "shop", null))
                .isInstanceOf(KubeApiException.NotFoundException.class);
    }

    @Test
    void finalizeChangesOnlyTheSpecFinalizersOfALiveNamespace() {
        ObjectNode ns = createNamespace("keep");
        ObjectNode edited = withSpecFinalizers(ns, "kubernetes", "example.com/mine");
        edited.with("metadata").with("labels").put("sneaked", "in");

        ObjectNode stored = store.finalizeNamespace("keep", edited).json();

        assertThat(stored.at("/spec/finalizers").toString()).isEqualTo("[\"kubernetes\",\"example.com/mine\"]");
        assertThat(stored.at("/metadata/labels/sneaked").isMissingNode()).isTrue();
    }

    @Test
    void anUpdateOrPatchKeepsTheSpecFinalizersAsStored() {
        ObjectNode ns = createNamespace("steady");
        ObjectNode emptied = withSpecFinalizers(ns);
        emptied.with("metadata").with("labels").put("team", "a");

        ObjectNode updated = store.update(NAMESPACES, null, "steady", emptied, WriteOptions.DEFAULT).json();
        ObjectNode patched = store.patch(NAMESPACES, null, "steady", io.kardia.core.client.PatchType.MERGE,
                "{\"spec\":{\"finalizers\":[\"example.com/other\"]}}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                WriteOptions.DEFAULT).json();

        assertThat(updated.at("/metadata/labels/team").asText()).isEqualTo("a");
        assertThat(updated.at("/spec/finalizers").toString()).isEqualTo("[\"kubernetes\"]");
        assertThat(patched.at("/spec/finalizers").toString()).isEqualTo("[\"kubernetes\"]");
        // Deleting it still waits for the finalizer the update tried to drop.
        store.delete(NAMESPACES, null, "steady", null);
        assertThat(store.get(NAMESPACES, null, "steady", null).json().at("/status/phase").asText()).isEqualTo("Terminating");
    }

    @Test
    void finalizeRefusesABadFinalizerNameAndAStaleResourceVersion() {
        ObjectNode ns = createNamespace("strict");
        assertThatThrownBy(() -> store.finalizeNamespace("strict", withSpecFinalizers(ns, "not a name")))
                .isInstanceOfSatisfying(KubeApiException.InvalidException.class, e ->
                        assertThat(e.status().details().causes()).singleElement()
                                .satisfies(c -> assertThat(c.field()).isEqualTo("spec.finalizers[0]")));

        store.finalizeNamespace("strict", withSpecFinalizers(ns, "kubernetes", "example.com/a"));
        assertThatThrownBy(() -> store.finalizeNamespace("strict", withSpecFinalizers(ns, "kubernetes")))
                .as("ns still carries the resourceVersion from before the previous finalize")
                .isInstanceOf(KubeApiException.ConflictException.class);
        assertThatThrownBy(() -> store.finalizeNamespace("absent", withSpecFinalizers(ns)))
                .isInstanceOf(KubeApiException.NotFoundException.class);
    }
}
