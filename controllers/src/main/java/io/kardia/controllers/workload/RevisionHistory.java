package io.kardia.controllers.workload;

import static io.kardia.controllers.workload.DeploymentController.BY_CREATION;
import static io.kardia.controllers.workload.DeploymentController.DEFAULT_REVISION_HISTORY_LIMIT;
import static io.kardia.controllers.workload.DeploymentController.DESIRED_REPLICAS;
import static io.kardia.controllers.workload.DeploymentController.MAX_REPLICAS;
import static io.kardia.controllers.workload.DeploymentController.NOT_COPIED;
import static io.kardia.controllers.workload.DeploymentController.PROGRESSING;
import static io.kardia.controllers.workload.DeploymentController.REVISION;
import static io.kardia.controllers.workload.DeploymentController.REVISION_HISTORY;
import static io.kardia.controllers.workload.DeploymentController.maxRevision;
import static io.kardia.controllers.workload.DeploymentController.nz;
import static io.kardia.controllers.workload.DeploymentController.parseRevision;
import static io.kardia.controllers.workload.DeploymentController.status;
import static io.kardia.controllers.workload.DeploymentController.withCondition;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.model.Condition;
import io.kardia.core.model.Deployment;
import io.kardia.core.model.LabelSelector;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.PodTemplateSpec;
import io.kardia.core.model.ReplicaSet;
import io.kardia.core.model.ReplicaSetSpec;
import io.kardia.runtime.Conflicts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Deployment's ReplicaSets as revisions: which one is new (its template is the Deployment's),
 * the revision annotations on it and on the Deployment, creating the new ReplicaSet, and deleting
 * old ones beyond {@code revisionHistoryLimit} ({@code kubectl rollout undo} picks its target
 * among those kept). Every {@code sync...}/{@code write...}/{@code delete...} method writes.
 */
final class RevisionHistory {
    private final SyncState state;
    private final RolloutStatus rolloutStatus;

    RevisionHistory(SyncState state, RolloutStatus rolloutStatus) {
        this.state = state;
        this.rolloutStatus = rolloutStatus;
    }

    /**
     * {@code getAllReplicaSetsAndSyncRevision}: sorts the owned ReplicaSets into new and old, and
     * writes: the new ReplicaSet's revision annotations and minReadySeconds, the Deployment's
     * revision annotation and its Progressing condition; with {@code createIfMissing}, creates
     * the new ReplicaSet when there is none.
     */
    OwnedReplicaSets syncReplicaSetsAndRevision(boolean createIfMissing) {
        List<ReplicaSet> byAge = new ArrayList<>(state.rsList);
        byAge.sort(BY_CREATION);
        ReplicaSet newRS = null;
        for (ReplicaSet rs : byAge) {
            if (TemplateHash.equalIgnoringHash(rs.spec().template(), state.d.spec().template())) {
                newRS = rs;
                break;
            }
        }
        List<ReplicaSet> old = new ArrayList<>();
        for (ReplicaSet rs : state.rsList) {
            if (newRS == null || !rs.metadata().uid().equals(newRS.metadata().uid())) {
                old.add(rs);
            }
        }
        if (state.d.metadata().deletionTimestamp() != null) {
            return new OwnedReplicaSets(newRS, old);
        }
        ReplicaSet synced = updateOrCreateNewReplicaSet(newRS, old, createIfMissing);
        return new OwnedReplicaSets(synced, old);
    }

