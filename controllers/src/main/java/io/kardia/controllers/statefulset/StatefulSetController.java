package io.kardia.controllers.statefulset;

import io.kardia.controllers.history.ControllerRevisions;
import io.kardia.controllers.history.RevisionHistory;
import io.kardia.controllers.workload.ControllerRefs;
import io.kardia.controllers.workload.GenericStatusUpdates;
import io.kardia.controllers.workload.MetadataPatches;
import io.kardia.controllers.workload.Pods;
import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodStatus;
import io.kardia.core.model.ResourceTypes;
import io.kardia.core.selector.Selector;
import io.kardia.core.selector.SelectorParseException;
import io.kardia.informer.SharedInformer;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Request;
import io.kardia.runtime.Result;
import io.kardia.runtime.TerminalException;
import io.kardia.runtime.TypedReconciler;
import io.kardia.runtime.event.EventRecorder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-controller-manager's StatefulSet controller ({@code pkg/controller/statefulset}): pods
 * {@code <set>-<ordinal>} for ordinals {@code start .. start+replicas-1}, each with its claims from
 * the volume claim templates; OrderedReady (one pod at a time, in ordinal order up, reverse order
 * down, each Running and Ready — and available for minReadySeconds — before the next) or Parallel;
 * RollingUpdate (highest ordinal first down to the partition, at most maxUnavailable at a time) or
 * OnDelete; ControllerRevisions as the history; status with current and update revisions.
 */
public final class StatefulSetController implements TypedReconciler<GenericObject> {
    private static final Logger log = LoggerFactory.getLogger(StatefulSetController.class);
    public static final String NAME = "statefulset-controller";
    /** How soon a sync that waits for the cache (a name still taken, a claim still terminating) looks again. */
    private static final Duration SHORT_WAIT = Duration.ofSeconds(1);

    private final ResourceClient<GenericObject> setApi;
    private final ResourceClient<Pod> podApi;
    private final ResourceClient<GenericObject> claimApi;
    private final SharedInformer<GenericObject> sets;
    private final SharedInformer<Pod> pods;
    private final SharedInformer<GenericObject> claims;
    private final RevisionHistory history;
    private final EventRecorder events;
    private final Clock clock;

    StatefulSetController(Manager manager, Clock clock) {
        this.setApi = manager.apiClient().resources(ResourceTypes.STATEFUL_SET);
        this.podApi = manager.apiClient().resources(Pod.class);
        this.claimApi = manager.apiClient().resources(ResourceTypes.PERSISTENT_VOLUME_CLAIM);
        this.sets = manager.informers().informerFor(ResourceTypes.STATEFUL_SET, manager.namespace(), Selector.EVERYTHING);
        this.pods = manager.informers().informerFor(ResourceTypes.POD, manager.namespace(), Selector.EVERYTHING);
        this.claims = manager.informers().informerFor(ResourceTypes.PERSISTENT_VOLUME_CLAIM, manager.namespace(),
                Selector.EVERYTHING);
        this.history = new RevisionHistory(manager.apiClient().resources(ControllerRevisions.TYPE),
                manager.informers().informerFor(ControllerRevisions.TYPE, manager.namespace(), Selector.EVERYTHING));
        this.events = manager.eventRecorder(NAME);
        this.clock = clock;
    }

    /** Registers the controller on {@code manager}; call before {@code manager.start()}. */
    public static void register(Manager manager) {
        register(manager, manager.clock().wallClock()); // the system's, or a simulation's virtual one
    }

    /** As {@link #register(Manager)} with the clock that judges minReadySeconds. */
    public static void register(Manager manager, Clock clock) {
        StatefulSetController c = new StatefulSetController(manager, clock);
        manager.newController()
                .forKind(ResourceTypes.STATEFUL_SET)
                .named(NAME)
                .watches(ResourceTypes.POD, c::setsFor)
                .owns(ControllerRevisions.TYPE)
                .maxConcurrentReconciles(4)
                .complete(c);
    }

    /** The StatefulSet controlling a pod, or for an orphan every StatefulSet whose selector matches it. */
    List<Request> setsFor(Pod pod) {
        String ns = pod.metadata().namespace();
        Optional<OwnerReference> ref = pod.metadata().controllerRef();
        if (ref.isPresent()) {
            return "StatefulSet".equals(ref.get().kind()) ? List.of(new Request(ns, ref.get().name())) : List.of();
        }
        List<Request> out = new ArrayList<>();
        for (GenericObject set : sets.lister().namespace(ns).list()) {
            try {
                StatefulSetSpec spec = StatefulSetSpec.of(set);
                if (spec.selector() != null && !spec.selector().isEmpty()
                        && spec.selector().toSelector().matches(pod.metadata().labels())) {
                    out.add(Request.of(set));
                }
            } catch (RuntimeException invalid) {
                // reported when that set itself is synced
            }
        }
        return out;
    }

