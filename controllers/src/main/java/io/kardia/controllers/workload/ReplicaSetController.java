package io.kardia.controllers.workload;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Condition;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodTemplateSpec;
import io.kardia.core.model.ReplicaSet;
import io.kardia.core.model.ReplicaSetStatus;
import io.kardia.core.model.ResourceTypes;
import io.kardia.core.selector.Selector;
import io.kardia.core.selector.SelectorParseException;
import io.kardia.informer.SharedInformer;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Request;
import io.kardia.runtime.Result;
import io.kardia.runtime.StatusUpdates;
import io.kardia.runtime.TerminalException;
import io.kardia.runtime.TypedReconciler;
import io.kardia.runtime.event.EventRecorder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-controller-manager's ReplicaSet controller: keeps {@code spec.replicas} active pods matching
 * the selector, created from the template with a controller reference; adopts matching orphans and
 * releases pods that stop matching; never scales while its own creates/deletes are unobserved
 * ({@link PodExpectations}); creates in slow-start batches (1, 2, 4, … at most {@link #BURST_REPLICAS}
 * per sync); deletes in {@link ActivePodsOrder}; reports status only when it changed.
 */
public final class ReplicaSetController implements TypedReconciler<ReplicaSet> {
    private static final Logger log = LoggerFactory.getLogger(ReplicaSetController.class);

    /** Kubernetes' {@code BurstReplicas}: at most this many creates or deletes per sync. */
    public static final int BURST_REPLICAS = 500;
    public static final String NAME = "replicaset-controller";
    static final String REPLICA_FAILURE = "ReplicaFailure";

    private final ResourceClient<Pod> podApi;
    private final PodWrites podWrites;
    private final ResourceClient<ReplicaSet> rsApi;
    private final SharedInformer<Pod> pods;
    private final SharedInformer<ReplicaSet> replicaSets;
    private final EventRecorder events;
    private final PodExpectations expectations;
    private final Clock clock;

    ReplicaSetController(Manager manager, PodExpectations expectations, Clock clock) {
        this.podApi = manager.apiClient().resources(Pod.class);
        this.podWrites = new PodWrites(podApi, expectations);
        this.rsApi = manager.apiClient().resources(ReplicaSet.class);
        this.pods = manager.informers().informerFor(ResourceTypes.POD, manager.namespace(), Selector.EVERYTHING);
        this.replicaSets = manager.informers().informerFor(ResourceTypes.REPLICA_SET, manager.namespace(),
                Selector.EVERYTHING);
        this.events = manager.eventRecorder(NAME);
        this.expectations = expectations;
        this.clock = clock;
    }

    /** Registers the controller on {@code manager}. */
    public static void register(Manager manager) {
        Clock clock = manager.clock().wallClock(); // the system's, or a simulation's virtual one
        ReplicaSetController c = new ReplicaSetController(manager,
                new PodExpectations(PodExpectations.DEFAULT_TTL, clock), clock);
        manager.newController()
                .forKind(ReplicaSet.class)
                .named(NAME)
                .watches(Pod.class, c::replicaSetsFor)
                .maxConcurrentReconciles(4)
                .complete(c);
    }

    /** The ReplicaSet controlling a pod, or for an orphan every ReplicaSet whose selector matches it. */
    Collection<Request> replicaSetsFor(Pod pod) {
        String ns = pod.metadata().namespace();
        Optional<OwnerReference> ref = pod.metadata().controllerRef();
        if (ref.isPresent()) {
            return "ReplicaSet".equals(ref.get().kind())
                    ? List.of(new Request(ns, ref.get().name())) : List.of();
        }
        List<Request> out = new ArrayList<>();
        for (ReplicaSet rs : replicaSets.lister().namespace(ns).list()) {
            Selector s = selectorOrNull(rs);
            if (s != null && !rs.spec().selector().isEmpty() && s.matches(pod.metadata().labels())) {
                out.add(Request.of(rs));
            }
        }
        return out;
    }

    private static Selector selectorOrNull(ReplicaSet rs) {
        try {
            return rs.spec() == null || rs.spec().selector() == null ? null : rs.spec().selector().toSelector();
        } catch (SelectorParseException e) {
            return null;
        }
    }

    @Override
    public Result reconcileAbsent(Request request) {
        expectations.forget(request.key());
        return Result.done();
    }

    @Override
    public Result reconcile(ReplicaSet rs) {
        String key = rs.key();
        String ns = rs.metadata().namespace();
        Selector selector = validSelector(rs);
        // Expectations first, then the pods: the other order could judge "synced" on a cache that
        // caught up after a stale list was taken, and create pods that already exist.
        boolean synced = expectations.satisfied(key, name -> pods.lister().namespace(ns).get(name), cacheRevision());
        List<Pod> active = pods.lister().namespace(ns).list().stream().filter(Pods::isActive).toList();
        List<Pod> owned = ControllerRefs.claim(rs, selector, active, podApi, () -> canAdopt(rs));

        RuntimeException manageError = null;
        if (synced && rs.metadata().deletionTimestamp() == null) {
            try {
                manageReplicas(rs, owned);
            } catch (RuntimeException e) {
                manageError = e;
            }
        }
        ReplicaSetStatus status = calculateStatus(rs, owned, manageError);
        ReplicaSet updated;
        try {
            updated = StatusUpdates.updateStatus(rsApi, rs, r -> r.withStatus(status));
        } catch (KubeApiException.NotFoundException gone) {
            expectations.forget(key);
            return Result.done(); // deleted while we synced it
        }
        if (manageError != null) {
            throw manageError;
        }
        int minReady = minReadySeconds(updated);
        ReplicaSetStatus s = updated.status();
        if (minReady > 0 && s != null && n(s.readyReplicas()) == rs.spec().desiredReplicas()
                && n(s.availableReplicas()) != rs.spec().desiredReplicas()) {
            return Result.requeueAfter(Duration.ofSeconds(minReady));
        }
        return expectations.remaining(key).map(Result::requeueAfter).orElse(Result.done());
    }

    private Selector validSelector(ReplicaSet rs) {
        if (rs.spec() == null || rs.spec().selector() == null || rs.spec().template() == null) {
            throw bad(rs, "spec.selector and spec.template are required");
        }
        try {
            return rs.spec().selector().toSelector();
        } catch (SelectorParseException e) {
            throw bad(rs, "invalid spec.selector: " + e.getMessage());
        }
    }

    private TerminalException bad(ReplicaSet rs, String message) {
        events.warning(rs, "InvalidSelector", message);
        return new TerminalException("ReplicaSet " + rs.key() + ": " + message);
    }

    private boolean canAdopt(ReplicaSet rs) {
        return rsApi.find(rs.metadata().namespace(), rs.metadata().name())
                .filter(fresh -> fresh.metadata().uid().equals(rs.metadata().uid())
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

    private void manageReplicas(ReplicaSet rs, List<Pod> owned) {
        int diff = owned.size() - rs.spec().desiredReplicas();
        if (diff < 0) {
            List<Pod> pods = Collections.nCopies(Math.min(-diff, BURST_REPLICAS), podFromTemplate(rs)); // generateName
            PodWrites.Created created = podWrites.create(rs.key(), pods);
            if (created.failure().isPresent()) {
                RuntimeException e = created.failure().get();
                events.warning(rs, "FailedCreate", "Error creating: " + e.getMessage());
                throw e;
            }
            if (created.count() > 0) {
                log.debug("ReplicaSet {}: created {} pods", rs.key(), created.count());
            }
        } else if (diff > 0) {
            List<Pod> victims = podsToDelete(owned, Math.min(diff, BURST_REPLICAS));
            Optional<RuntimeException> failure = podWrites.delete(rs.key(), victims, p -> false);
            if (failure.isPresent()) {
                events.warning(rs, "FailedDelete", "Error deleting: " + failure.get().getMessage());
                throw failure.get();
            }
        }
    }

    /** A pod from the template: its labels, annotations and finalizers, {@code generateName <rs>-}, a controller reference. */
    static Pod podFromTemplate(ReplicaSet rs) {
        PodTemplateSpec t = rs.spec().template();
        ObjectMeta tm = t.metadata() == null ? ObjectMeta.builder().build() : t.metadata();
        ObjectMeta meta = ObjectMeta.builder()
                .namespace(rs.metadata().namespace())
                .generateName(rs.metadata().name() + "-")
                .labels(tm.labels())
                .annotations(tm.annotations())
                .finalizers(tm.finalizers())
                .ownerReference(OwnerReference.controllerOf(rs))
                .build();
        return Pod.of(meta, t.spec());
    }

    /** The first {@code count} pods in deletion order ({@link ActivePodsOrder} ranked by co-location). */
    static List<Pod> podsToDelete(List<Pod> owned, int count) {
        List<Pod> sorted = new ArrayList<>(owned);
        sorted.sort(ActivePodsOrder.rankedByColocation(owned));
        return sorted.subList(0, Math.min(count, sorted.size()));
    }

    private ReplicaSetStatus calculateStatus(ReplicaSet rs, List<Pod> owned, RuntimeException manageError) {
        Instant now = clock.instant();
        Selector templateLabels = Selector.EVERYTHING;
        var tm = rs.spec().template().metadata();
        if (tm != null && !tm.labels().isEmpty()) {
            templateLabels = io.kardia.core.model.LabelSelector.of(tm.labels()).toSelector();
        }
        int fullyLabeled = 0;
        int ready = 0;
        int available = 0;
        int minReady = minReadySeconds(rs);
        for (Pod p : owned) {
            if (templateLabels.matches(p.metadata().labels())) {
                fullyLabeled++;
            }
            if (Pods.isReady(p)) {
                ready++;
                if (Pods.isAvailable(p, minReady, now)) {
                    available++;
                }
            }
        }
        ReplicaSetStatus current = rs.status() == null ? ReplicaSetStatus.builder().build() : rs.status();
        List<Condition> conditions = current.conditions();
        boolean hasFailure = Condition.find(conditions, REPLICA_FAILURE).isPresent();
        if (manageError != null && !hasFailure) {
            int diff = owned.size() - rs.spec().desiredReplicas();
            String reason = diff < 0 ? "FailedCreate" : "FailedDelete";
            conditions = Condition.set(conditions,
                    Condition.of(REPLICA_FAILURE, Condition.TRUE, reason, manageError.getMessage(), null), now);
        } else if (manageError == null && hasFailure) {
            conditions = Condition.remove(conditions, REPLICA_FAILURE);
        }
        return current.toBuilder()
                .replicas(owned.size())
                .fullyLabeledReplicas(fullyLabeled)
                .readyReplicas(ready)
                .availableReplicas(available)
                .observedGeneration(rs.metadata().generation())
                .conditions(conditions)
                .build();
    }

    static int minReadySeconds(ReplicaSet rs) {
        return rs.spec() == null || rs.spec().minReadySeconds() == null ? 0 : rs.spec().minReadySeconds();
    }

    private static int n(Integer v) {
        return v == null ? 0 : v;
    }
}
