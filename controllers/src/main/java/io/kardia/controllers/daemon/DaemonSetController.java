package io.kardia.controllers.daemon;

import io.kardia.controllers.history.ControllerRevisions;
import io.kardia.controllers.history.RevisionHistory;
import io.kardia.controllers.workload.ControllerRefs;
import io.kardia.controllers.workload.GenericStatusUpdates;
import io.kardia.controllers.workload.PodExpectations;
import io.kardia.controllers.workload.PodWrites;
import io.kardia.controllers.workload.Pods;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.Node;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodStatus;
import io.kardia.core.model.ResourceTypes;
import io.kardia.core.selector.Selector;
import io.kardia.core.selector.SelectorParseException;
import io.kardia.informer.SharedInformer;
import io.kardia.runtime.EventFilter;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-controller-manager's DaemonSet controller ({@code pkg/controller/daemon}): one pod on every
 * node where the template's nodeSelector, required node affinity and tolerations (with the daemon
 * tolerations kube adds) allow it ({@link DaemonPlacement}); pods on nodes that no longer qualify are
 * deleted, failed pods replaced, extra pods on a node removed (the oldest stays). RollingUpdate with
 * maxUnavailable (delete first) or maxSurge (create first), or OnDelete; ControllerRevisions as the
 * history; status as kube counts it. Follows nodes as they come, change and go.
 */
public final class DaemonSetController implements TypedReconciler<GenericObject> {
    private static final Logger log = LoggerFactory.getLogger(DaemonSetController.class);
    public static final String NAME = "daemonset-controller";
    /** Kubernetes' {@code BurstReplicas} for DaemonSets: at most this many creates or deletes per sync. */
    static final int BURST_REPLICAS = 250;

    private final ResourceClient<GenericObject> dsApi;
    private final ResourceClient<Pod> podApi;
    private final PodWrites podWrites;
    private final SharedInformer<GenericObject> daemonSets;
    private final SharedInformer<Pod> pods;
    private final SharedInformer<Node> nodes;
    private final RevisionHistory history;
    private final PodExpectations expectations;
    private final EventRecorder events;
    private final Clock clock;

    DaemonSetController(Manager manager, Clock clock) {
        this.dsApi = manager.apiClient().resources(ResourceTypes.DAEMON_SET);
        this.podApi = manager.apiClient().resources(Pod.class);
        this.daemonSets = manager.informers().informerFor(ResourceTypes.DAEMON_SET, manager.namespace(), Selector.EVERYTHING);
        this.pods = manager.informers().informerFor(ResourceTypes.POD, manager.namespace(), Selector.EVERYTHING);
        this.nodes = manager.informers().informerFor(Node.class);
        this.history = new RevisionHistory(manager.apiClient().resources(ControllerRevisions.TYPE),
                manager.informers().informerFor(ControllerRevisions.TYPE, manager.namespace(), Selector.EVERYTHING));
        this.expectations = new PodExpectations(PodExpectations.DEFAULT_TTL, clock);
        this.podWrites = new PodWrites(podApi, expectations);
        this.events = manager.eventRecorder(NAME);
        this.clock = clock;
    }

    /** Registers the controller on {@code manager}; call before {@code manager.start()}. */
    public static void register(Manager manager) {
        register(manager, manager.clock().wallClock()); // the system's, or a simulation's virtual one
    }

    /** As {@link #register(Manager)} with the clock that judges minReadySeconds. */
    public static void register(Manager manager, Clock clock) {
        DaemonSetController c = new DaemonSetController(manager, clock);
        manager.newController()
                .forKind(ResourceTypes.DAEMON_SET)
                .named(NAME)
                .watches(ResourceTypes.POD, c::daemonSetsFor)
                .watches(ResourceTypes.NODE, node -> c.allDaemonSets(), placementChanges())
                .owns(ControllerRevisions.TYPE)
                .maxConcurrentReconciles(2)
                .complete(c);
    }

