package io.kardia.controllers.workload;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Condition;
import io.kardia.core.model.Deployment;
import io.kardia.core.model.DeploymentStatus;
import io.kardia.core.model.DeploymentStrategy;
import io.kardia.core.model.LabelSelector;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodTemplateSpec;
import io.kardia.core.model.ReplicaSet;
import io.kardia.core.model.ReplicaSetSpec;
import io.kardia.core.model.ResourceTypes;
import io.kardia.core.selector.Selector;
import io.kardia.core.selector.SelectorParseException;
import io.kardia.informer.SharedInformer;
import io.kardia.runtime.Conflicts;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * kube-controller-manager's Deployment controller: one ReplicaSet per pod template
 * ({@code <deployment>-<pod-template-hash>}), RollingUpdate and Recreate, proportional scaling,
 * revisions, pause, history cleanup and the Progressing/Available conditions, following
 * {@code pkg/controller/deployment} step by step.
 *
 * <p>One deliberate difference: where Kubernetes sizes a rolling update from the ReplicaSets'
 * {@code spec.replicas} and {@code status.availableReplicas} only, this controller also counts the
 * pods it sees (a ReplicaSet counts as {@code max(spec, pods that still exist)} towards the surge,
 * and as {@code min(spec, status, pods available now)} towards availability), so a ReplicaSet whose
 * status lags its scale-down can never make the rollout overshoot maxSurge or maxUnavailable.
 */
public final class DeploymentController implements TypedReconciler<Deployment> {
    public static final String NAME = "deployment-controller";
    public static final String REVISION = "deployment.kubernetes.io/revision";
    public static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
    public static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
    public static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
    static final String PROGRESSING = "Progressing";
    static final String AVAILABLE = "Available";
    static final String REPLICA_FAILURE = "ReplicaFailure";
    static final int DEFAULT_REVISION_HISTORY_LIMIT = 10;
    static final int DEFAULT_PROGRESS_DEADLINE = 600;
    /** Annotations of a Deployment not copied to its ReplicaSets ({@code annotationsToSkip}). */
    static final Set<String> NOT_COPIED = Set.of("kubectl.kubernetes.io/last-applied-configuration",
            REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, "deprecated.deployment.rollback.to");

    private final ResourceClient<Deployment> deployApi;
    private final ResourceClient<ReplicaSet> rsApi;
    private final ResourceClient<Pod> podApi;
    private final SharedInformer<ReplicaSet> replicaSets;
    private final SharedInformer<Pod> pods;
    private final SharedInformer<Deployment> deployments;
    private final EventRecorder events;
    private final Clock clock;

    DeploymentController(Manager manager, Clock clock) {
        this.deployApi = manager.apiClient().resources(Deployment.class);
        this.rsApi = manager.apiClient().resources(ReplicaSet.class);
        this.podApi = manager.apiClient().resources(Pod.class);
        this.replicaSets = manager.informers().informerFor(ResourceTypes.REPLICA_SET, manager.namespace(), Selector.EVERYTHING);
        this.pods = manager.informers().informerFor(ResourceTypes.POD, manager.namespace(), Selector.EVERYTHING);
        this.deployments = manager.informers().informerFor(ResourceTypes.DEPLOYMENT, manager.namespace(), Selector.EVERYTHING);
        this.events = manager.eventRecorder(NAME);
        this.clock = clock;
    }

    public static void register(Manager manager) {
        DeploymentController c = new DeploymentController(manager, manager.clock().wallClock()); // a simulation's virtual one too
        manager.newController()
                .forKind(Deployment.class)
                .named(NAME)
                .watches(ReplicaSet.class, c::deploymentsForReplicaSet)
                .watches(Pod.class, c::deploymentsForPod)
                .maxConcurrentReconciles(4)
                .complete(c);
    }

    Collection<Request> deploymentsForReplicaSet(ReplicaSet rs) {
        String ns = rs.metadata().namespace();
        Optional<OwnerReference> ref = rs.metadata().controllerRef();
        if (ref.isPresent()) {
            return "Deployment".equals(ref.get().kind()) ? List.of(new Request(ns, ref.get().name())) : List.of();
        }
        List<Request> out = new ArrayList<>();
        for (Deployment d : deployments.lister().namespace(ns).list()) {
            Selector s = selectorOrNull(d);
            if (s != null && !d.spec().selector().isEmpty() && s.matches(rs.metadata().labels())) {
                out.add(Request.of(d));
            }
        }
        return out;
    }

    Collection<Request> deploymentsForPod(Pod pod) {
        Optional<OwnerReference> ref = pod.metadata().controllerRef();
        if (ref.isEmpty() || !"ReplicaSet".equals(ref.get().kind())) {
            return List.of();
        }
        return replicaSets.lister().namespace(pod.metadata().namespace()).get(ref.get().name())
                .flatMap(rs -> rs.metadata().controllerRef())
                .filter(owner -> "Deployment".equals(owner.kind()))
                .map(owner -> List.of(new Request(pod.metadata().namespace(), owner.name())))
                .orElse(List.of());
    }

