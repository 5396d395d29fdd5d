package io.kardia.controllers.workload;

import io.kardia.core.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Pods a controller created or deleted and has not yet seen in its cache, per owner key (client-go's
 * {@code UIDTrackingControllerExpectations}): while any are outstanding the owner must not be
 * scaled again, or it would create (delete) the same pods twice. Expectations are checked against
 * the cache at sync time, so no event can be missed: a created pod is observed when the cache holds
 * it, or has synced past the revision it was created at (it may already be gone again); a deleted
 * pod when the cache no longer holds it alive. After {@link #DEFAULT_TTL} they lapse, as in
 * client-go, so a lost observation cannot wedge an owner for good.
 */
public final class PodExpectations {
    /** client-go's {@code ExpectationsTimeout}. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);

    private record Pending(Map<String, Long> creates, Map<String, String> deletes, Instant since) {
    }

    private final Map<String, Pending> byOwner = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final Clock clock;

    public PodExpectations() {
        this(DEFAULT_TTL, Clock.systemUTC());
    }

    public PodExpectations(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Records a pod this owner created (its name and the revision of the create, or -1 if unknown). */
    public void created(String ownerKey, String podName, long revision) {
        pending(ownerKey).creates().put(podName, revision);
    }

    /** Records a pod this owner deleted (name and uid). */
    public void deleted(String ownerKey, String podName, String uid) {
        pending(ownerKey).deletes().put(podName, uid);
    }

    /**
     * Drops the expectation of a delete that failed (client-go's {@code DeletionObserved} on an
     * error): the pod stays alive, so waiting to see it go would stall the owner until the
     * expectations lapse.
     */
    public void deleteFailed(String ownerKey, String podName) {
        Pending p = byOwner.get(ownerKey);
        if (p != null) {
            p.deletes().remove(podName);
        }
    }

    private Pending pending(String ownerKey) {
        return byOwner.computeIfAbsent(ownerKey,
                k -> new Pending(new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), clock.instant()));
    }

    /**
     * Whether the owner may be scaled: every expectation observed (they are then forgotten) or lapsed.
     *
     * @param lookup      the cached pod of a name in the owner's namespace
     * @param cacheRevision the revision the cache has synced to, or -1 if unknown
     */
    public boolean satisfied(String ownerKey, Function<String, Optional<Pod>> lookup, long cacheRevision) {
        Pending p = byOwner.get(ownerKey);
        if (p == null) {
            return true;
        }
        p.creates().entrySet().removeIf(e -> lookup.apply(e.getKey()).isPresent()
                || (e.getValue() >= 0 && cacheRevision >= e.getValue()));
        p.deletes().entrySet().removeIf(e -> lookup.apply(e.getKey())
                .filter(pod -> e.getValue().equals(pod.metadata().uid()) && pod.metadata().deletionTimestamp() == null)
                .isEmpty());
        if (p.creates().isEmpty() && p.deletes().isEmpty()) {
            byOwner.remove(ownerKey, p);
            return true;
        }
        if (lapsed(p)) {
            byOwner.remove(ownerKey, p);
            return true;
        }
        return false;
    }

    /** How long until the owner's expectations lapse, if it has any. */
    public Optional<Duration> remaining(String ownerKey) {
        Pending p = byOwner.get(ownerKey);
        if (p == null) {
            return Optional.empty();
        }
        Duration left = Duration.between(clock.instant(), p.since().plus(ttl));
        return Optional.of(left.isNegative() ? Duration.ZERO : left);
    }

    /**
     * Lapsed from the deadline itself on: a requeue after {@link #remaining} wakes exactly then,
     * and must find them lapsed, not be told to wait zero more (a hot loop until the clock ticks,
     * forever on a virtual clock).
     */
    private boolean lapsed(Pending p) {
        return !clock.instant().isBefore(p.since().plus(ttl));
    }

    /** Forgets an owner (it was deleted). */
    public void forget(String ownerKey) {
        byOwner.remove(ownerKey);
    }
}