    /**
     * Node events that can change where daemon pods belong: a node added or removed, or its labels,
     * taints or spec changed; not the status heartbeats every node sends ({@code shouldIgnoreNodeUpdate}).
     */
    static EventFilter<Node> placementChanges() {
        return new EventFilter<>() {
            @Override
            public boolean update(Node before, Node after) {
                return before == after || !Objects.equals(before.metadata().labels(), after.metadata().labels())
                        || !Objects.equals(before.spec(), after.spec());
            }
        };
    }

    private List<Request> allDaemonSets() {
        return daemonSets.lister().list().stream().map(Request::of).toList();
    }

    /** The DaemonSet controlling a pod, or for an orphan every DaemonSet whose selector matches it. */
    List<Request> daemonSetsFor(Pod pod) {
        String ns = pod.metadata().namespace();
        Optional<OwnerReference> ref = pod.metadata().controllerRef();
        if (ref.isPresent()) {
            return "DaemonSet".equals(ref.get().kind()) ? List.of(new Request(ns, ref.get().name())) : List.of();
        }
        List<Request> out = new ArrayList<>();
        for (GenericObject ds : daemonSets.lister().namespace(ns).list()) {
            try {
                DaemonSetSpec spec = DaemonSetSpec.of(ds);
                if (spec.selector() != null && !spec.selector().isEmpty()
                        && spec.selector().toSelector().matches(pod.metadata().labels())) {
                    out.add(Request.of(ds));
                }
            } catch (RuntimeException invalid) {
                // reported when that DaemonSet itself is synced
            }
        }
        return out;
    }

    @Override
    public Result reconcileAbsent(Request request) {
        expectations.forget(request.key());
        return Result.done();
    }

    @Override
    public Result reconcile(GenericObject ds) {
        DaemonSetSpec spec = validSpec(ds);
        Selector selector = spec.selector().toSelector();
        String ns = ds.metadata().namespace();
        String key = ds.key();
        // Expectations before the pods (see ReplicaSetController): a cache that caught up after the
        // list was taken must not make us create a second pod on a node.
        boolean synced = expectations.satisfied(key, name -> pods.lister().namespace(ns).get(name), cacheRevision());
        List<Pod> owned = ControllerRefs.claim(ds, selector, pods.lister().namespace(ns).list(), podApi,
                () -> canAdopt(ds));
        List<GenericObject> revisions = history.owned(ds, selector, () -> canAdopt(ds));
        int collisions = ds.at("status.collisionCount", Integer.class).orElse(0);
        RevisionHistory.Synced revs = history.sync(ds, revisions, spec.template(), collisions);
        String hash = revs.update().metadata().labels().getOrDefault(ControllerRevisions.HASH_LABEL, "");

        DaemonSync sync = new DaemonSync(ds, spec, owned, hash);
        if (synced && ds.metadata().deletionTimestamp() == null) {
            sync.manage();
            if (!spec.onDelete()) {
                sync.rollingUpdate();
            }
            sync.apply();
        }
        Map<String, Object> status = sync.status(revs.collisionCount());
        GenericStatusUpdates.write(dsApi, ds, status);

        Set<String> live = new HashSet<>();
        live.add(revs.update().metadata().name());
        Set<String> liveHashes = new HashSet<>();
        owned.forEach(p -> liveHashes.add(DaemonPods.hashOf(p)));
        for (GenericObject r : revs.revisions()) {
            if (liveHashes.contains(r.metadata().labels().getOrDefault(ControllerRevisions.HASH_LABEL, ""))) {
                live.add(r.metadata().name());
            }
        }
        history.truncate(revs.revisions(), live, spec.historyLimit());

        int ready = ((Number) status.get("numberReady")).intValue();
        int available = ((Number) status.get("numberAvailable")).intValue();
        if (spec.minReady() > 0 && ready != available) {
            return Result.requeueAfter(Duration.ofSeconds(spec.minReady()));
        }
        return expectations.remaining(key).map(Result::requeueAfter).orElse(Result.done());
    }

