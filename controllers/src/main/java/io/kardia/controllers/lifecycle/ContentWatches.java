package io.kardia.controllers.lifecycle;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClientException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.model.GenericObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the namespace controller when the content it waits for changes, instead of polling: for
 * each kind that still has objects in a Terminating namespace, one watch in that namespace from
 * the revision the controller listed at, so no change after the list is missed. The first change,
 * or the end of any of the streams, wakes the namespace once and closes its watches; the next
 * pass opens new ones if content is still left.
 */
final class ContentWatches implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ContentWatches.class);
    /** Streams end after this long even when nothing changes, so none outlives its controller for long. */
    static final long WATCH_TIMEOUT_SECONDS = 60;

    /** A kind with content left, and the revision it was listed at. */
    record Pending(ResourceClient<GenericObject> objects, String resourceVersion) { }

    private final Map<String, List<Watch<GenericObject>>> open = new ConcurrentHashMap<>();
    private final Consumer<String> wake;

    ContentWatches(Consumer<String> wake) {
        this.wake = wake;
    }

    /**
     * Watches each pending kind in {@code namespace} (closing the namespace's earlier watches).
     * Returns false, with nothing left open, if a watch could not be opened: the caller then
     * looks again after a delay.
     */
    boolean wakeOnChange(String namespace, List<Pending> pending) {
        forget(namespace);
        List<Watch<GenericObject>> watches = new ArrayList<>();
        try {
            for (Pending p : pending) {
                watches.add(p.objects().watch(namespace, new WatchOptions(null, null, p.resourceVersion(), false,
                        WATCH_TIMEOUT_SECONDS)));
            }
        } catch (KubeApiException | KubeClientException e) {
            log.debug("cannot watch the content of namespace {}: {}", namespace, e.getMessage());
            watches.forEach(Watch::close);
            return false;
        }
        open.put(namespace, watches);
        for (Watch<GenericObject> w : watches) {
            Thread.ofVirtual().name("namespace-content-watch-" + namespace).start(() -> awaitChange(namespace, w));
        }
        return true;
    }

    /** Closes the namespace's watches (it is gone, or a new pass replaces them). */
    void forget(String namespace) {
        List<Watch<GenericObject>> watches = open.remove(namespace);
        if (watches != null) {
            watches.forEach(Watch::close);
        }
    }

    private void awaitChange(String namespace, Watch<GenericObject> w) {
        try {
            WatchEvent<GenericObject> e;
            do {
                e = w.next();
            } while (e != null && e.type() == WatchEvent.Type.BOOKMARK);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            log.debug("content watch of namespace {} failed: {}", namespace, e.getMessage());
        }
        // Only the first wake of a pass counts: it closes the pass's other watches.
        List<Watch<GenericObject>> watches = open.get(namespace);
        if (watches != null && watches.contains(w) && open.remove(namespace, watches)) {
            watches.forEach(Watch::close);
            wake.accept(namespace);
        }
    }

    @Override
    public void close() {
        List.copyOf(open.keySet()).forEach(this::forget);
    }
}
