package io.kardia.controllers.gc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.kardia.controllers.workload.MetadataPatches;
import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.DeleteOptions.PropagationPolicy;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.ResourceType;
import io.kardia.runtime.Conflicts;
import io.kardia.runtime.Request;
import io.kardia.runtime.Result;
import io.kardia.runtime.event.EventRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges one object, as kube-controller-manager's {@code attemptToDeleteItem} and
 * {@code attemptToOrphanWorker} do: an owner being deleted with the {@code orphan} or
 * {@code foregroundDeletion} finalizer has its dependents orphaned or deleted first; a dependent's
 * owner references are classified as solid, dangling or waiting for their dependents' deletion,
 * and the dependent is left alone, loses references, or is deleted accordingly.
 */
final class Collection {
    private static final Logger log = LoggerFactory.getLogger(Collection.class);
    static final String INVALID_NAMESPACE = "OwnerRefInvalidNamespace";
    static final String UNKNOWN_KIND = "OwnerRefKindNotServed";
    /** How soon a dependent whose owner's kind is not served is looked at again (the kind may be coming: a CRD). */
    static final Duration UNKNOWN_KIND_RETRY = Duration.ofSeconds(30);
    /** Discovery read at most this long ago counts as fresh when an owner's kind is unknown. */
    private static final Duration FRESH_DISCOVERY = Duration.ofSeconds(5);
    private static final int CONFLICT_RETRIES = 5;
    /** How soon a judgement put off for a monitor's first list ({@link ResourceMonitors#listed}) is tried again. */
    static final Duration UNLISTED_RETRY = Duration.ofSeconds(1);

    /**
     * {@code SOLID_UNOBSERVED}: present on a live read but not yet in its monitor's cache. Its
     * delete event may never come (it can go before the monitor's first list), so the dependent is
     * judged again until the cache has seen the owner, as kube requeues a virtual node until an
     * informer observes it (kubernetes#56121). {@code UNLISTED}: the monitor of the owner's kind has
     * not finished its first list, so an owner missing from the dependent's namespace may still be
     * one seen elsewhere (reported as such); nothing is decided until it has.
     */
    private enum OwnerState { SOLID, SOLID_UNOBSERVED, DANGLING, WAITING_FOR_DEPENDENTS, UNLISTED }

    private final KubeClient api;
    private final ResourceMonitors monitors;
    private final EventRecorder events;
    private final Consumer<Request> work;
    /**
     * Owners known to be gone (uid, namespace), as kube's absentOwnerCache: a uid never comes
     * back, so the thousands of dependents of one deleted owner cost one live read, not thousands.
     */
    private final Cache<String, Boolean> absentOwners = Caffeine.newBuilder().maximumSize(10_000).build();
    /** How often, at most, the dependents of an owner deleting in the foreground are all queued again. */
    static final Duration REQUEUE_DEPENDENTS_AFTER = Duration.ofSeconds(30);
    /**
     * Owners (uid) deleting in the foreground → when (the manager's nanoTime) their dependents were last queued,
     * by the graph event that showed the owner deleting or by the safety net below.
     */
    private final Cache<String, Long> dependentsQueuedAt;
    /** Live reads of owners in flight, by resource, namespace and name ({@link #liveRead}). */
    private final ConcurrentHashMap<String, CompletableFuture<Optional<? extends KubeObject>>> liveReads =
            new ConcurrentHashMap<>();
    /** References already reported in an Event, so a retried dependent does not repeat it. */
    private final Cache<String, Boolean> reported;

