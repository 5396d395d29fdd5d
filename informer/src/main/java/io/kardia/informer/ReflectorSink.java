package io.kardia.informer;

import io.kardia.core.client.WatchEvent;
import io.kardia.core.model.KubeObject;
import java.util.List;

/** Where a {@link Reflector} delivers what it lists and watches; called from its one thread, in order. */
public interface ReflectorSink<T extends KubeObject> {

    /**
     * The complete state at {@code resourceVersion}: replaces the cache's contents (objects not
     * in {@code items} are gone).
     *
     * @param initial true for the reflector's first list, false for a relist
     */
    void replace(List<T> items, String resourceVersion, boolean initial);

    /** One ADDED, MODIFIED or DELETED event from the watch. */
    void apply(WatchEvent.Type type, T object);
}
