package io.kardia.informer;

import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Container;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Pods the reference store accepts, and the store's state as key -> resourceVersion. */
final class StorePods {
    private StorePods() {
    }

    static Pod newPod(String namespace, String name, Map<String, String> labels) {
        return Pod.of(ObjectMeta.builder().namespace(namespace).name(name).labels(labels).build(),
                PodSpec.of(Container.of("app", "registry.example/app:1")));
    }

    static Pod relabeled(Pod pod, String key, String value) {
        return pod.withMetadata(pod.metadata().toBuilder().label(key, value).build());
    }

    static Map<String, String> versions(List<Pod> pods) {
        Map<String, String> out = new HashMap<>();
        for (Pod p : pods) {
            out.put(p.key(), p.metadata().resourceVersion());
        }
        return out;
    }

    static Map<String, String> storeVersions(ResourceClient<Pod> pods) {
        return versions(pods.list(null).items());
    }
}
