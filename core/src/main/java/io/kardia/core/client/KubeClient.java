package io.kardia.core.client;

import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;

/**
 * The one client API. Informers, controllers and tests use it the same way whether it talks HTTP
 * to a real cluster or in-process to the reference store.
 */
public interface KubeClient extends AutoCloseable {

    /** A client for one kind. Cheap: call it as often as convenient. */
    <T extends KubeObject> ResourceClient<T> resources(ResourceType<T> type);

    /** A client for a built-in kind, e.g. {@code resources(Pod.class)}. */
    default <T extends KubeObject> ResourceClient<T> resources(Class<T> type) {
        return resources(ResourceTypes.of(type));
    }

    @Override
    void close();
}
