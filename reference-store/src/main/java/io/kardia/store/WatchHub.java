package io.kardia.store;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fans committed changes out to the watchers of their resource. Called in revision order under the
 * store's visibility lock; the cost per write is one filter check per watcher of that resource.
 */
final class WatchHub {
    private final Map<String, List<StoreWatch>> byResource = new ConcurrentHashMap<>();

    void register(StoreWatch w) {
        byResource.computeIfAbsent(w.resource, r -> new CopyOnWriteArrayList<>()).add(w);
    }

    void unregister(StoreWatch w) {
        List<StoreWatch> l = byResource.get(w.resource);
        if (l != null) {
            l.remove(w);
        }
    }

    void publish(ChangeEvent e) {
        List<StoreWatch> l = byResource.get(e.resource());
        if (l != null && !l.isEmpty()) {
            StoreEvent asIs = new StoreEvent(e.type(), e.object(), null);
            for (StoreWatch w : l) {
                w.offer(e, asIs);
            }
        }
    }

    void bookmark(long revision) {
        for (List<StoreWatch> l : byResource.values()) {
            for (StoreWatch w : l) {
                w.offerBookmark(revision);
            }
        }
    }

    /** Ends every watch of a resource (its CustomResourceDefinition was deleted). */
    void endAll(String resource) {
        List<StoreWatch> l = byResource.remove(resource);
        if (l != null) {
            l.forEach(StoreWatch::close);
        }
    }

    void closeAll() {
        byResource.values().forEach(l -> l.forEach(StoreWatch::close));
    }

    int watcherCount() {
        return byResource.values().stream().mapToInt(List::size).sum();
    }
}
