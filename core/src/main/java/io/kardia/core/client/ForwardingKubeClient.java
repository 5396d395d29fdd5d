package io.kardia.core.client;

import io.kardia.core.model.KubeObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ResourceType;
import java.util.Objects;

/**
 * A {@link KubeClient} that passes every call to another one: extend it and override only what a
 * decorator changes (writes counted or fenced, faults injected in tests), so a method added to
 * {@code KubeClient} is forwarded here once instead of in every decorator.
 */
public abstract class ForwardingKubeClient implements KubeClient {
    private final KubeClient delegate;

    protected ForwardingKubeClient(KubeClient delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The client calls are forwarded to. */
    protected KubeClient delegate() {
        return delegate;
    }

    @Override
    public <T extends KubeObject> ResourceClient<T> resources(ResourceType<T> type) {
        return delegate.resources(type);
    }

    @Override
    public void bindPod(String namespace, String podName, String nodeName) {
        delegate.bindPod(namespace, podName, nodeName);
    }

    @Override
    public ServerResources discoverResources() {
        return delegate.discoverResources();
    }

    @Override
    public Namespace finalizeNamespace(Namespace namespace) {
        return delegate.finalizeNamespace(namespace);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
