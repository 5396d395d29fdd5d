package io.kardia.runtime;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.kardia.core.model.KubeObject;
import io.kardia.informer.SharedInformer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * Read-your-writes for the manager's client: each successful write through it leaves a fence (the
 * written object's key, uid and resourceVersion, or that it was deleted), and a cache read of that
 * kind waits, for at most a bound, until the informer has caught up with every fence it concerns.
 * A read that the informer does not catch up with in time goes to the API instead. Fences whose
 * informer caught up are dropped; unread ones expire after a minute.
 *
 * <p>resourceVersions are compared as numbers (kube-apiserver's and the reference store's are
 * etcd-style revisions); a non-numeric one leaves no fence.
 */
final class WriteFences {
    private static final long PARK_NANOS = 200_000;

    /** What the cache must reflect: the write of {@code key} at {@code rv}, or its deletion. */
    private record Fence(String groupResource, String key, String uid, long rv, boolean deleted) {
    }

    private final Cache<String, Fence> fences;
    private final Duration bound;
    private final ManagerClock clock;

    /** @param bound how long a read waits for the informer before it reads from the API instead */
    WriteFences(Duration bound) {
        this(bound, ManagerClock.system());
    }

    WriteFences(Duration bound, ManagerClock clock) {
        this.bound = bound;
        this.clock = clock;
        Caffeine<Object, Object> b = Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(1));
        if (!(clock instanceof ManagerClock.SystemManagerClock)) {
            b = b.ticker(clock::nanoTime).executor(Runnable::run); // no maintenance on a pool outside the clock's world
        }
        this.fences = b.build();
    }

    Duration bound() {
        return bound;
    }

    /** Records a successful create, update or patch (the object the API answered). */
    void wrote(String groupResource, KubeObject written) {
        record(groupResource, written, false);
    }

    /** Records a successful delete (the object's last state as the API answered; null: unknown). */
    void deleted(String groupResource, String key, KubeObject last) {
        if (last == null) {
            put(new Fence(groupResource, key, null, -1, true));
            return;
        }
        record(groupResource, last, true);
    }

    private void record(String groupResource, KubeObject o, boolean deleted) {
        long rv = numeric(o.metadata().resourceVersion());
        if (rv < 0 && !deleted) {
            return;
        }
        put(new Fence(groupResource, o.key(), o.metadata().uid(), rv, deleted));
    }

    /**
     * Keeps the newest fence per key. Writers sharing a key finish in any order: a slower writer's
     * older revision must not replace a newer one, or the newer writer's read would wait only for
     * the older revision and could see it. Revisions are global, so they order writes across uids.
     */
    private void put(Fence f) {
        fences.asMap().merge(f.groupResource() + " " + f.key(), f,
                (old, nu) -> nu.rv() >= 0 && old.rv() > nu.rv() ? old : nu);
    }

    /**
     * Waits until {@code informer} reflects the fence on {@code key} (if any), at most the bound.
     *
     * @return false if it did not catch up in time: the caller must read from the API
     */
    <T extends KubeObject> boolean awaitKey(SharedInformer<T> informer, String groupResource, String key) {
        Fence f = fences.getIfPresent(groupResource + " " + key);
        if (f == null) {
            return true;
        }
        return await(informer, f);
    }

    /** Waits until {@code informer} reflects every fence of its kind, at most the bound. */
    <T extends KubeObject> boolean awaitAll(SharedInformer<T> informer, String groupResource) {
        for (Map.Entry<String, Fence> e : fences.asMap().entrySet()) {
            if (e.getValue().groupResource().equals(groupResource) && !await(informer, e.getValue())) {
                return false;
            }
        }
        return true;
    }

    private <T extends KubeObject> boolean await(SharedInformer<T> informer, Fence f) {
        long deadline = clock.nanoTime() + bound.toNanos();
        while (!reflects(informer, f)) {
            if (clock.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
                return false;
            }
            LockSupport.parkNanos(PARK_NANOS);
        }
        fences.asMap().remove(f.groupResource() + " " + f.key(), f); // caught up: later reads need not wait
        return true;
    }

    private static <T extends KubeObject> boolean reflects(SharedInformer<T> informer, Fence f) {
        if (f.rv() >= 0 && numeric(informer.lastSyncResourceVersion()) >= f.rv()) {
            return true; // the cache has every change up to the write (and perhaps newer ones)
        }
        T cached = informer.indexer().getByKey(f.key()).orElse(null);
        if (f.deleted()) {
            return cached == null || !Objects.equals(cached.metadata().uid(), f.uid())
                    || numeric(cached.metadata().resourceVersion()) > f.rv();
        }
        return cached != null && (!Objects.equals(cached.metadata().uid(), f.uid())
                || numeric(cached.metadata().resourceVersion()) >= f.rv());
    }

    private static long numeric(String rv) {
        if (rv == null || rv.isEmpty() || rv.length() > 18) {
            return -1;
        }
        for (int i = 0; i < rv.length(); i++) {
            if (rv.charAt(i) < '0' || rv.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(rv);
    }
}
