package io.kardia.controllers.gc;

import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ResourceType;
import io.kardia.informer.HandlerRegistration;
import io.kardia.informer.SharedInformer;
import java.util.List;
import java.util.Optional;

/**
 * The collector's view of one served resource: its informer (the collector's share of the graph:
 * objects indexed by their owners' uids), the client that deletes and patches its objects,
 * whether the informer is the collector's own (custom resources, stopped when their kind goes) or
 * shared with the process's other controllers, and when the collector began to monitor it (on the
 * manager's clock: how long its first list has been awaited).
 */
record Monitor<T extends KubeObject>(ResourceType<T> type, SharedInformer<T> informer, ResourceClient<T> client,
                                     boolean ownInformer, HandlerRegistration registration, long startedNanos) {

    /** Whether the informer's first list is in the cache: before it, an object missing from the cache may exist. */
    boolean listed() {
        return informer.hasSynced();
    }

    Optional<T> cached(String namespace, String name) {
        String ns = type.namespaced() ? namespace : null;
        return informer.lister().get(ns == null ? name : ns + "/" + name);
    }

    /** Cached objects with an owner reference to {@code uid}. */
    List<T> dependentsOf(String uid) {
        return informer.indexer().byIndex(GarbageCollector.OWNER_INDEX, uid);
    }

    /** A cached object with this uid, in any namespace (a rare, linear look-up: only for a reference judged dangling). */
    Optional<T> cachedByUid(String uid) {
        return informer.lister().list().stream().filter(o -> uid.equals(o.metadata().uid())).findFirst();
    }

    void stop() {
        registration.remove();
        if (ownInformer) {
            informer.stop();
        }
    }
}