    private static Selector selectorOrNull(Deployment d) {
        try {
            return d.spec() == null || d.spec().selector() == null ? null : d.spec().selector().toSelector();
        } catch (SelectorParseException e) {
            return null;
        }
    }

    @Override
    public Result reconcile(Deployment deployment) {
        if (deployment.spec() == null || deployment.spec().selector() == null || deployment.spec().template() == null) {
            events.warning(deployment, "InvalidSpec", "spec.selector and spec.template are required");
            throw new TerminalException("Deployment " + deployment.key() + " has no selector or template");
        }
        Selector selector;
        try {
            selector = deployment.spec().selector().toSelector();
        } catch (SelectorParseException e) {
            events.warning(deployment, "InvalidSelector", "invalid spec.selector: " + e.getMessage());
            throw new TerminalException("Deployment " + deployment.key() + ": invalid selector: " + e.getMessage(), e);
        }
        if (deployment.spec().selector().isEmpty()) {
            events.warning(deployment, "SelectingAll",
                    "This deployment is selecting all pods. A non-empty selector is required.");
            Deployment d = deployment;
            StatusUpdates.updateStatus(deployApi, d, x -> x.withStatus(status(x).toBuilder()
                    .observedGeneration(x.metadata().generation()).build()));
            throw new TerminalException("Deployment " + deployment.key() + " selects all pods");
        }
        try {
            String ns = deployment.metadata().namespace();
            return new DeploymentSync(deployment, selector, replicaSets.lister().namespace(ns).list(),
                    pods.lister().namespace(ns).list(), deployApi, rsApi, podApi, events, clock).run();
        } catch (KubeApiException.NotFoundException gone) {
            if (deployApi.find(deployment.metadata().namespace(), deployment.metadata().name()).isEmpty()) {
                return Result.done(); // deleted while we synced it
            }
            throw gone;
        }
    }


    // ---- helpers of the sync classes and the tests ---------------------------------------------

    static final Comparator<ReplicaSet> BY_CREATION = Comparator
            .comparing((ReplicaSet rs) -> rs.metadata().creationTimestamp(), Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(rs -> rs.metadata().name());

    /** {@code SetDeploymentCondition}: unchanged when status and reason are; the transition time kept when status is. */
    static DeploymentStatus withCondition(DeploymentStatus st, Condition c) {
        Optional<Condition> cur = Condition.find(st.conditions(), c.type());
        if (cur.isPresent() && java.util.Objects.equals(cur.get().status(), c.status())
                && java.util.Objects.equals(cur.get().reason(), c.reason())) {
            return st;
        }
        Condition next = cur.isPresent() && java.util.Objects.equals(cur.get().status(), c.status())
                ? c.withLastTransitionTime(cur.get().lastTransitionTime()) : c;
        List<Condition> list = new ArrayList<>(Condition.remove(st.conditions(), c.type()));
        list.add(next);
        return st.toBuilder().conditions(list).build();
    }

    /** {@code DeploymentComplete}. */
    static boolean deploymentComplete(Deployment d, DeploymentStatus st) {
        int desired = d.spec().desiredReplicas();
        long generation = d.metadata().generation() == null ? 0 : d.metadata().generation();
        long observed = st.observedGeneration() == null ? 0 : st.observedGeneration();
        return nz(st.updatedReplicas()) == desired && nz(st.replicas()) == desired
                && nz(st.availableReplicas()) == desired && observed >= generation;
    }

    /** {@code DeploymentProgressing}: more updated, fewer old, more ready or more available replicas than before. */
    static boolean deploymentProgressing(DeploymentStatus old, DeploymentStatus st) {
        int oldOld = nz(old.replicas()) - nz(old.updatedReplicas());
        int newOld = nz(st.replicas()) - nz(st.updatedReplicas());
        return nz(st.updatedReplicas()) > nz(old.updatedReplicas()) || newOld < oldOld
                || nz(st.readyReplicas()) > nz(old.readyReplicas())
                || nz(st.availableReplicas()) > nz(old.availableReplicas());
    }

    static DeploymentStatus status(Deployment d) {
        return d.status() == null ? DeploymentStatus.builder().build() : d.status();
    }

    static long maxRevision(List<ReplicaSet> rss) {
        long max = 0;
        for (ReplicaSet rs : rss) {
            max = Math.max(max, parseRevision(rs.metadata().annotations().get(REVISION)));
        }
        return max;
    }

    static long parseRevision(String v) {
        if (v == null || v.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static Integer parseIntOrNull(String v) {
        try {
            return v == null ? null : Integer.valueOf(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static int sum(List<ReplicaSet> rss, java.util.function.ToIntFunction<ReplicaSet> f) {
        return rss.stream().mapToInt(f).sum();
    }

    static int nz(Integer v) {
        return v == null ? 0 : v;
    }
}
