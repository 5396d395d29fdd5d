package io.kardia.runtime;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.KubeObject;
import java.util.Objects;
import java.util.Optional;

/**
 * Finalizer helpers for cleanup that must happen before an object goes away (external
 * resources, objects in other namespaces). Writes are conditional on the object's
 * resourceVersion: when the cached object is stale they fail with a conflict, and the reconcile
 * is retried with fresh state.
 *
 * <pre>{@code
 * Optional<Bucket> live = Finalizers.handle(client, bucket, "example.io/cleanup", b -> storage.delete(b));
 * if (live.isEmpty()) return Result.done();   // being deleted: cleaned up, finalizer removed
 * }</pre>
 */
public final class Finalizers {

    private Finalizers() {
    }

    /** What to undo before the object may be deleted; throw to retry later. */
    @FunctionalInterface
    public interface Cleanup<T> {
        void run(T object) throws Exception;
    }

    public static boolean has(KubeObject object, String finalizer) {
        return object.metadata().finalizers().contains(finalizer);
    }

    /** Adds {@code finalizer} unless present; returns the stored object (the same instance if nothing changed). */
    public static <T extends KubeObject> T add(ResourceClient<T> client, T object, String finalizer) {
        requireFinalizer(finalizer);
        if (has(object, finalizer)) {
            return object;
        }
        return client.update(withMetadata(object, object.metadata().toBuilder().finalizer(finalizer).build()));
    }

    /** Removes {@code finalizer} if present; returns the stored object (the same instance if nothing changed). */
    public static <T extends KubeObject> T remove(ResourceClient<T> client, T object, String finalizer) {
        requireFinalizer(finalizer);
        if (!has(object, finalizer)) {
            return object;
        }
        return client.update(withMetadata(object, object.metadata().toBuilder().removeFinalizer(finalizer).build()));
    }

    /**
     * The usual flow in one call: an object that is being deleted gets {@code cleanup} run and the
     * finalizer removed (result: empty, reconcile is done); any other object gets the finalizer
     * added if missing (result: the current object).
     */
    public static <T extends KubeObject> Optional<T> handle(ResourceClient<T> client, T object, String finalizer,
                                                            Cleanup<T> cleanup) throws Exception {
        Objects.requireNonNull(cleanup, "cleanup");
        if (object.metadata().isBeingDeleted()) {
            if (has(object, finalizer)) {
                cleanup.run(object);
                try {
                    remove(client, object, finalizer);
                } catch (KubeApiException.NotFoundException gone) {
                    // Already gone: the cache has not seen the delete yet (an earlier removal went
                    // through, perhaps with its answer lost). Retrying would only fail again until it has.
                }
            }
            return Optional.empty();
        }
        return Optional.of(add(client, object, finalizer));
    }

    @SuppressWarnings("unchecked")
    static <T extends KubeObject> T withMetadata(T object, io.kardia.core.model.ObjectMeta metadata) {
        return (T) object.withMetadata(metadata); // KubeObject.withMetadata keeps the concrete type
    }

    private static void requireFinalizer(String finalizer) {
        if (finalizer == null || finalizer.isBlank() || !finalizer.contains("/")) {
            throw new IllegalArgumentException("a finalizer must be a qualified name such as 'example.io/cleanup', got '"
                    + finalizer + "'");
        }
    }
}