    private DaemonSetSpec validSpec(GenericObject ds) {
        DaemonSetSpec spec;
        try {
            spec = DaemonSetSpec.of(ds);
        } catch (IllegalArgumentException e) {
            throw bad(ds, "InvalidSpec", "spec cannot be read: " + e.getMessage());
        }
        if (spec.selector() == null || spec.template() == null) {
            throw bad(ds, "InvalidSpec", "spec.selector and spec.template are required");
        }
        if (spec.selector().isEmpty()) {
            throw bad(ds, "SelectingAll", "an empty spec.selector would select every pod of the namespace");
        }
        Selector selector;
        try {
            selector = spec.selector().toSelector();
        } catch (SelectorParseException e) {
            throw bad(ds, "InvalidSelector", "invalid spec.selector: " + e.getMessage());
        }
        Map<String, String> labels = spec.template().metadata() == null ? Map.of() : spec.template().metadata().labels();
        if (!selector.matches(labels)) {
            throw bad(ds, "InvalidSelector", "spec.selector does not match the labels of spec.template");
        }
        try {
            spec.maxUnavailable(1);
        } catch (IllegalArgumentException e) {
            throw bad(ds, "InvalidSpec", "spec.updateStrategy.rollingUpdate: " + e.getMessage());
        }
        return spec;
    }

    private TerminalException bad(GenericObject ds, String reason, String message) {
        events.warning(ds, reason, message);
        return new TerminalException("DaemonSet " + ds.key() + ": " + message);
    }

    private boolean canAdopt(GenericObject ds) {
        return dsApi.find(ds.metadata().namespace(), ds.metadata().name())
                .filter(fresh -> fresh.metadata().uid().equals(ds.metadata().uid())
                        && fresh.metadata().deletionTimestamp() == null)
                .isPresent();
    }

    private long cacheRevision() {
        try {
            String rv = pods.lastSyncResourceVersion();
            return rv == null ? -1 : Long.parseLong(rv);
        } catch (NumberFormatException opaque) {
            return -1;
        }
    }

    private static boolean isTerminating(Pod p) {
        return p.metadata().deletionTimestamp() != null;
    }

    private static final Comparator<Pod> OLDEST_FIRST = Comparator
            .comparing((Pod p) -> Optional.ofNullable(p.metadata().creationTimestamp()).orElse(Instant.EPOCH))
            .thenComparing(p -> p.metadata().name());

    /** One sync of one DaemonSet: its pods by node, what to create and delete, its status. */
    private final class DaemonSync {
        private final GenericObject ds;
        private final DaemonSetSpec spec;
        private final String hash;
        private final Instant now = clock.instant();
        private final List<Node> nodeList = nodes.lister().list();
        private final Map<String, List<Pod>> byNode = new HashMap<>();
        private final Map<String, DaemonPlacement.Decision> decisions = new HashMap<>();
        private final Set<String> nodesToCreate = new LinkedHashSet<>();
        private final Map<String, Pod> podsToDelete = new LinkedHashMap<>();
        /** Pods whose node is gone: no kubelet will confirm a graceful deletion, so they go at once (as PodGC does). */
        private final Set<String> forceDelete = new HashSet<>();

        DaemonSync(GenericObject ds, DaemonSetSpec spec, List<Pod> owned, String hash) {
            this.ds = ds;
            this.spec = spec;
            this.hash = hash;
            for (Pod p : owned) {
                byNode.computeIfAbsent(DaemonPods.nodeOf(p), n -> new ArrayList<>()).add(p);
            }
            byNode.values().forEach(l -> l.sort(OLDEST_FIRST));
            for (Node n : nodeList) {
                decisions.put(n.metadata().name(), DaemonPlacement.decide(spec.template().spec(), n));
            }
        }

        private boolean surging() {
            return !spec.onDelete() && spec.maxSurge(desired()) > 0;
        }

        private int desired() {
            return (int) decisions.values().stream().filter(DaemonPlacement.Decision::shouldRun).count();
        }

        private List<Pod> podsOn(String node) {
            return byNode.getOrDefault(node, List.of());
        }

        private void delete(Pod p) {
            podsToDelete.putIfAbsent(p.metadata().uid(), p);
        }

