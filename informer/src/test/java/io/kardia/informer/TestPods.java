package io.kardia.informer;

import io.kardia.core.client.WatchEvent;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.core.model.Status;
import java.util.Map;

/** Small pods and events for unit tests. */
final class TestPods {
    static final ResourceType<Pod> TYPE = ResourceTypes.of(Pod.class);

    private TestPods() {
    }

    static Pod pod(String namespace, String name, long rv) {
        return pod(namespace, name, rv, Map.of());
    }

    static Pod pod(String namespace, String name, long rv, Map<String, String> labels) {
        return Pod.of(ObjectMeta.builder().namespace(namespace).name(name).resourceVersion(Long.toString(rv))
                .labels(labels).build(), PodSpec.builder().build());
    }

    static Pod onNode(Pod pod, String node) {
        return pod.withSpec(pod.spec().withNodeName(node));
    }

    static WatchEvent<Pod> added(Pod p) {
        return new WatchEvent<>(WatchEvent.Type.ADDED, p, null);
    }

    static WatchEvent<Pod> modified(Pod p) {
        return new WatchEvent<>(WatchEvent.Type.MODIFIED, p, null);
    }

    static WatchEvent<Pod> deleted(Pod p) {
        return new WatchEvent<>(WatchEvent.Type.DELETED, p, null);
    }

    static WatchEvent<Pod> bookmark(long rv) {
        return new WatchEvent<>(WatchEvent.Type.BOOKMARK,
                Pod.of(ObjectMeta.builder().resourceVersion(Long.toString(rv)).build(), null), null);
    }

    static WatchEvent<Pod> gone() {
        return WatchEvent.error(Status.gone("too old resource version"));
    }
}
