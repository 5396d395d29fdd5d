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
    private static final Set<String> NOT_COPIED = Set.of("kubectl.kubernetes.io/last-applied-configuration",
            REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, "deprecated.deployment.rollback.to");

    private final ResourceClient<Deployment> deployApi;
    private final ResourceClient<ReplicaSet> rsApi;
    private final SharedInformer<ReplicaSet> replicaSets;
    private final SharedInformer<Pod> pods;
    private final SharedInformer<Deployment> deployments;
    private final EventRecorder events;
    private final Clock clock;

    DeploymentController(Manager manager, Clock clock) {
        this.deployApi = manager.apiClient().resources(Deployment.class);
        this.rsApi = manager.apiClient().resources(ReplicaSet.class);
        this.replicaSets = manager.informers().informerFor(ResourceTypes.REPLICA_SET, manager.namespace(), Selector.EVERYTHING);
        this.pods = manager.informers().informerFor(ResourceTypes.POD, manager.namespace(), Selector.EVERYTHING);
        this.deployments = manager.informers().informerFor(ResourceTypes.DEPLOYMENT, manager.namespace(), Selector.EVERYTHING);
        this.events = manager.eventRecorder(NAME);
        this.clock = clock;
    }

    public static void register(Manager manager) {
        DeploymentController c = new DeploymentController(manager, Clock.systemUTC());
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
            return new Sync(deployment, selector).run();
        } catch (KubeApiException.NotFoundException gone) {
            if (deployApi.find(deployment.metadata().namespace(), deployment.metadata().name()).isEmpty()) {
                return Result.done(); // deleted while we synced it
            }
            throw gone;
        }
    }

    /** One sync of one Deployment: the state it read and the writes it made so far. */
    private final class Sync {
        private Deployment d;
        private final Selector selector;
        private final List<ReplicaSet> rsList;
        private final Map<String, List<Pod>> podsByRs = new HashMap<>();
        private final Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);

        Sync(Deployment d, Selector selector) {
            this.d = d;
            this.selector = selector;
            String ns = d.metadata().namespace();
            this.rsList = new ArrayList<>(ControllerRefs.claim(d, selector,
                    replicaSets.lister().namespace(ns).list(), rsApi, this::canAdopt));
            Set<String> uids = new java.util.HashSet<>();
            rsList.forEach(rs -> uids.add(rs.metadata().uid()));
            for (Pod p : pods.lister().namespace(ns).list()) {
                p.metadata().controllerRef().filter(r -> uids.contains(r.uid()))
                        .ifPresent(r -> podsByRs.computeIfAbsent(r.uid(), k -> new ArrayList<>()).add(p));
            }
        }

        private boolean canAdopt() {
            return deployApi.find(d.metadata().namespace(), d.metadata().name())
                    .filter(f -> f.metadata().uid().equals(d.metadata().uid()) && f.metadata().deletionTimestamp() == null)
                    .isPresent();
        }

        Result run() {
            if (d.metadata().deletionTimestamp() != null) {
                Split s = split(false);
                syncDeploymentStatus(s);
                return Result.done();
            }
            checkPausedConditions();
            if (Boolean.TRUE.equals(d.spec().paused())) {
                return sync();
            }
            if (isScalingEvent()) {
                return sync();
            }
            if (DeploymentStrategy.RECREATE.equals(d.spec().strategy() == null ? null : d.spec().strategy().type())) {
                return rolloutRecreate();
            }
            return rolloutRolling();
        }

        // ---- ReplicaSets: new and old, revisions --------------------------------------------

        private record Split(ReplicaSet newRS, List<ReplicaSet> oldRSs) {
            List<ReplicaSet> all() {
                List<ReplicaSet> all = new ArrayList<>(oldRSs);
                if (newRS != null) {
                    all.add(newRS);
                }
                return all;
            }
        }

        /** {@code getAllReplicaSetsAndSyncRevision}. */
        private Split split(boolean createIfMissing) {
            List<ReplicaSet> byAge = new ArrayList<>(rsList);
            byAge.sort(BY_CREATION);
            ReplicaSet newRS = null;
            for (ReplicaSet rs : byAge) {
                if (TemplateHash.equalIgnoringHash(rs.spec().template(), d.spec().template())) {
                    newRS = rs;
                    break;
                }
            }
            List<ReplicaSet> old = new ArrayList<>();
            for (ReplicaSet rs : rsList) {
                if (newRS == null || !rs.metadata().uid().equals(newRS.metadata().uid())) {
                    old.add(rs);
                }
            }
            if (d.metadata().deletionTimestamp() != null) {
                return new Split(newRS, old);
            }
            ReplicaSet synced = syncNewReplicaSet(newRS, old, createIfMissing);
            return new Split(synced, old);
        }

        private ReplicaSet syncNewReplicaSet(ReplicaSet existing, List<ReplicaSet> old, boolean createIfMissing) {
            long newRevision = maxRevision(old) + 1;
            if (existing != null) {
                ReplicaSet rs = existing;
                ObjectMeta.Builder meta = rs.metadata().toBuilder();
                boolean changed = setNewReplicaSetAnnotations(meta, rs.metadata().annotations(), newRevision, true);
                Integer minReady = d.spec().minReadySeconds();
                boolean minReadyChanged = !java.util.Objects.equals(nz(rs.spec().minReadySeconds()), nz(minReady));
                if (changed || minReadyChanged) {
                    rs = replace(rsApi.update(rs.withMetadata(meta.build())
                            .withSpec(rs.spec().withMinReadySeconds(minReady))));
                }
                setDeploymentRevision(rs.metadata().annotations().get(REVISION));
                if (hasProgressDeadline() && progressing().isEmpty()) {
                    writeStatus(withCondition(status(d), newCondition(PROGRESSING, Condition.TRUE, "FoundNewReplicaSet",
                            "Found new replica set \"" + rs.metadata().name() + "\"")));
                }
                return rs;
            }
            if (!createIfMissing) {
                return null;
            }
            Integer collisionCount = status(d).collisionCount();
            String hash = TemplateHash.compute(d.spec().template(), collisionCount);
            PodTemplateSpec template = d.spec().template();
            ObjectMeta tm = template.metadata() == null ? ObjectMeta.builder().build() : template.metadata();
            PodTemplateSpec newTemplate = template.withMetadata(tm.toBuilder().label(TemplateHash.LABEL, hash).build());
            Map<String, String> matchLabels = new LinkedHashMap<>(d.spec().selector().matchLabels());
            matchLabels.put(TemplateHash.LABEL, hash);
            LabelSelector newSelector = new LabelSelector(matchLabels, d.spec().selector().matchExpressions());
            List<ReplicaSet> all = new ArrayList<>(old);
            int replicas = RolloutMath.isRollingUpdate(d)
                    ? RolloutMath.newReplicaSetReplicas(d.spec().desiredReplicas(), RolloutMath.maxSurge(d),
                            surgeCount(all), 0)
                    : d.spec().desiredReplicas();
            ObjectMeta.Builder meta = ObjectMeta.builder()
                    .namespace(d.metadata().namespace())
                    .name(d.metadata().name() + "-" + hash)
                    .labels(newTemplate.metadata().labels())
                    .ownerReference(OwnerReference.controllerOf(d));
            setNewReplicaSetAnnotations(meta, Map.of(), newRevision, false);
            meta.annotation(DESIRED_REPLICAS, Integer.toString(d.spec().desiredReplicas()));
            meta.annotation(MAX_REPLICAS, Integer.toString(d.spec().desiredReplicas() + RolloutMath.maxSurge(d)));
            ReplicaSet candidate = ReplicaSet.of(meta.build(), new ReplicaSetSpec(replicas, d.spec().minReadySeconds(),
                    newSelector, newTemplate, null));
            ReplicaSet created;
            boolean alreadyExisted = false;
            try {
                created = rsApi.create(candidate);
            } catch (KubeApiException.AlreadyExistsException e) {
                ReplicaSet found = rsApi.get(d.metadata().namespace(), candidate.metadata().name());
                boolean ours = found.metadata().controllerRef().map(r -> r.uid().equals(d.metadata().uid())).orElse(false);
                if (!(ours && TemplateHash.equalIgnoringHash(found.spec().template(), d.spec().template()))) {
                    int bumped = collisionCount == null ? 1 : collisionCount + 1;
                    writeStatus(status(d).toBuilder().collisionCount(bumped).build());
                    throw new IllegalStateException("hash collision for Deployment " + d.key() + ": ReplicaSet "
                            + found.metadata().name() + " exists with another template; collisionCount is now " + bumped);
                }
                created = found;
                alreadyExisted = true;
            }
            rsList.add(created);
            if (!alreadyExisted && replicas > 0) {
                events.normal(d, "ScalingReplicaSet", "Scaled up replica set " + created.metadata().name()
                        + " to " + replicas);
            }
            setDeploymentRevision(Long.toString(newRevision));
            if (!alreadyExisted && hasProgressDeadline()) {
                writeStatus(withCondition(status(d), newCondition(PROGRESSING, Condition.TRUE, "NewReplicaSetCreated",
                        "Created new replica set \"" + created.metadata().name() + "\"")));
            }
            return created;
        }

        /** {@code SetNewReplicaSetAnnotations}: copies the Deployment's annotations and raises the revision. */
        private boolean setNewReplicaSetAnnotations(ObjectMeta.Builder meta, Map<String, String> current,
                                                    long newRevision, boolean exists) {
            boolean changed = false;
            for (var e : d.metadata().annotations().entrySet()) {
                if (!NOT_COPIED.contains(e.getKey()) && !e.getValue().equals(current.get(e.getKey()))) {
                    meta.annotation(e.getKey(), e.getValue());
                    changed = true;
                }
            }
            String oldRevision = current.get(REVISION);
            long old = parseRevision(oldRevision);
            if (old < newRevision) {
                meta.annotation(REVISION, Long.toString(newRevision));
                changed = true;
                if (exists && oldRevision != null && !oldRevision.isEmpty()) {
                    String history = current.get(REVISION_HISTORY);
                    meta.annotation(REVISION_HISTORY, history == null || history.isEmpty()
                            ? oldRevision : history + "," + oldRevision);
                }
            }
            return changed;
        }

        /** The Deployment's revision annotation (a metadata write; the store bumps generation for it, as kube-apiserver does for annotations). */
        private void setDeploymentRevision(String revision) {
            if (revision == null || revision.equals(d.metadata().annotations().get(REVISION))) {
                return;
            }
            // A conflict is typically our own status write not yet in the cache: the spec decides whether we may go on.
            d = Conflicts.retryOnConflict(1, d, current -> deployApi.update(current.withMetadata(
                    current.metadata().toBuilder().annotation(REVISION, revision).build())),
                    Conflicts.ifUnchanged(deployApi, Deployment::spec)).orElseThrow();
        }

        // ---- strategies ----------------------------------------------------------------------

        private Result rolloutRolling() {
            Split s = split(true);
            if (reconcileNewReplicaSet(s)) {
                return syncRolloutStatus(split(false));
            }
            if (reconcileOldReplicaSets(s)) {
                return syncRolloutStatus(split(false));
            }
            if (deploymentComplete(d, status(d))) {
                cleanup(s.oldRSs());
            }
            return syncRolloutStatus(split(false));
        }

        private boolean reconcileNewReplicaSet(Split s) {
            ReplicaSet newRS = s.newRS();
            int desired = d.spec().desiredReplicas();
            int current = newRS.spec().desiredReplicas();
            if (current == desired) {
                return false;
            }
            if (current > desired) {
                return scaleAndRecord(newRS, desired);
            }
            int next = RolloutMath.newReplicaSetReplicas(desired, RolloutMath.maxSurge(d), surgeCount(s.all()), current);
            return scaleAndRecord(newRS, next);
        }

        private boolean reconcileOldReplicaSets(Split s) {
            List<ReplicaSet> old = s.oldRSs();
            int oldPods = old.stream().mapToInt(rs -> rs.spec().desiredReplicas()).sum();
            if (oldPods == 0) {
                return false;
            }
            ReplicaSet newRS = s.newRS();
            int maxUnavailable = RolloutMath.maxUnavailable(d);
            int newUnavailable = newRS.spec().desiredReplicas() - availableCount(newRS);
            int maxScaledDown = RolloutMath.maxScaledDown(surgeCount(s.all()), d.spec().desiredReplicas(),
                    maxUnavailable, newUnavailable);
            if (maxScaledDown <= 0) {
                return false;
            }
            // cleanupUnhealthyReplicas: first drop old pods that are not available anyway
            List<ReplicaSet> byAge = new ArrayList<>(current(old));
            byAge.sort(BY_CREATION);
            int cleaned = 0;
            for (ReplicaSet rs : byAge) {
                if (cleaned >= maxScaledDown) {
                    break;
                }
                int replicas = rs.spec().desiredReplicas();
                int avail = availableCount(rs);
                if (replicas == 0 || replicas == avail) {
                    continue;
                }
                int down = Math.min(maxScaledDown - cleaned, replicas - avail);
                scaleAndRecord(rs, replicas - down);
                cleaned += down;
            }
            // scaleDownOldReplicaSetsForRollingUpdate: then available old pods, keeping minAvailable
            int minAvailable = d.spec().desiredReplicas() - maxUnavailable;
            List<ReplicaSet> all = current(s.all());
            int available = all.stream().mapToInt(this::availableCount).sum();
            int scaledDown = 0;
            if (available > minAvailable) {
                int total = available - minAvailable;
                List<ReplicaSet> olds = current(old);
                olds.sort(BY_CREATION);
                for (ReplicaSet rs : olds) {
                    if (scaledDown >= total) {
                        break;
                    }
                    int replicas = rs.spec().desiredReplicas();
                    if (replicas == 0) {
                        continue;
                    }
                    int down = Math.min(replicas, total - scaledDown);
                    scaleAndRecord(rs, replicas - down);
                    scaledDown += down;
                }
            }
            return cleaned + scaledDown > 0;
        }

        private Result rolloutRecreate() {
            Split s = split(false);
            boolean scaledDown = false;
            for (ReplicaSet rs : s.oldRSs()) {
                if (rs.spec().desiredReplicas() > 0) {
                    scaledDown |= scaleAndRecord(rs, 0);
                }
            }
            if (scaledDown) {
                return syncRolloutStatus(split(false));
            }
            if (oldPodsRunning(s)) {
                return syncRolloutStatus(split(false));
            }
            if (s.newRS() == null) {
                s = split(true);
            }
            ReplicaSet newRS = s.newRS();
            if (newRS.spec().desiredReplicas() != d.spec().desiredReplicas()) {
                scaleAndRecord(newRS, d.spec().desiredReplicas());
            }
            if (deploymentComplete(d, status(d))) {
                cleanup(s.oldRSs());
            }
            return syncRolloutStatus(split(false));
        }

        /** {@code oldPodsRunning}: old ReplicaSets still report pods, or pods of them (not terminal) still exist. */
        private boolean oldPodsRunning(Split s) {
            List<ReplicaSet> old = current(s.oldRSs());
            if (old.stream().mapToInt(rs -> rs.status() == null ? 0 : nz(rs.status().replicas())).sum() > 0) {
                return true;
            }
            String newUid = s.newRS() == null ? null : s.newRS().metadata().uid();
            for (var e : podsByRs.entrySet()) {
                if (e.getKey().equals(newUid)) {
                    continue;
                }
                for (Pod p : e.getValue()) {
                    String phase = p.phase();
                    if (!"Failed".equals(phase) && !"Succeeded".equals(phase)) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** {@code sync}: scaling only (paused, or a resize): proportional scaling, cleanup when paused, status. */
        private Result sync() {
            Split s = split(false);
            scale(s);
            s = split(false);
            if (Boolean.TRUE.equals(d.spec().paused())) {
                cleanup(s.oldRSs());
            }
            syncDeploymentStatus(split(false));
            return Result.done();
        }

        private boolean isScalingEvent() {
            Split s = split(false);
            for (ReplicaSet rs : s.all()) {
                if (rs.spec().desiredReplicas() == 0) {
                    continue;
                }
                String desired = rs.metadata().annotations().get(DESIRED_REPLICAS);
                if (desired == null) {
                    continue;
                }
                try {
                    if (Integer.parseInt(desired) != d.spec().desiredReplicas()) {
                        return true;
                    }
                } catch (NumberFormatException ignored) {
                    // as Kubernetes: an unreadable annotation is no scaling event
                }
            }
            return false;
        }

        private void scale(Split s) {
            int desired = d.spec().desiredReplicas();
            ReplicaSet activeOrLatest = activeOrLatest(s);
            if (activeOrLatest != null) {
                if (activeOrLatest.spec().desiredReplicas() != desired) {
                    scaleAndRecord(activeOrLatest, desired);
                }
                return;
            }
            ReplicaSet newRS = s.newRS();
            if (newRS != null && newRS.spec().desiredReplicas() == desired
                    && Integer.toString(desired).equals(newRS.metadata().annotations().get(DESIRED_REPLICAS))
                    && newRS.status() != null && nz(newRS.status().availableReplicas()) == desired) {
                for (ReplicaSet old : s.oldRSs()) {
                    if (old.spec().desiredReplicas() > 0) {
                        scaleAndRecord(old, 0);
                    }
                }
                return;
            }
            if (!RolloutMath.isRollingUpdate(d)) {
                return;
            }
            List<ReplicaSet> active = s.all().stream().filter(rs -> rs.spec().desiredReplicas() > 0).toList();
            List<RolloutMath.Sized> sized = active.stream().map(rs -> new RolloutMath.Sized(rs.metadata().name(),
                    rs.metadata().creationTimestamp(), rs.spec().desiredReplicas(),
                    parseIntOrNull(rs.metadata().annotations().get(MAX_REPLICAS)))).toList();
            Map<String, Integer> sizes = RolloutMath.proportionalSizes(sized, desired, RolloutMath.maxSurge(d),
                    nz(status(d).replicas()));
            int total = sized.stream().mapToInt(RolloutMath.Sized::replicas).sum();
            String op = (desired > 0 ? desired + RolloutMath.maxSurge(d) : 0) > total ? "up" : "down";
            for (ReplicaSet rs : active) {
                scaleReplicaSet(rs, sizes.get(rs.metadata().name()), op);
            }
        }

        private ReplicaSet activeOrLatest(Split s) {
            if (s.newRS() == null && s.oldRSs().isEmpty()) {
                return null;
            }
            List<ReplicaSet> active = s.all().stream().filter(rs -> rs.spec().desiredReplicas() > 0).toList();
            if (active.size() == 1) {
                return active.get(0);
            }
            if (active.isEmpty()) {
                if (s.newRS() != null) {
                    return s.newRS();
                }
                List<ReplicaSet> old = new ArrayList<>(s.oldRSs());
                old.sort(BY_CREATION.reversed());
                return old.get(0);
            }
            return null;
        }

        /** {@code cleanupDeployment}: delete the oldest ReplicaSets beyond revisionHistoryLimit that run nothing. */
        private void cleanup(List<ReplicaSet> oldRSs) {
            int limit = d.spec().revisionHistoryLimit() == null ? DEFAULT_REVISION_HISTORY_LIMIT
                    : d.spec().revisionHistoryLimit();
            List<ReplicaSet> cleanable = new ArrayList<>(current(oldRSs).stream()
                    .filter(rs -> rs.metadata().deletionTimestamp() == null).toList());
            int diff = cleanable.size() - limit;
            if (diff <= 0) {
                return;
            }
            cleanable.sort(Comparator.comparingLong((ReplicaSet rs) -> parseRevision(rs.metadata().annotations().get(REVISION)))
                    .thenComparing(BY_CREATION));
            for (int i = 0; i < diff; i++) {
                ReplicaSet rs = cleanable.get(i);
                int statusReplicas = rs.status() == null ? 0 : nz(rs.status().replicas());
                long observed = rs.status() == null || rs.status().observedGeneration() == null
                        ? 0 : rs.status().observedGeneration();
                long generation = rs.metadata().generation() == null ? 0 : rs.metadata().generation();
                if (statusReplicas != 0 || rs.spec().desiredReplicas() != 0 || generation > observed) {
                    continue;
                }
                try {
                    rsApi.delete(rs.metadata().namespace(), rs.metadata().name(),
                            io.kardia.core.client.DeleteOptions.DEFAULT.withPreconditions(rs.metadata().uid(), null));
                } catch (KubeApiException.NotFoundException | KubeApiException.ConflictException gone) {
                    // already gone
                }
            }
        }

        // ---- scaling -------------------------------------------------------------------------

        private boolean scaleAndRecord(ReplicaSet rs, int newScale) {
            rs = latest(rs);
            int current = rs.spec().desiredReplicas();
            if (current == newScale) {
                return false;
            }
            return scaleReplicaSet(rs, newScale, current < newScale ? "up" : "down");
        }

        /** {@code scaleReplicaSet}: size and the desired/max-replicas annotations in one write. */
        private boolean scaleReplicaSet(ReplicaSet rs, int newScale, String op) {
            rs = latest(rs);
            int oldScale = rs.spec().desiredReplicas();
            String desired = Integer.toString(d.spec().desiredReplicas());
            String max = Integer.toString(d.spec().desiredReplicas() + RolloutMath.maxSurge(d));
            boolean sizeChanged = oldScale != newScale;
            boolean annotationsChanged = !desired.equals(rs.metadata().annotations().get(DESIRED_REPLICAS))
                    || !max.equals(rs.metadata().annotations().get(MAX_REPLICAS));
            if (!sizeChanged && !annotationsChanged) {
                return false;
            }
            // A conflict is usually only the ReplicaSet's status moving on: the decision stands if its spec did not.
            ReplicaSet updated = replace(Conflicts.retryOnConflict(1, rs,
                    current -> rsApi.update(scaled(current, newScale, desired, max)),
                    Conflicts.ifUnchanged(rsApi, ReplicaSet::spec)).orElseThrow());
            if (sizeChanged) {
                events.normal(d, "ScalingReplicaSet", "Scaled " + op + " replica set " + updated.metadata().name()
                        + " to " + newScale + " from " + oldScale);
            }
            return sizeChanged;
        }

        private static ReplicaSet scaled(ReplicaSet rs, int newScale, String desired, String max) {
            return rs.withMetadata(rs.metadata().toBuilder().annotation(DESIRED_REPLICAS, desired)
                            .annotation(MAX_REPLICAS, max).build())
                    .withSpec(rs.spec().withReplicas(newScale));
        }

        private ReplicaSet replace(ReplicaSet updated) {
            for (int i = 0; i < rsList.size(); i++) {
                if (rsList.get(i).metadata().uid().equals(updated.metadata().uid())) {
                    rsList.set(i, updated);
                    return updated;
                }
            }
            rsList.add(updated);
            return updated;
        }

        private ReplicaSet latest(ReplicaSet rs) {
            for (ReplicaSet r : rsList) {
                if (r.metadata().uid().equals(rs.metadata().uid())) {
                    return r;
                }
            }
            return rs;
        }

        private List<ReplicaSet> current(List<ReplicaSet> rss) {
            List<ReplicaSet> out = new ArrayList<>(rss.size());
            for (ReplicaSet rs : rss) {
                out.add(latest(rs));
            }
            return out;
        }

        /** Pods counted towards the surge: per ReplicaSet the larger of its size and the pods of it that still exist. */
        private int surgeCount(List<ReplicaSet> rss) {
            int total = 0;
            for (ReplicaSet rs : current(rss)) {
                int existing = 0;
                for (Pod p : podsByRs.getOrDefault(rs.metadata().uid(), List.of())) {
                    if (!"Failed".equals(p.phase()) && !"Succeeded".equals(p.phase())) {
                        existing++;
                    }
                }
                total += Math.max(rs.spec().desiredReplicas(), existing);
            }
            return total;
        }

        /** Available pods a ReplicaSet is sure to keep: the least of its size, its status and the available pods seen now. */
        private int availableCount(ReplicaSet rs) {
            rs = latest(rs);
            int minReady = nz(rs.spec().minReadySeconds());
            int seen = 0;
            for (Pod p : podsByRs.getOrDefault(rs.metadata().uid(), List.of())) {
                if (Pods.isActive(p) && Pods.isAvailable(p, minReady, clock.instant())) {
                    seen++;
                }
            }
            int reported = rs.status() == null ? 0 : nz(rs.status().availableReplicas());
            return Math.min(rs.spec().desiredReplicas(), Math.min(reported, seen));
        }

        // ---- status --------------------------------------------------------------------------

        private void checkPausedConditions() {
            if (!hasProgressDeadline()) {
                return;
            }
            Optional<Condition> cond = progressing();
            if (cond.isPresent() && "ProgressDeadlineExceeded".equals(cond.get().reason())) {
                return;
            }
            boolean pausedCond = cond.isPresent() && "DeploymentPaused".equals(cond.get().reason());
            boolean paused = Boolean.TRUE.equals(d.spec().paused());
            if (paused && !pausedCond) {
                writeStatus(withCondition(status(d), newCondition(PROGRESSING, Condition.UNKNOWN, "DeploymentPaused",
                        "Deployment is paused")));
            } else if (!paused && pausedCond) {
                writeStatus(withCondition(status(d), newCondition(PROGRESSING, Condition.UNKNOWN, "DeploymentResumed",
                        "Deployment is resumed")));
            }
        }

        /** {@code calculateStatus}. */
        private DeploymentStatus calculateStatus(Split s) {
            List<ReplicaSet> all = current(s.all());
            int available = sum(all, rs -> rs.status() == null ? 0 : nz(rs.status().availableReplicas()));
            int total = sum(all, rs -> rs.spec().desiredReplicas());
            int unavailable = Math.max(0, total - available);
            ReplicaSet newRS = s.newRS() == null ? null : latest(s.newRS());
            DeploymentStatus current = status(d);
            DeploymentStatus st = current.toBuilder()
                    .observedGeneration(d.metadata().generation())
                    .replicas(sum(all, rs -> rs.status() == null ? 0 : nz(rs.status().replicas())))
                    .updatedReplicas(newRS == null || newRS.status() == null ? 0 : nz(newRS.status().replicas()))
                    .readyReplicas(sum(all, rs -> rs.status() == null ? 0 : nz(rs.status().readyReplicas())))
                    .availableReplicas(available)
                    .unavailableReplicas(unavailable)
                    .build();
            if (available >= d.spec().desiredReplicas() - RolloutMath.maxUnavailable(d)) {
                st = withCondition(st, newCondition(AVAILABLE, Condition.TRUE, "MinimumReplicasAvailable",
                        "Deployment has minimum availability."));
            } else {
                st = withCondition(st, newCondition(AVAILABLE, Condition.FALSE, "MinimumReplicasUnavailable",
                        "Deployment does not have minimum availability."));
            }
            return st;
        }

        private void syncDeploymentStatus(Split s) {
            writeStatus(calculateStatus(s));
        }

        /** {@code syncRolloutStatus}: counts, Progressing (with the deadline), ReplicaFailure; requeue for the deadline. */
        private Result syncRolloutStatus(Split s) {
            DeploymentStatus st = calculateStatus(s);
            if (!hasProgressDeadline()) {
                st = st.toBuilder().conditions(Condition.remove(st.conditions(), PROGRESSING)).build();
            }
            Optional<Condition> currentCond = progressing();
            ReplicaSet newRS = s.newRS();
            boolean complete = nz(st.replicas()) == nz(st.updatedReplicas()) && currentCond.isPresent()
                    && "NewReplicaSetAvailable".equals(currentCond.get().reason());
            if (hasProgressDeadline() && !complete) {
                String subject = newRS != null ? "ReplicaSet \"" + newRS.metadata().name() + "\""
                        : "Deployment \"" + d.metadata().name() + "\"";
                if (deploymentComplete(d, st)) {
                    st = withCondition(st, newCondition(PROGRESSING, Condition.TRUE, "NewReplicaSetAvailable",
                            subject + " has successfully progressed."));
                } else if (deploymentProgressing(status(d), st)) {
                    Condition c = newCondition(PROGRESSING, Condition.TRUE, "ReplicaSetUpdated", subject + " is progressing.");
                    if (currentCond.isPresent() && currentCond.get().isTrue()) {
                        c = c.withLastTransitionTime(currentCond.get().lastTransitionTime());
                    }
                    st = st.toBuilder().conditions(Condition.remove(st.conditions(), PROGRESSING)).build();
                    st = withCondition(st, c);
                } else if (timedOut(currentCond)) {
                    st = withCondition(st, newCondition(PROGRESSING, Condition.FALSE, "ProgressDeadlineExceeded",
                            subject + " has timed out progressing."));
                }
            }
            Optional<Condition> failure = replicaFailure(s);
            if (failure.isPresent()) {
                st = withCondition(st, failure.get());
            } else {
                st = st.toBuilder().conditions(Condition.remove(st.conditions(), REPLICA_FAILURE)).build();
            }
            writeStatus(st);
            return requeueForDeadline();
        }

        private Optional<Condition> replicaFailure(Split s) {
            List<ReplicaSet> order = new ArrayList<>();
            if (s.newRS() != null) {
                order.add(latest(s.newRS()));
            }
            order.addAll(current(s.oldRSs()));
            for (ReplicaSet rs : order) {
                if (rs.status() == null) {
                    continue;
                }
                Optional<Condition> c = Condition.find(rs.status().conditions(), REPLICA_FAILURE);
                if (c.isPresent()) {
                    return Optional.of(newCondition(REPLICA_FAILURE, c.get().status(), c.get().reason(), c.get().message()));
                }
            }
            return Optional.empty();
        }

        /** {@code requeueStuckDeployment}: look again when the progress deadline would pass. */
        private Result requeueForDeadline() {
            Optional<Condition> cond = progressing();
            if (!hasProgressDeadline() || cond.isEmpty() || deploymentComplete(d, status(d))
                    || "ProgressDeadlineExceeded".equals(cond.get().reason())) {
                return Result.done();
            }
            Instant from = cond.get().lastUpdateTime() != null ? cond.get().lastUpdateTime() : cond.get().lastTransitionTime();
            if (from == null) {
                return Result.done();
            }
            Duration after = Duration.between(clock.instant(), from.plusSeconds(progressDeadline()));
            if (after.compareTo(Duration.ofSeconds(1)) < 0) {
                return Result.requeueAfter(Duration.ofMillis(500));
            }
            return Result.requeueAfter(after.plusSeconds(1));
        }

        private boolean timedOut(Optional<Condition> cond) {
            if (!hasProgressDeadline() || cond.isEmpty()) {
                return false;
            }
            Condition c = cond.get();
            if ("NewReplicaSetAvailable".equals(c.reason())) {
                return false;
            }
            if ("ProgressDeadlineExceeded".equals(c.reason())) {
                return true;
            }
            Instant from = c.lastUpdateTime() != null ? c.lastUpdateTime() : c.lastTransitionTime();
            return from != null && from.plusSeconds(progressDeadline()).isBefore(clock.instant());
        }

        private Optional<Condition> progressing() {
            return Condition.find(status(d).conditions(), PROGRESSING);
        }

        private boolean hasProgressDeadline() {
            Integer p = d.spec().progressDeadlineSeconds();
            return p == null || p != Integer.MAX_VALUE;
        }

        private int progressDeadline() {
            Integer p = d.spec().progressDeadlineSeconds();
            return p == null ? DEFAULT_PROGRESS_DEADLINE : p;
        }

        private Condition newCondition(String type, String status, String reason, String message) {
            return new Condition(type, status, null, null, null, now, now, reason, message, null);
        }

        private void writeStatus(DeploymentStatus st) {
            d = StatusUpdates.updateStatus(deployApi, d, x -> x.withStatus(st));
        }
    }

    // ---- helpers shared with tests ------------------------------------------------------------

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

    private static Integer parseIntOrNull(String v) {
        try {
            return v == null ? null : Integer.valueOf(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int sum(List<ReplicaSet> rss, java.util.function.ToIntFunction<ReplicaSet> f) {
        return rss.stream().mapToInt(f).sum();
    }

    static int nz(Integer v) {
        return v == null ? 0 : v;
    }
}