    @Override
    public Result reconcile(GenericObject set) {
        StatefulSetSpec spec = validSpec(set);
        Selector selector = spec.selector().toSelector();
        String ns = set.metadata().namespace();
        // Like kube's isMemberOf filter: orphans are adopted only if named as this set's pods.
        List<Pod> candidates = pods.lister().namespace(ns).list().stream()
                .filter(p -> p.metadata().controllerRef().isPresent() || StatefulPods.ordinal(set, p).isPresent())
                .toList();
        List<Pod> owned = ControllerRefs.claim(set, selector, candidates, podApi, () -> canAdopt(set));
        List<GenericObject> revisions = history.owned(set, selector, () -> canAdopt(set));
        int collisions = set.at("status.collisionCount", Integer.class).orElse(0);
        RevisionHistory.Synced synced = history.sync(set, revisions, spec.template(), collisions);
        GenericObject update = synced.update();
        String currentName = set.at("status.currentRevision", String.class).orElse("");
        GenericObject current = synced.revisions().stream()
                .filter(r -> r.metadata().name().equals(currentName)).findFirst().orElse(update);

        SetSync sync = new SetSync(set, spec, owned, current, update);
        Result result = Result.done();
        if (set.metadata().deletionTimestamp() == null) {
            result = sync.run();
        }
        Map<String, Object> status = sync.status(synced.collisionCount());
        GenericStatusUpdates.write(setApi, set, status);

        Set<String> live = new HashSet<>();
        live.add(current.metadata().name());
        live.add(update.metadata().name());
        for (Pod p : owned) {
            live.add(StatefulPods.revisionOf(p));
        }
        history.truncate(synced.revisions(), live, spec.historyLimit());

        int ready = ((Number) status.get("readyReplicas")).intValue();
        int available = ((Number) status.get("availableReplicas")).intValue();
        if (spec.minReady() > 0 && ready != available && result.kind() == Result.Kind.DONE) {
            return Result.requeueAfter(Duration.ofSeconds(spec.minReady()));
        }
        return result;
    }

    private StatefulSetSpec validSpec(GenericObject set) {
        StatefulSetSpec spec;
        try {
            spec = StatefulSetSpec.of(set);
        } catch (IllegalArgumentException e) {
            throw bad(set, "InvalidSpec", "spec cannot be read: " + e.getMessage());
        }
        if (spec.selector() == null || spec.template() == null) {
            throw bad(set, "InvalidSpec", "spec.selector and spec.template are required");
        }
        if (spec.selector().isEmpty()) {
            throw bad(set, "SelectingAll", "an empty spec.selector would select every pod of the namespace");
        }
        Selector selector;
        try {
            selector = spec.selector().toSelector();
        } catch (SelectorParseException e) {
            throw bad(set, "InvalidSelector", "invalid spec.selector: " + e.getMessage());
        }
        Map<String, String> labels = spec.template().metadata() == null ? Map.of() : spec.template().metadata().labels();
        if (!selector.matches(labels)) {
            throw bad(set, "InvalidSelector", "spec.selector does not match the labels of spec.template");
        }
        if (spec.desiredReplicas() < 0 || spec.startOrdinal() < 0) {
            throw bad(set, "InvalidSpec", "spec.replicas and spec.ordinals.start must not be negative");
        }
        return spec;
    }

    private TerminalException bad(GenericObject set, String reason, String message) {
        events.warning(set, reason, message);
        return new TerminalException("StatefulSet " + set.key() + ": " + message);
    }

    private boolean canAdopt(GenericObject set) {
        return setApi.find(set.metadata().namespace(), set.metadata().name())
                .filter(fresh -> fresh.metadata().uid().equals(set.metadata().uid())
                        && fresh.metadata().deletionTimestamp() == null)
                .isPresent();
    }

    private static boolean isTerminating(Pod p) {
        return p.metadata().deletionTimestamp() != null;
    }

    private static boolean isFailedOrSucceeded(Pod p) {
        return PodStatus.FAILED.equals(p.phase()) || PodStatus.SUCCEEDED.equals(p.phase());
    }

