package io.kardia.controllers.workload;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.model.Pod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Lists, then watches, the pods of a namespace and hands the whole set, as of each event, to a check. */
final class PodWatcher implements AutoCloseable {
    private final Watch<Pod> watch;
    private final Thread thread;
    private final Map<String, Pod> current = new HashMap<>();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();

    PodWatcher(KubeClient client, String namespace, Consumer<Map<String, Pod>> check) {
        var list = client.resources(Pod.class).list(namespace);
        list.items().forEach(p -> current.put(p.metadata().name(), p));
        this.watch = client.resources(Pod.class).watch(namespace, WatchOptions.from(list.resourceVersion()));
        this.thread = Thread.ofVirtual().start(() -> {
            try {
                for (WatchEvent<Pod> e; (e = watch.next()) != null; ) {
                    switch (e.type()) {
                        case ADDED, MODIFIED -> current.put(e.object().metadata().name(), e.object());
                        case DELETED -> current.remove(e.object().metadata().name());
                        default -> {
                            continue;
                        }
                    }
                    try {
                        check.accept(Map.copyOf(current));
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Override
    public void close() throws InterruptedException {
        watch.close();
        thread.join();
    }
}
