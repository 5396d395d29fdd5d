package io.kardia.core.client;

import io.kardia.core.model.KubeObject;
import io.kardia.core.model.Namespace;
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

    /**
     * Assigns an unbound pod to a node: POST {@code pods/{name}/binding}, the scheduler's one write.
     * The API server refuses a pod that is already bound or being deleted, so two schedulers can
     * never double-book a pod.
     *
     * @throws KubeApiException.ConflictException if the pod is already bound or being deleted
     * @throws KubeApiException.NotFoundException if there is no such pod
     * @throws KubeApiException.InvalidException if {@code nodeName} is empty
     */
    void bindPod(String namespace, String podName, String nodeName);

    /**
     * Discovery: the resources the server serves ({@code /api/v1}, and {@code /apis/{group}/{version}}
     * of each group's preferred version), subresources left out.
     */
    ServerResources discoverResources();

    /**
     * PUT {@code namespaces/{name}/finalize}: replaces the namespace's {@code spec.finalizers}
     * with those of {@code namespace} (nothing else changes; {@code metadata.resourceVersion}, if
     * set, must match). A Terminating namespace whose last finalizer goes is removed.
     *
     * @return the namespace as written (its last state, when this removed it)
     */
    Namespace finalizeNamespace(Namespace namespace);

    @Override
    void close();
}