    private static boolean isRunningAndReady(Pod p) {
        return PodStatus.RUNNING.equals(p.phase()) && Pods.isReady(p);
    }

    /** One sync of one StatefulSet ({@code updateStatefulSet}): the pods it has, what it does about them, its status. */
    private final class SetSync {
        private final GenericObject set;
        private final StatefulSetSpec spec;
        private final List<Pod> owned;
        private final GenericObject current;
        private final GenericObject update;
        private final Instant now = clock.instant();
        private final int start;
        private final int replicaCount;
        /** replicas[i]: the pod of ordinal start+i, or null; condemned: pods of ordinals outside the range. */
        private final Pod[] replicas;
        private final List<Pod> condemned = new ArrayList<>();

        SetSync(GenericObject set, StatefulSetSpec spec, List<Pod> owned, GenericObject current, GenericObject update) {
            this.set = set;
            this.spec = spec;
            this.owned = owned;
            this.current = current;
            this.update = update;
            this.start = spec.startOrdinal();
            this.replicaCount = spec.desiredReplicas();
            this.replicas = new Pod[replicaCount];
            for (Pod p : owned) {
                OptionalInt ord = StatefulPods.ordinal(set, p);
                if (ord.isEmpty()) {
                    continue; // not a pod of this set's naming: kube leaves such pods alone
                }
                int i = ord.getAsInt() - start;
                if (i >= 0 && i < replicaCount) {
                    replicas[i] = p;
                } else {
                    condemned.add(p);
                }
            }
            // Highest ordinal goes first.
            condemned.sort((a, b) -> Integer.compare(StatefulPods.ordinal(set, b).orElse(0),
                    StatefulPods.ordinal(set, a).orElse(0)));
        }

        private boolean healthy(Pod p) {
            return p != null && !isTerminating(p) && isRunningAndReady(p)
                    && Pods.isAvailable(p, spec.minReady(), now);
        }

        /** The revision a new pod of {@code ordinal} is made from ({@code newVersionedStatefulSetPod}). */
        private GenericObject revisionFor(int ordinal) {
            if (spec.onDelete()) {
                return update;
            }
            int currentReplicas = set.at("status.currentReplicas", Integer.class).orElse(0);
            int bound = spec.hasRollingUpdate() ? start + spec.partition() : start + currentReplicas;
            return ordinal < bound ? current : update;
        }

        Result run() {
            boolean monotonic = !spec.parallel();
            // Replace pods that ended: the ordinal is recreated on a later sync once the old pod is gone.
            for (int i = 0; i < replicaCount; i++) {
                Pod p = replicas[i];
                if (p != null && isFailedOrSucceeded(p) && !isTerminating(p)) {
                    events.normal(set, "RecreatingFailedPod", "StatefulSet " + set.key() + " is recreating "
                            + p.phase() + " Pod " + p.metadata().name());
                    delete(p);
                    replicas[i] = p.withMetadata(p.metadata().toBuilder().deletionTimestamp(now).build());
                }
            }
            // Up: missing pods (with their claims) in ordinal order.
            List<Integer> toCreate = new ArrayList<>();
            for (int i = 0; i < replicaCount; i++) {
                Pod p = replicas[i];
                int ordinal = start + i;
                if (p == null) {
                    toCreate.add(ordinal);
                    if (monotonic) {
                        break;
                    }
                    continue;
                }
                syncClaimOwners(p, true);
                if (monotonic && (isTerminating(p) || !healthy(p))) {
                    return createAll(toCreate) ? Result.done() : Result.requeueAfter(SHORT_WAIT);
                }
            }
            if (!toCreate.isEmpty()) {
                return createAll(toCreate) ? Result.done() : Result.requeueAfter(SHORT_WAIT);
            }
            // Down: condemned pods, highest ordinal first.
            List<Pod> toDelete = new ArrayList<>();
            for (Pod p : condemned) {
                if (isTerminating(p)) {
                    if (monotonic) {
                        return Result.done();
                    }
                    continue;
                }
                if (monotonic && !healthy(p) && firstUnhealthy() != p) {
                    return Result.done(); // an unhealthy pod blocks ordered scale-down until it is the first in line
                }
                syncClaimOwners(p, false);
                toDelete.add(p);
                if (monotonic) {
                    break;
                }
            }
            if (!toDelete.isEmpty()) {
                deleteAll(toDelete);
                return Result.done();
            }
            return rollingUpdate();
        }