    private ReplicaSet updateOrCreateNewReplicaSet(ReplicaSet existing, List<ReplicaSet> old, boolean createIfMissing) {
        long newRevision = maxRevision(old) + 1;
        if (existing != null) {
            ReplicaSet rs = existing;
            ObjectMeta.Builder meta = rs.metadata().toBuilder();
            boolean changed = copyAnnotationsAndRaiseRevision(meta, rs.metadata().annotations(), newRevision, true);
            Integer minReady = state.d.spec().minReadySeconds();
            boolean minReadyChanged = !java.util.Objects.equals(nz(rs.spec().minReadySeconds()), nz(minReady));
            if (changed || minReadyChanged) {
                rs = state.replace(state.rsApi.update(rs.withMetadata(meta.build())
                        .withSpec(rs.spec().withMinReadySeconds(minReady))));
            }
            writeDeploymentRevision(rs.metadata().annotations().get(REVISION));
            if (rolloutStatus.hasProgressDeadline() && rolloutStatus.progressing().isEmpty()) {
                rolloutStatus.writeStatus(withCondition(status(state.d), rolloutStatus.newCondition(PROGRESSING, Condition.TRUE, "FoundNewReplicaSet",
                        "Found new replica set \"" + rs.metadata().name() + "\"")));
            }
            return rs;
        }
        if (!createIfMissing) {
            return null;
        }
        Integer collisionCount = status(state.d).collisionCount();
        String hash = TemplateHash.compute(state.d.spec().template(), collisionCount);
        PodTemplateSpec template = state.d.spec().template();
        ObjectMeta tm = template.metadata() == null ? ObjectMeta.builder().build() : template.metadata();
        PodTemplateSpec newTemplate = template.withMetadata(tm.toBuilder().label(TemplateHash.LABEL, hash).build());
        Map<String, String> matchLabels = new LinkedHashMap<>(state.d.spec().selector().matchLabels());
        matchLabels.put(TemplateHash.LABEL, hash);
        LabelSelector newSelector = new LabelSelector(matchLabels, state.d.spec().selector().matchExpressions());
        List<ReplicaSet> all = new ArrayList<>(old);
        int replicas = RolloutMath.isRollingUpdate(state.d)
                ? RolloutMath.newReplicaSetReplicas(state.d.spec().desiredReplicas(), RolloutMath.maxSurge(state.d),
                        state.surgeCount(all), 0)
                : state.d.spec().desiredReplicas();
        ObjectMeta.Builder meta = ObjectMeta.builder()
                .namespace(state.d.metadata().namespace())
                .name(state.d.metadata().name() + "-" + hash)
                .labels(newTemplate.metadata().labels())
                .ownerReference(OwnerReference.controllerOf(state.d));
        copyAnnotationsAndRaiseRevision(meta, Map.of(), newRevision, false);
        meta.annotation(DESIRED_REPLICAS, Integer.toString(state.d.spec().desiredReplicas()));
        meta.annotation(MAX_REPLICAS, Integer.toString(state.d.spec().desiredReplicas() + RolloutMath.maxSurge(state.d)));
        ReplicaSet candidate = ReplicaSet.of(meta.build(), new ReplicaSetSpec(replicas, state.d.spec().minReadySeconds(),
                newSelector, newTemplate, null));
        ReplicaSet created;
        boolean alreadyExisted = false;
        try {
            created = state.rsApi.create(candidate);
        } catch (KubeApiException.AlreadyExistsException e) {
            ReplicaSet found = state.rsApi.get(state.d.metadata().namespace(), candidate.metadata().name());
            boolean ours = found.metadata().controllerRef().map(r -> r.uid().equals(state.d.metadata().uid())).orElse(false);
            if (!(ours && TemplateHash.equalIgnoringHash(found.spec().template(), state.d.spec().template()))) {
                int bumped = collisionCount == null ? 1 : collisionCount + 1;
                rolloutStatus.writeStatus(status(state.d).toBuilder().collisionCount(bumped).build());
                throw new IllegalStateException("hash collision for Deployment " + state.d.key() + ": ReplicaSet "
                        + found.metadata().name() + " exists with another template; collisionCount is state.now " + bumped);
            }
            created = found;
            alreadyExisted = true;
        }
        state.rsList.add(created);
        if (!alreadyExisted && replicas > 0) {
            state.events.normal(state.d, "ScalingReplicaSet", "Scaled up replica set " + created.metadata().name()
                    + " to " + replicas);
        }
        writeDeploymentRevision(Long.toString(newRevision));
        if (!alreadyExisted && rolloutStatus.hasProgressDeadline()) {
            rolloutStatus.writeStatus(withCondition(status(state.d), rolloutStatus.newCondition(PROGRESSING, Condition.TRUE, "NewReplicaSetCreated",
                    "Created new replica set \"" + created.metadata().name() + "\"")));
        }
        return created;
    }

    /** {@code SetNewReplicaSetAnnotations}: copies the Deployment's annotations and raises the revision. */
    private boolean copyAnnotationsAndRaiseRevision(ObjectMeta.Builder meta, Map<String, String> current,
                                                long newRevision, boolean exists) {
        boolean changed = false;
        for (var e : state.d.metadata().annotations().entrySet()) {
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
    private void writeDeploymentRevision(String revision) {
        if (revision == null || revision.equals(state.d.metadata().annotations().get(REVISION))) {
            return;
        }
        // A conflict is typically our own status write not yet in the cache: the spec decides whether we may go on.
        state.d = Conflicts.retryOnConflict(1, state.d, current -> state.deployApi.update(current.withMetadata(
                current.metadata().toBuilder().annotation(REVISION, revision).build())),
                Conflicts.ifUnchanged(state.deployApi, Deployment::spec)).orElseThrow();
    }

    /** {@code cleanupDeployment}: delete the oldest ReplicaSets beyond revisionHistoryLimit that run nothing. */
    void deleteOldReplicaSetsBeyondHistoryLimit(List<ReplicaSet> oldRSs) {
        int limit = state.d.spec().revisionHistoryLimit() == null ? DEFAULT_REVISION_HISTORY_LIMIT
                : state.d.spec().revisionHistoryLimit();
        List<ReplicaSet> cleanable = new ArrayList<>(state.current(oldRSs).stream()
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
                state.rsApi.delete(rs.metadata().namespace(), rs.metadata().name(),
                        io.kardia.core.client.DeleteOptions.DEFAULT.withPreconditions(rs.metadata().uid(), null));
            } catch (KubeApiException.NotFoundException | KubeApiException.ConflictException gone) {
                // already gone
            }
        }
    }
}