        /** {@code manage} / {@code podsShouldBeOnNode}: which nodes need a pod, which pods must go. */
        void manage() {
            for (Node node : nodeList) {
                String name = node.metadata().name();
                DaemonPlacement.Decision d = decisions.get(name);
                List<Pod> here = podsOn(name);
                if (d.shouldRun() && here.isEmpty()) {
                    nodesToCreate.add(name);
                } else if (d.shouldContinueRunning()) {
                    List<Pod> running = new ArrayList<>();
                    for (Pod p : here) {
                        if (isTerminating(p)) {
                            continue;
                        }
                        if (PodStatus.FAILED.equals(p.phase())) {
                            events.warning(ds, "FailedDaemonPod", "Found failed daemon pod " + p.key() + " on node "
                                    + name + ", will try to kill it");
                            delete(p);
                        } else {
                            running.add(p);
                        }
                    }
                    if (running.isEmpty() && d.shouldRun()) {
                        nodesToCreate.add(name);
                    }
                    removeExtras(running);
                } else {
                    here.stream().filter(p -> !isTerminating(p)).forEach(this::delete);
                }
            }
            // Pods bound to nodes that are gone: kube's pod garbage collector deletes them; we do for our own.
            Set<String> known = decisions.keySet();
            byNode.forEach((node, list) -> {
                if (!node.isEmpty() && !known.contains(node)) {
                    list.forEach(p -> {
                        podsToDelete.putIfAbsent(p.metadata().uid(), p);
                        forceDelete.add(p.metadata().uid());
                    });
                }
            });
        }

        /** More than one pod on a node: the oldest stays (while surging: the oldest updated and the oldest old one). */
        private void removeExtras(List<Pod> running) {
            if (!surging()) {
                running.stream().skip(1).forEach(this::delete);
                return;
            }
            Pod oldestNew = null;
            Pod oldestOld = null;
            for (Pod p : running) {
                boolean updated = DaemonPods.isUpdated(p, hash, ds.metadata().generation());
                if (updated && oldestNew == null) {
                    oldestNew = p;
                } else if (!updated && oldestOld == null) {
                    oldestOld = p;
                } else {
                    delete(p);
                }
            }
        }

        /** {@code findUpdatedPodsOnNode}: the node's updated and old pod, or null when it has two of either. */
        private Pod[] updatedAndOld(List<Pod> here) {
            Pod updated = null;
            Pod old = null;
            for (Pod p : here) {
                if (isTerminating(p)) {
                    continue;
                }
                if (DaemonPods.isUpdated(p, hash, ds.metadata().generation())) {
                    if (updated != null) {
                        return null;
                    }
                    updated = p;
                } else {
                    if (old != null) {
                        return null;
                    }
                    old = p;
                }
            }
            return new Pod[] {updated, old};
        }

        private boolean available(Pod p) {
            return Pods.isAvailable(p, spec.minReady(), now);
        }