    /**
     * @param ticker the manager's clock, which the caches' one-hour expiry reads (a simulation's is
     *               virtual; their maintenance then runs on the calling thread, not a real pool's)
     */
    Collection(KubeClient api, ResourceMonitors monitors, EventRecorder events, Consumer<Request> work,
               com.github.benmanes.caffeine.cache.Ticker ticker) {
        this.dependentsQueuedAt = Caffeine.newBuilder().maximumSize(10_000).expireAfterAccess(Duration.ofHours(1))
                .ticker(ticker).executor(Runnable::run).build();
        this.reported = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofHours(1))
                .ticker(ticker).executor(Runnable::run).build();
        this.api = api;
        this.work = work;
        this.monitors = monitors;
        this.events = events;
    }

    <T extends KubeObject> Result collect(Monitor<T> monitor, T obj) {
        ObjectMeta m = obj.metadata();
        if (m.deletionTimestamp() != null) {
            boolean gcFinalizer = m.finalizers().contains(GarbageCollector.ORPHAN)
                    || m.finalizers().contains(GarbageCollector.FOREGROUND);
            if (gcFinalizer && !everyMonitorListed(obj)) {
                return Result.requeueAfter(UNLISTED_RETRY); // a dependent not listed yet would be left behind
            }
            if (m.finalizers().contains(GarbageCollector.ORPHAN)) {
                orphanDependents(obj);
                removeFinalizer(monitor, obj, GarbageCollector.ORPHAN);
            } else if (m.finalizers().contains(GarbageCollector.FOREGROUND)) {
                return deleteDependentsFirst(monitor, obj);
            }
            return Result.done(); // being deleted otherwise: its dependents are judged once it is gone
        }
        if (m.ownerReferences().isEmpty()) {
            return Result.done();
        }
        return judgeReferences(monitor, obj);
    }

    private <T extends KubeObject> Result judgeReferences(Monitor<T> monitor, T obj) {
        List<OwnerReference> solid = new ArrayList<>();
        List<OwnerReference> dangling = new ArrayList<>();
        List<OwnerReference> waiting = new ArrayList<>();
        boolean unobserved = false;
        boolean namespaced = obj.metadata().namespace() != null && !obj.metadata().namespace().isEmpty();
        for (OwnerReference ref : obj.metadata().ownerReferences()) {
            Optional<ResourceType<?>> ownerType = monitors.kindOf(ref);
            if (ownerType.isEmpty()) {
                monitors.syncIfOlderThan(FRESH_DISCOVERY);
                ownerType = monitors.kindOf(ref);
            }
            if (ownerType.isEmpty()) {
                reportOnce(obj, ref, UNKNOWN_KIND, "ownerRef " + describe(ref) + " names a kind the API server does not "
                        + "serve; the garbage collector leaves this object alone until the kind is served");
                return Result.requeueAfter(UNKNOWN_KIND_RETRY); // as kube: nothing is decided on a partial view
            }
            if (!namespaced && ownerType.get().namespaced()) {
                // kube: a cluster-scoped dependent cannot have a namespaced owner; it is never collected.
                reportOnce(obj, ref, INVALID_NAMESPACE, "ownerRef " + describe(ref) + " names a namespaced kind, "
                        + "which cannot own the cluster-scoped " + obj.kind() + " " + obj.metadata().name());
                return Result.done();
            }
            switch (ownerState(ownerType.get(), ref, obj)) {
                case SOLID -> solid.add(ref);
                case SOLID_UNOBSERVED -> {
                    solid.add(ref);
                    unobserved = true;
                }
                case DANGLING -> dangling.add(ref);
                case WAITING_FOR_DEPENDENTS -> waiting.add(ref);
                case UNLISTED -> {
                    return Result.requeueAfter(UNLISTED_RETRY);
                }
            }
        }
        if (!solid.isEmpty()) {
            if (!dangling.isEmpty() || !waiting.isEmpty()) {
                Set<String> drop = new HashSet<>();
                dangling.forEach(r -> drop.add(r.uid()));
                waiting.forEach(r -> drop.add(r.uid()));
                log.info("{} {}: removing references to owners that are gone or deleting their dependents {}",
                        obj.kind(), obj.key(), drop);
                removeReferences(monitor, obj, drop);
            }
            return unobserved ? Result.requeue() : Result.done();
        }
        if (!waiting.isEmpty() && !everyMonitorListed(obj)) {
            return Result.requeueAfter(UNLISTED_RETRY); // whether it has dependents decides how it goes
        }
        PropagationPolicy policy;
        if (!waiting.isEmpty() && !monitors.dependentsOf(obj).isEmpty()) {
            policy = PropagationPolicy.Foreground; // an owner waits for it, and it has dependents of its own
        } else if (obj.metadata().finalizers().contains(GarbageCollector.ORPHAN)) {
            policy = PropagationPolicy.Orphan;
        } else if (obj.metadata().finalizers().contains(GarbageCollector.FOREGROUND)) {
            policy = PropagationPolicy.Foreground;
        } else {
            policy = PropagationPolicy.Background;
        }
        log.info("{} {}: every owner is gone or deleting its dependents; deleting it ({})", obj.kind(), obj.key(), policy);
        delete(monitor.client(), obj, policy, obj.metadata().resourceVersion());
        return Result.done();
    }

    /**
     * The state of one owner: from the cache when it holds the owner with the referenced uid, else
     * from a live read (the cache may be behind), remembered when the owner is gone.
     */
    private <O extends KubeObject> OwnerState ownerState(ResourceType<O> type, OwnerReference ref, KubeObject dependent) {
        String ns = type.namespaced() ? dependent.metadata().namespace() : null;
        String absentKey = ref.uid() + "|" + (ns == null ? "" : ns);
        if (absentOwners.getIfPresent(absentKey) != null) {
            return OwnerState.DANGLING;
        }
        // monitorOf already waits for a sync that is making monitors, so a kind still starting is seen
        // here only if that wait goes; UnlistedMonitorsTest holds a monitor's creation to pin either guard.
        Optional<Monitor<?>> monitor = monitors.monitorOf(type);
        if (monitor.isPresent() ? !monitors.listed(monitor.get()) : monitors.starting(type)) {
            log.debug("{} {}: waiting for the {} monitor's first list to judge its owner {}", dependent.kind(),
                    dependent.key(), type.groupResource(), ref.name());
            return OwnerState.UNLISTED;
        }
        Optional<? extends KubeObject> owner = monitor.flatMap(m -> m.cached(ns, ref.name()))
                .filter(o -> ref.uid() != null && ref.uid().equals(o.metadata().uid()));
        boolean observed = owner.isPresent() || monitor.isEmpty(); // a kind without a monitor is only ever read live
        if (owner.isEmpty()) {
            owner = liveRead(type, ns, ref.name())
                    .filter(o -> ref.uid() != null && ref.uid().equals(o.metadata().uid()));
        }
        if (owner.isEmpty()) {
            absentOwners.put(absentKey, true);
            if (ns != null && ref.uid() != null) {
                monitor.flatMap(m -> m.cachedByUid(ref.uid()))
                        .filter(elsewhere -> !ns.equals(elsewhere.metadata().namespace()))
                        .ifPresent(elsewhere -> reportOnce(dependent, ref, INVALID_NAMESPACE, "ownerRef " + describe(ref)
                                + " does not exist in namespace \"" + ns + "\" (an owner must be in its dependent's"
                                + " namespace or cluster-scoped)"));
            }
            return OwnerState.DANGLING;
        }
        if (ResourceMonitors.deleting(owner.get(), GarbageCollector.FOREGROUND)) {
            return OwnerState.WAITING_FOR_DEPENDENTS;
        }
        return observed ? OwnerState.SOLID : OwnerState.SOLID_UNOBSERVED;
    }

    /** Whether every monitor has listed, so the caches show all of {@code obj}'s dependents. */
    private boolean everyMonitorListed(KubeObject obj) {
        Optional<String> unlisted = monitors.unlisted();
        unlisted.ifPresent(gr -> log.debug("{} {}: waiting for the {} monitor's first list to see its dependents",
                obj.kind(), obj.key(), gr));
        return unlisted.isEmpty();
    }

    /**
     * A live read of an owner, shared by the judgements that ask for the same owner while it is in
     * flight: when an owner goes, its dependents are judged by all workers at once, and each would
     * otherwise read it before the first answer reaches {@link #absentOwners} (one read per worker
     * per owner instead of one).
     */
    @SuppressWarnings("unchecked")
    private <O extends KubeObject> Optional<O> liveRead(ResourceType<O> type, String ns, String name) {
        String key = type.groupResource() + "|" + (ns == null ? "" : ns) + "|" + name;
        CompletableFuture<Optional<? extends KubeObject>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<? extends KubeObject>> running = liveReads.putIfAbsent(key, mine);
        if (running != null) {
            try {
                return (Optional<O>) running.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        try {
            Optional<O> read = api.resources(type).find(ns, name);
            mine.complete(read);
            return read;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            liveReads.remove(key, mine);
        }
    }

    /**
     * Foreground deletion of {@code owner}: its dependents are queued to be judged (each sees its
     * owner waiting and is deleted, or loses the reference if it has other owners); the finalizer
     * goes once no dependent with {@code blockOwnerDeletion} is left.
     *
     * <p>The graph events queue every dependent when the owner starts deleting (the event that
     * brought the owner here) and when a dependent appears or changes, and queue the owner again
     * only once its last blocking dependent has gone. Queuing the dependents here as well would
     * judge a second time those already judged since that event: each such judgement deletes a
     * dependent already deleted but still cached, one more API request (a 404 or a 409) per
     * object. So the first look queues nothing; the dependents are queued again only when the
     * owner is still waiting {@link #REQUEUE_DEPENDENTS_AFTER} later, a safety net for a
     * judgement that was lost.
     */
    private <T extends KubeObject> Result deleteDependentsFirst(Monitor<T> monitor, T owner) {
        String uid = owner.metadata().uid();
        if (!monitors.hasBlockingDependents(owner)) {
            removeFinalizer(monitor, owner, GarbageCollector.FOREGROUND);
            dependentsQueuedAt.invalidate(uid);
            return Result.done();
        }
        long now = monitors.nanoTime(); // the manager's clock: virtual time in a simulation
        Long queuedAt = dependentsQueuedAt.asMap().putIfAbsent(uid, now);
        if (queuedAt != null && now - queuedAt >= REQUEUE_DEPENDENTS_AFTER.toNanos()) {
            dependentsQueuedAt.put(uid, now);
            for (ResourceMonitors.Dependent dep : monitors.dependentsOf(owner)) {
                if (dep.object().metadata().deletionTimestamp() == null) {
                    work.accept(GcItem.request(dep.monitor().type(), dep.object()));
                }
            }
        }
        return Result.requeueAfter(REQUEUE_DEPENDENTS_AFTER);
    }

    private void orphanDependents(KubeObject owner) {
        for (ResourceMonitors.Dependent dep : monitors.dependentsOf(owner)) {
            removeReferences(dep.monitor(), dep.object(), Set.of(owner.metadata().uid()));
        }
    }

    private <T extends KubeObject> void removeFinalizer(Monitor<T> monitor, T obj, String finalizer) {
        editMetadata(monitor.client(), obj, current -> {
            if (current.metadata().finalizers().contains(finalizer)) {
                MetadataPatches.setFinalizers(monitor.client(), current,
                        current.metadata().finalizers().stream().filter(f -> !f.equals(finalizer)).toList());
            }
        });
    }

    @SuppressWarnings("unchecked")
    private <T extends KubeObject> void removeReferences(Monitor<T> monitor, KubeObject obj, Set<String> uids) {
        ResourceClient<T> client = monitor.client();
        editMetadata(client, (T) obj, current -> {
            List<OwnerReference> kept = current.metadata().ownerReferences().stream()
                    .filter(r -> !uids.contains(r.uid())).toList();
            if (kept.size() != current.metadata().ownerReferences().size()) {
                MetadataPatches.setOwnerReferences(client, current, kept);
            }
        });
    }

    /**
     * Deletes the version judged (uid and resourceVersion preconditions): if the cache was behind,
     * the delete fails with a conflict and is retried on the newer version, as kube's collector
     * re-reads before it deletes.
     */
    private static <T extends KubeObject> void delete(ResourceClient<T> client, KubeObject obj, PropagationPolicy policy,
                                                     String resourceVersion) {
        try {
            client.delete(obj.metadata().namespace(), obj.metadata().name(),
                    DeleteOptions.propagation(policy).withPreconditions(obj.metadata().uid(), resourceVersion));
        } catch (KubeApiException.NotFoundException gone) {
            log.debug("{} {}: gone before its collection", obj.kind(), obj.key());
        }
        // A conflict (changed since the cache saw it) propagates: the controller retries with the newer version.
    }

    /**
     * Runs {@code edit} (a metadata patch that fails on a stale resourceVersion) on {@code obj},
     * re-reading it after a conflict. An object that is gone, or replaced by a new one of the same
     * name, needs no edit.
     */
    static <T extends KubeObject> void editMetadata(ResourceClient<T> client, T obj, Consumer<T> edit) {
        try {
            Conflicts.retryOnConflict(CONFLICT_RETRIES, obj, current -> {
                edit.accept(current);
                return null;
            }, Conflicts.sameObject(client));
        } catch (KubeApiException.NotFoundException gone) {
            // nothing to edit
        }
    }

    private void reportOnce(KubeObject obj, OwnerReference ref, String reason, String message) {
        String key = obj.metadata().uid() + "|" + ref.uid() + "|" + reason;
        if (reported.asMap().putIfAbsent(key, true) == null) {
            log.warn("{} {}: {}", obj.kind(), obj.key(), message);
            events.warning(obj, reason, message);
        }
    }

    private static String describe(OwnerReference ref) {
        return "[" + ref.apiVersion() + "/" + ref.kind() + ", name: " + ref.name() + ", uid: " + ref.uid() + "]";
    }
}
