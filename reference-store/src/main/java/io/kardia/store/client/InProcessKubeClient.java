package io.kardia.store.client;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ResourceType;
import io.kardia.store.ReferenceStore;

/** core's {@link KubeClient} talking to a {@link ReferenceStore} in the same JVM. */
public final class InProcessKubeClient implements KubeClient {
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

    /** The store stays open: it belongs to whoever opened it. */
    @Override
    public void close() {
    }
}
