package io.kardia.runtime;

import io.kardia.core.client.KubeApiException.ConflictException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.KubeObject;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * client-go's {@code retry.RetryOnConflict}: a write made with optimistic concurrency (the
 * object's resourceVersion) fails with a conflict when the object moved on since it was read;
 * re-read it and write again, a few times, then give up with the conflict (the reconcile is
 * retried). What "re-read" means is the caller's decision: the same object again, or nothing more
 * to do (gone, replaced, no longer wanted), or failure because the decision no longer holds.
 */
public final class Conflicts {
    /** Retries after the first attempt, as client-go's {@code retry.DefaultRetry} (5 steps). */
    public static final int DEFAULT_RETRIES = 4;

    private Conflicts() {
    }

    /** What to write next after a conflict. */
    @FunctionalInterface
    public interface Reread<T> {
        /**
         * The object to write again, freshly read; empty when nothing is left to write. Throw
         * {@code conflict} (or anything else) when the write no longer makes sense.
         */
        Optional<T> fresh(T stale, ConflictException conflict);
    }

    /**
     * Runs {@code write} on {@code object}; on a conflict, asks {@code reread} for a fresh version
     * and writes again, at most {@link #DEFAULT_RETRIES} more times.
     *
     * @return what the last {@code write} returned; empty when {@code reread} ended it
     * @throws ConflictException the last conflict, when the retries are used up
     */
    public static <T, R> Optional<R> retryOnConflict(T object, Function<? super T, ? extends R> write, Reread<T> reread) {
        return retryOnConflict(DEFAULT_RETRIES, object, write, reread);
    }

    /** As {@link #retryOnConflict(Object, Function, Reread)} with {@code retries} retries. */
    public static <T, R> Optional<R> retryOnConflict(int retries, T object, Function<? super T, ? extends R> write,
                                                     Reread<T> reread) {
        Objects.requireNonNull(write, "write");
        Objects.requireNonNull(reread, "reread");
        T current = Objects.requireNonNull(object, "object");
        for (int attempt = 0; ; attempt++) {
            try {
                return Optional.ofNullable(write.apply(current));
            } catch (ConflictException conflict) {
                if (attempt >= retries) {
                    throw conflict;
                }
                Optional<T> fresh = reread.fresh(current, conflict);
                if (fresh.isEmpty()) {
                    return Optional.empty();
                }
                current = fresh.get();
            }
        }
    }

    /**
     * Re-reads the object through the API client; empty when it is gone or was replaced by a new
     * object of the same name (another uid): an edit meant for the old one has nothing to do.
     */
    public static <T extends KubeObject> Reread<T> sameObject(ResourceClient<T> api) {
        Objects.requireNonNull(api, "api");
        return (stale, conflict) -> api.find(stale.metadata().namespace(), stale.metadata().name())
                .filter(fresh -> Objects.equals(fresh.metadata().uid(), stale.metadata().uid()));
    }

    /**
     * Re-reads the object through the API client and goes on only if what the write was decided
     * on is unchanged (typically the spec: another writer's status update is no reason to stop);
     * otherwise, or when the object is gone or replaced, fails with the conflict.
     */
    public static <T extends KubeObject> Reread<T> ifUnchanged(ResourceClient<T> api, Function<? super T, ?> decidedOn) {
        Objects.requireNonNull(decidedOn, "decidedOn");
        Reread<T> same = sameObject(api);
        return (stale, conflict) -> {
            T fresh = same.fresh(stale, conflict).orElseThrow(() -> conflict);
            if (!Objects.equals(decidedOn.apply(fresh), decidedOn.apply(stale))) {
                throw conflict;
            }
            return Optional.of(fresh);
        };
    }
}
