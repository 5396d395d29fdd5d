package io.kardia.store.client;

import io.kardia.core.client.ApiResource;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.ServerResources;
import io.kardia.core.json.Json;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ResourceType;
import io.kardia.store.ReferenceStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** core's {@link KubeClient} talking to a {@link ReferenceStore} in the same JVM. */
public final class InProcessKubeClient implements KubeClient {
    private static final Set<String> SERVED_VERBS =
            Set.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    private final ReferenceStore store;

    public InProcessKubeClient(ReferenceStore store) {
        this.store = store;
    }

    @Override
    public <T extends KubeObject> ResourceClient<T> resources(ResourceType<T> type) {
        return new InProcessResourceClient<>(store, type);
    }

    @Override
    public void bindPod(String namespace, String podName, String nodeName) {
        store.bind(namespace, podName, nodeName, null);
    }

    /** The store's served types; it serves one version of each, with every verb. */
    @Override
    public ServerResources discoverResources() {
        List<ApiResource> found = new ArrayList<>();
        for (ResourceType<?> t : store.types().preferred()) {
            found.add(new ApiResource(ResourceType.generic(t.group(), t.version(), t.kind(), t.plural(), t.namespaced()),
                    SERVED_VERBS));
        }
        return new ServerResources(found, Map.of());
    }

    @Override
    public Namespace finalizeNamespace(Namespace namespace) {
        return store.finalizeNamespace(namespace.metadata().name(), Json.toTree(namespace)).decode(Namespace.class);
    }

    /** The store stays open: it belongs to whoever opened it. */
    @Override
    public void close() {
    }
}