        /** {@code rollingUpdate}: delete-first within maxUnavailable, or create-first within maxSurge. */
        void rollingUpdate() {
            int desired = desired();
            int maxSurge = spec.maxSurge(desired);
            int maxUnavailable = spec.maxUnavailable(desired);
            List<String> nodeNames = byNode.keySet().stream().filter(decisions::containsKey).sorted().toList();
            if (maxSurge == 0) {
                int unavailable = 0;
                List<Pod> replaceFreely = new ArrayList<>();
                List<Pod> candidates = new ArrayList<>();
                for (String node : nodeNames) {
                    Pod[] pair = updatedAndOld(podsOn(node));
                    if (pair == null) {
                        unavailable++; // the manage step cleans this node up first
                        continue;
                    }
                    Pod updated = pair[0];
                    Pod old = pair[1];
                    if (updated != null && old == null) {
                        if (!available(updated)) {
                            unavailable++;
                        }
                    } else if (old != null && updated == null) {
                        if (!available(old)) {
                            replaceFreely.add(old);
                        } else {
                            candidates.add(old);
                        }
                    }
                }
                // Nodes that should run a pod and have none are unavailable too.
                for (String node : nodesToCreate) {
                    if (podsOn(node).stream().allMatch(DaemonSetController::isTerminating)) {
                        unavailable++;
                    }
                }
                int budget = Math.max(0, Math.min(maxUnavailable - unavailable, candidates.size()));
                replaceFreely.forEach(this::delete);
                candidates.stream().limit(budget).forEach(this::delete);
                return;
            }
            int surge = 0;
            List<String> createFreely = new ArrayList<>();
            List<String> createCandidates = new ArrayList<>();
            for (String node : nodeNames) {
                Pod[] pair = updatedAndOld(podsOn(node));
                if (pair == null) {
                    continue;
                }
                Pod updated = pair[0];
                Pod old = pair[1];
                if (updated == null && old != null) {
                    if (!decisions.get(node).shouldRun()) {
                        continue;
                    }
                    if (!available(old)) {
                        createFreely.add(node);
                    } else {
                        createCandidates.add(node);
                    }
                } else if (updated != null && old != null) {
                    if (!available(updated)) {
                        surge++;
                    } else {
                        delete(old);
                    }
                }
            }
            int budget = Math.max(0, Math.min(maxSurge - surge, createCandidates.size()));
            nodesToCreate.addAll(createFreely);
            createCandidates.stream().limit(budget).forEach(nodesToCreate::add);
        }

        /** {@code syncNodes}: the creates and deletes decided, at most {@link #BURST_REPLICAS} of each per sync. */
        void apply() {
            String key = ds.key();
            List<String> creates = nodesToCreate.stream().limit(BURST_REPLICAS).toList();
            List<Pod> deletes = podsToDelete.values().stream().limit(BURST_REPLICAS).toList();
            // kube's syncNodes: creates in slow-start batches, deletes in parallel.
            PodWrites.Created created = podWrites.create(key,
                    creates.stream().map(node -> DaemonPods.newPod(ds, spec.template(), hash, node)).toList());
            Optional<RuntimeException> deleteFailure = podWrites.delete(key, deletes,
                    p -> forceDelete.contains(p.metadata().uid()));
            Optional<RuntimeException> failure = created.failure().or(() -> deleteFailure);
            if (!creates.isEmpty() || !deletes.isEmpty()) {
                log.debug("DaemonSet {}: created {} pods, deleted {}", key, creates.size(), deletes.size());
            }
            if (failure.isPresent()) {
                events.warning(ds, "FailedCreate", "Error syncing daemon pods: " + failure.get().getMessage());
                expectations.forget(key); // what failed will not be observed; look again from the cache
                throw failure.get();
            }
        }

        /** {@code updateDaemonSetStatus}: counted over the nodes, the oldest pod of each. */
        Map<String, Object> status(int collisionCount) {
            int desired = 0;
            int current = 0;
            int misscheduled = 0;
            int ready = 0;
            int available = 0;
            int updated = 0;
            for (Node node : nodeList) {
                String name = node.metadata().name();
                List<Pod> here = podsOn(name);
                if (decisions.get(name).shouldRun()) {
                    desired++;
                    if (here.isEmpty()) {
                        continue;
                    }
                    current++;
                    Pod oldest = here.get(0);
                    if (Pods.isReady(oldest)) {
                        ready++;
                        if (available(oldest)) {
                            available++;
                        }
                    }
                    if (DaemonPods.isUpdated(oldest, hash, ds.metadata().generation())) {
                        updated++;
                    }
                } else if (!here.isEmpty()) {
                    misscheduled++;
                }
            }
            Map<String, Object> s = new LinkedHashMap<>();
            if (ds.metadata().generation() != null) {
                s.put("observedGeneration", ds.metadata().generation());
            }
            s.put("currentNumberScheduled", current);
            s.put("numberMisscheduled", misscheduled);
            s.put("desiredNumberScheduled", desired);
            s.put("numberReady", ready);
            s.put("updatedNumberScheduled", updated);
            s.put("numberAvailable", available);
            s.put("numberUnavailable", desired - available);
            s.put("collisionCount", collisionCount);
            return s;
        }
    }
}
