package io.kardia.runtime;

import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.KubeApiException.NotFoundException;
import io.kardia.core.client.ListOptions;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectList;
import io.kardia.core.model.ResourceType;
import java.util.Optional;

/**
 * One kind through the {@link CachedClient}: {@code get}, {@code find} and plain {@code list}s
 * (no field selector, no paging) are served by the synced informer cache, so they may be a little
 * stale; other reads and every write go to the API, with optimistic concurrency, so a write based
 * on a stale read fails with a conflict instead of overwriting newer state.
 */
public interface CachedResources<T extends KubeObject> {

    ResourceType<T> type();

    /** @throws NotFoundException when there is no such object (in the cache) */
    T get(String namespace, String name);

    default Optional<T> find(String namespace, String name) {
        try {
            return Optional.of(get(namespace, name));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    ObjectList<T> list(String namespace, ListOptions options);

    default ObjectList<T> list(String namespace) {
        return list(namespace, ListOptions.all());
    }

    T create(T object, WriteOptions options);

    default T create(T object) {
        return create(object, WriteOptions.DEFAULT);
    }

    T update(T object, WriteOptions options);

    default T update(T object) {
        return update(object, WriteOptions.DEFAULT);
    }

    T updateStatus(T object, WriteOptions options);

    default T updateStatus(T object) {
        return updateStatus(object, WriteOptions.DEFAULT);
    }

    T patch(String namespace, String name, PatchType type, String patch, WriteOptions options);

    default T patch(String namespace, String name, PatchType type, String patch) {
        return patch(namespace, name, type, patch, WriteOptions.DEFAULT);
    }

    /**
     * Server-side apply (to the API, never the cache): {@code configuration} holds exactly the
     * fields {@code fieldManager} owns; see {@link io.kardia.core.client.ResourceClient#apply}.
     */
    default T apply(T configuration, String fieldManager) {
        return apply(configuration, WriteOptions.apply(fieldManager));
    }

    default T apply(T configuration, WriteOptions options) {
        return patch(configuration.metadata().namespace(), configuration.metadata().name(), PatchType.APPLY,
                io.kardia.core.client.ApplyConfigurations.body(type(), configuration), options);
    }

    T delete(String namespace, String name, DeleteOptions options);

    default T delete(String namespace, String name) {
        return delete(namespace, name, DeleteOptions.DEFAULT);
    }
}
