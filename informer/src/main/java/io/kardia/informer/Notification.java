package io.kardia.informer;

import io.kardia.core.model.KubeObject;

/** One queued call to a handler, stamped with when the cache produced it (for lag metrics). */
sealed interface Notification<T extends KubeObject> {
    long enqueuedNanos();

    record Add<T extends KubeObject>(T obj, boolean initial, long enqueuedNanos) implements Notification<T> {
    }

    record Update<T extends KubeObject>(T oldObj, T newObj, long enqueuedNanos) implements Notification<T> {
    }

    record Delete<T extends KubeObject>(T obj, boolean finalStateUnknown, long enqueuedNanos) implements Notification<T> {
    }

    /** Everything before it in the queue was the initial contents: the handler has synced. */
    record Synced<T extends KubeObject>(long enqueuedNanos) implements Notification<T> {
    }
}