        private Pod firstUnhealthy() {
            for (Pod p : replicas) {
                if (p != null && !healthy(p)) {
                    return p;
                }
            }
            for (Pod p : condemned) {
                if (!healthy(p)) {
                    return p;
                }
            }
            return null;
        }

        /**
         * RollingUpdate: from the highest ordinal down to the partition, delete pods of another
         * revision, keeping at most maxUnavailable pods of the set unavailable; an updated pod that is
         * not yet healthy stops the walk, so the order holds.
         */
        private Result rollingUpdate() {
            if (spec.onDelete()) {
                return Result.done();
            }
            int maxUnavailable = spec.maxUnavailable(replicaCount);
            int unavailable = 0;
            for (Pod p : replicas) {
                if (!healthy(p)) {
                    unavailable++;
                }
            }
            List<Pod> toDelete = new ArrayList<>();
            int updateMin = Math.max(0, spec.partition());
            for (int i = replicaCount - 1; i >= updateMin; i--) {
                Pod p = replicas[i];
                if (p == null) {
                    continue;
                }
                boolean outdated = !StatefulPods.revisionOf(p).equals(update.metadata().name());
                if (outdated && !isTerminating(p)) {
                    if (unavailable >= maxUnavailable) {
                        break;
                    }
                    if (healthy(p)) {
                        unavailable++;
                    }
                    toDelete.add(p);
                    continue;
                }
                if (!healthy(p) && unavailable >= maxUnavailable) {
                    break; // wait for the pods being updated
                }
            }
            deleteAll(toDelete);
            return Result.done();
        }

        private void delete(Pod p) {
            try {
                podApi.delete(p.metadata().namespace(), p.metadata().name(),
                        DeleteOptions.DEFAULT.withPreconditions(p.metadata().uid(), null));
                log.debug("StatefulSet {}: deleted pod {}", set.key(), p.metadata().name());
                events.normal(set, "SuccessfulDelete", "delete Pod " + p.metadata().name() + " in StatefulSet "
                        + set.metadata().name() + " successful");
            } catch (KubeApiException.NotFoundException | KubeApiException.ConflictException gone) {
                // already gone, or replaced
            }
        }

        private void deleteAll(List<Pod> victims) {
            if (victims.size() == 1) {
                delete(victims.get(0));
                return;
            }
            AtomicReference<RuntimeException> failure = new AtomicReference<>();
            try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
                for (Pod p : victims) {
                    exec.submit(() -> {
                        try {
                            delete(p);
                        } catch (RuntimeException e) {
                            failure.set(e);
                        }
                    });
                }
            }
            if (failure.get() != null) {
                events.warning(set, "FailedDelete", "delete Pod in StatefulSet " + set.metadata().name()
                        + " failed: " + failure.get().getMessage());
                throw failure.get();
            }
        }

