package io.kardia.core.client;

import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectList;
import io.kardia.core.model.ResourceType;
import java.util.Objects;

/**
 * A {@link ResourceClient} that passes every call to another one: extend it and override only
 * what a decorator changes (reads served from a cache, writes counted, faults injected in tests).
 *
 * <p>{@link #listPages} is deliberately not forwarded: it pages through this class's
 * {@link #list}, so a decorator of {@code list} also sees paged lists (an informer's). A
 * decorator that leaves lists alone may forward it to keep the transport's read-ahead.
 */
public abstract class ForwardingResourceClient<T extends KubeObject> implements ResourceClient<T> {
    private final ResourceClient<T> delegate;

    protected ForwardingResourceClient(ResourceClient<T> delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The client calls are forwarded to. */
    protected ResourceClient<T> delegate() {
        return delegate;
    }

    @Override
    public ResourceType<T> type() {
        return delegate.type();
    }

    @Override
    public T get(String namespace, String name) {
        return delegate.get(namespace, name);
    }

    @Override
    public ObjectList<T> list(String namespace, ListOptions options) {
        return delegate.list(namespace, options);
    }

    @Override
    public Watch<T> watch(String namespace, WatchOptions options) {
        return delegate.watch(namespace, options);
    }

    @Override
    public T create(T object, WriteOptions options) {
        return delegate.create(object, options);
    }

    @Override
    public T update(T object, WriteOptions options) {
        return delegate.update(object, options);
    }

    @Override
    public T updateStatus(T object, WriteOptions options) {
        return delegate.updateStatus(object, options);
    }

    @Override
    public T patch(String namespace, String name, PatchType type, String patch, WriteOptions options) {
        return delegate.patch(namespace, name, type, patch, options);
    }

    @Override
    public T patchStatus(String namespace, String name, PatchType type, String patch, WriteOptions options) {
        return delegate.patchStatus(namespace, name, type, patch, options);
    }

    @Override
    public T delete(String namespace, String name, DeleteOptions options) {
        return delegate.delete(namespace, name, options);
    }

    @Override
    public void deleteCollection(String namespace, ListOptions selection, DeleteOptions options) {
        delegate.deleteCollection(namespace, selection, options);
    }
}
