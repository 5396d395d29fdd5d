package io.kardia.runtime;

import io.kardia.core.client.KubeClient;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;

/**
 * The manager's client (controller-runtime's {@code Client}): reads come from the shared informer
 * cache and may lag behind the API server; writes go to the API.
 *
 * <p>Deliberately not a {@link io.kardia.core.client.KubeClient}, and its per-kind
 * {@link CachedResources} not a {@link io.kardia.core.client.ResourceClient}: code that must
 * re-read fresh state, such as {@link StatusUpdates} and {@link Conflicts} after a conflict,
 * takes the API client ({@link Manager#apiClient()}, controller-runtime's {@code APIReader}), so
 * handing it the cache does not compile.
 */
public interface CachedClient {

    <T extends KubeObject> CachedResources<T> resources(ResourceType<T> type);

    /**
     * A CachedClient without a cache: reads go straight to {@code api} (controller-runtime's
     * client.New), for tests and tools that have no manager.
     */
    static CachedClient direct(KubeClient api) {
        return new CachedKubeClient(api, null, null, null);
    }

    /** For a built-in kind, e.g. {@code resources(ConfigMap.class)}. */
    default <T extends KubeObject> CachedResources<T> resources(Class<T> type) {
        return resources(ResourceTypes.of(type));
    }
}