        /** Creates the pods of these ordinals, claims first; false when one has to wait (a name or claim still taken). */
        private boolean createAll(List<Integer> ordinals) {
            if (ordinals.isEmpty()) {
                return true;
            }
            if (ordinals.size() == 1) {
                return create(ordinals.get(0));
            }
            AtomicReference<RuntimeException> failure = new AtomicReference<>();
            java.util.concurrent.atomic.AtomicBoolean allDone = new java.util.concurrent.atomic.AtomicBoolean(true);
            try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int ordinal : ordinals) {
                    exec.submit(() -> {
                        try {
                            if (!create(ordinal)) {
                                allDone.set(false);
                            }
                        } catch (RuntimeException e) {
                            failure.set(e);
                        }
                    });
                }
            }
            if (failure.get() != null) {
                throw failure.get();
            }
            return allDone.get();
        }

        private boolean create(int ordinal) {
            if (!createClaims(ordinal)) {
                return false;
            }
            Pod pod = StatefulPods.newPod(set, spec, revisionFor(ordinal), ordinal);
            try {
                podApi.create(pod);
                log.debug("StatefulSet {}: created pod {}", set.key(), pod.metadata().name());
                events.normal(set, "SuccessfulCreate", "create Pod " + pod.metadata().name() + " in StatefulSet "
                        + set.metadata().name() + " successful");
                return true;
            } catch (KubeApiException.AlreadyExistsException stillThere) {
                return false; // the old pod of this ordinal is still terminating, or the cache lags
            } catch (RuntimeException e) {
                events.warning(set, "FailedCreate", "create Pod " + pod.metadata().name() + " in StatefulSet "
                        + set.metadata().name() + " failed: " + e.getMessage());
                throw e;
            }
        }

        /** {@code createPersistentVolumeClaims}: each missing claim of the ordinal; false while one is being deleted. */
        private boolean createClaims(int ordinal) {
            for (Map<String, Object> template : spec.claimTemplates()) {
                GenericObject wanted = StatefulPods.newClaim(set, spec, template, ordinal);
                String name = wanted.metadata().name();
                Optional<GenericObject> existing = claims.lister().namespace(set.metadata().namespace()).get(name);
                if (existing.isPresent()) {
                    if (existing.get().metadata().deletionTimestamp() != null) {
                        return false; // kube waits for a terminating claim to go before making the pod
                    }
                    continue;
                }
                List<OwnerReference> refs = ClaimRetention.desired(List.of(), spec, set, null, true);
                try {
                    claimApi.create(wanted.withMetadata(wanted.metadata().withOwnerReferences(refs)));
                    events.normal(set, "SuccessfulCreate", "create Claim " + name + " Pod "
                            + StatefulPods.podName(set, ordinal) + " in StatefulSet " + set.metadata().name() + " success");
                } catch (KubeApiException.AlreadyExistsException cacheLags) {
                    // made before (the cache has not seen it yet): fine
                } catch (RuntimeException e) {
                    events.warning(set, "FailedCreate", "create Claim " + name + " for Pod "
                            + StatefulPods.podName(set, ordinal) + " in StatefulSet " + set.metadata().name()
                            + " failed error: " + e.getMessage());
                    throw e;
                }
            }
            return true;
        }

        /** Brings the owner references of a pod's claims in line with the retention policy. */
        private void syncClaimOwners(Pod pod, boolean inRange) {
            int ordinal = StatefulPods.ordinal(set, pod).orElse(-1);
            for (Map<String, Object> template : spec.claimTemplates()) {
                String name = StatefulPods.claimName(set, StatefulPods.templateName(template), ordinal);
                Optional<GenericObject> claim = claims.lister().namespace(set.metadata().namespace()).get(name);
                if (claim.isEmpty() || claim.get().metadata().deletionTimestamp() != null) {
                    continue;
                }
                List<OwnerReference> have = claim.get().metadata().ownerReferences();
                List<OwnerReference> want = ClaimRetention.desired(have, spec, set, pod, inRange);
                if (!ClaimRetention.sameOwners(have, want)) {
                    try {
                        MetadataPatches.setOwnerReferences(claimApi, claim.get(), want);
                    } catch (KubeApiException.NotFoundException | KubeApiException.ConflictException stale) {
                        // seen again on the next sync
                    }
                }
            }
        }

        /** {@code computeReplicaStatus} plus the revisions ({@code completeRollingUpdate} included). */
        Map<String, Object> status(int collisionCount) {
            int count = 0;
            int ready = 0;
            int available = 0;
            int currentReplicas = 0;
            int updatedReplicas = 0;
            for (Pod p : owned) {
                if (StatefulPods.ordinal(set, p).isEmpty()) {
                    continue;
                }
                count++;
                if (isRunningAndReady(p)) {
                    ready++;
                    if (Pods.isAvailable(p, spec.minReady(), now)) {
                        available++;
                    }
                }
                if (!isTerminating(p)) {
                    String rev = StatefulPods.revisionOf(p);
                    if (rev.equals(current.metadata().name())) {
                        currentReplicas++;
                    }
                    if (rev.equals(update.metadata().name())) {
                        updatedReplicas++;
                    }
                }
            }
            String currentRevision = current.metadata().name();
            if (!spec.onDelete() && updatedReplicas == count && ready == count && count == replicaCount) {
                currentReplicas = updatedReplicas;
                currentRevision = update.metadata().name();
            }
            Map<String, Object> s = new LinkedHashMap<>();
            Long generation = set.metadata().generation();
            if (generation != null) {
                s.put("observedGeneration", generation);
            }
            s.put("replicas", count);
            s.put("readyReplicas", ready);
            s.put("currentReplicas", currentReplicas);
            s.put("updatedReplicas", updatedReplicas);
            s.put("currentRevision", currentRevision);
            s.put("updateRevision", update.metadata().name());
            s.put("collisionCount", collisionCount);
            s.put("availableReplicas", available);
            return s;
        }
    }
}
