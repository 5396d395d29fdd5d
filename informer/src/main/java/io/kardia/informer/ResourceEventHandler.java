package io.kardia.informer;

import io.kardia.core.model.KubeObject;
import java.util.function.Consumer;

/**
 * Receives an informer's notifications for one kind. Each registered handler runs on its own
 * dispatcher thread and sees each key's notifications in the order the cache applied them; a slow
 * handler only delays itself. Objects passed in are the cached immutable instances: never copied,
 * never to be changed.
 *
 * <p>Handlers are edge hints for level-triggered controllers: enqueue a key, don't keep state.
 * An exception thrown here is logged and the handler keeps receiving notifications.
 */
public interface ResourceEventHandler<T extends KubeObject> {

    /**
     * An object appeared in the cache.
     *
     * @param isInInitialList true when it came from the informer's first list, or from the
     *                        current contents replayed to a handler added after start
     */
    default void onAdd(T obj, boolean isInInitialList) {
    }

    /**
     * An object changed; on a resync, {@code oldObj == newObj} (same instance) and nothing changed.
     */
    default void onUpdate(T oldObj, T newObj) {
    }

    /**
     * An object left the cache.
     *
     * @param obj               its last state: the one the DELETED event carried, or, when
     *                          {@code finalStateUnknown}, the last state this cache knew
     * @param finalStateUnknown true for a tombstone: the deletion was inferred from a relist that
     *                          no longer contained the object (its DELETED event was missed), as
     *                          client-go's {@code DeletedFinalStateUnknown}
     */
    default void onDelete(T obj, boolean finalStateUnknown) {
    }

    /**
     * A handler for views that only care about each object's latest state: adds and updates
     * (resyncs included) go to {@code changed} with the newest object, deletions (tombstones
     * included) to {@code removed}.
     */
    static <T extends KubeObject> ResourceEventHandler<T> latestState(Consumer<? super T> changed,
                                                                      Consumer<? super T> removed) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj, boolean isInInitialList) {
                changed.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                changed.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean finalStateUnknown) {
                removed.accept(obj);
            }
        };
    }
}
