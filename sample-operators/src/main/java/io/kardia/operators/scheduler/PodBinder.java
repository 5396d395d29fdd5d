package io.kardia.operators.scheduler;

import io.kardia.store.ReferenceStore;

/**
 * Writes a scheduling decision: POST {@code pods/{name}/binding}. The API refuses to bind a pod
 * that is already bound or being deleted, so two schedulers can never double-book a pod.
 *
 * <p>core's {@code KubeClient} has no call for the binding subresource yet, so this is the
 * scheduler's own small seam: {@link #of(ReferenceStore)} in process, {@link HttpPodBinder} over
 * HTTP(S) to any API server.
 */
@FunctionalInterface
public interface PodBinder {

    /**
     * @throws io.kardia.core.client.KubeApiException.ConflictException if already bound or being deleted
     * @throws io.kardia.core.client.KubeApiException.NotFoundException if the pod is gone
     */
    void bind(String namespace, String podName, String nodeName);

    /** Binds through the in-process reference store (what {@code kardia up} uses). */
    static PodBinder of(ReferenceStore store) {
        return (namespace, podName, nodeName) -> store.bind(namespace, podName, nodeName, null);
    }
}
