package io.kardia.controllers.statefulset;

import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every pod event of a namespace in the order the store sent them, each with the state of all pods
 * just before it: ordering properties ("web-1 appeared only once web-0 was ready") are checked on it.
 */
final class PodTimeline implements AutoCloseable {
    /** One event: its type, the pod, and every other pod as it was just before. */
    record Step(WatchEvent.Type type, Pod pod, Map<String, Pod> before) {
        String name() {
            return pod.metadata().name();
        }
    }

    private final Watch<Pod> watch;
    private final Thread reader;
    private final List<Step> steps = new ArrayList<>();

    PodTimeline(ResourceClient<Pod> pods, String namespace) {
        this.watch = pods.watch(namespace, WatchOptions.from(null));
        this.reader = Thread.ofVirtual().start(() -> {
            Map<String, Pod> state = new HashMap<>();
            try {
                for (WatchEvent<Pod> e; (e = watch.next()) != null; ) {
                    if (e.type() == WatchEvent.Type.BOOKMARK || e.type() == WatchEvent.Type.ERROR) {
                        continue;
                    }
                    Pod p = e.object();
                    synchronized (steps) {
                        steps.add(new Step(e.type(), p, Map.copyOf(state)));
                    }
                    if (e.type() == WatchEvent.Type.DELETED) {
                        state.remove(p.metadata().name());
                    } else {
                        state.put(p.metadata().name(), p);
                    }
                }
            } catch (Exception closed) {
                // the watch ends with the test
            }
        });
    }

    List<Step> steps() {
        synchronized (steps) {
            return List.copyOf(steps);
        }
    }

    List<Step> steps(WatchEvent.Type type) {
        return steps().stream().filter(s -> s.type() == type).toList();
    }

    @Override
    public void close() throws InterruptedException {
        watch.close();
        reader.join();
    }
}
