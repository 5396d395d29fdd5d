package io.kardia.core.client;

import io.kardia.core.model.KubeObject;
import java.util.function.Supplier;

/**
 * A resource client that routes every write (create, update, status, patch — and so apply —,
 * delete, delete collection) through one {@link #write} hook, so that a wrapper that checks or
 * changes writes (a deposed leader's fence, a simulation's faults and a manager's link) cannot miss a
 * write path.
 */
public abstract class WriteInterceptingResources<T extends KubeObject> extends ForwardingResourceClient<T> {
    protected WriteInterceptingResources(ResourceClient<T> delegate) {
        super(delegate);
    }

    /**
     * Makes the write {@code call}.
     *
     * @param verb create, update, update status, patch, patch status, delete, delete collection
     * @param name the object's name ({@code prefix*} for a create with generateName; null for delete collection)
     */
    protected abstract <R> R write(String verb, String namespace, String name, Supplier<R> call);

    @Override
    public T create(T object, WriteOptions options) {
        String name = object.metadata().name() != null ? object.metadata().name() : object.metadata().generateName() + "*";
        return write("create", object.metadata().namespace(), name, () -> super.create(object, options));
    }

    @Override
    public T update(T object, WriteOptions options) {
        return write("update", object.metadata().namespace(), object.metadata().name(), () -> super.update(object, options));
    }

    @Override
    public T updateStatus(T object, WriteOptions options) {
        return write("update status", object.metadata().namespace(), object.metadata().name(),
                () -> super.updateStatus(object, options));
    }

    @Override
    public T patch(String namespace, String name, PatchType type, String patch, WriteOptions options) {
        return write("patch", namespace, name, () -> super.patch(namespace, name, type, patch, options));
    }

    @Override
    public T patchStatus(String namespace, String name, PatchType type, String patch, WriteOptions options) {
        return write("patch status", namespace, name, () -> super.patchStatus(namespace, name, type, patch, options));
    }

    @Override
    public T delete(String namespace, String name, DeleteOptions options) {
        return write("delete", namespace, name, () -> super.delete(namespace, name, options));
    }

    @Override
    public void deleteCollection(String namespace, ListOptions selection, DeleteOptions options) {
        write("delete collection", namespace, null, () -> {
            super.deleteCollection(namespace, selection, options);
            return null;
        });
    }
}
