package io.kardia.controllers.workload;

import static io.kardia.controllers.workload.DeploymentController.BY_CREATION;
import static io.kardia.controllers.workload.DeploymentController.DESIRED_REPLICAS;
import static io.kardia.controllers.workload.DeploymentController.MAX_REPLICAS;
import static io.kardia.controllers.workload.DeploymentController.nz;
import static io.kardia.controllers.workload.DeploymentController.parseIntOrNull;
import static io.kardia.controllers.workload.DeploymentController.status;

import io.kardia.core.model.Deployment;
import io.kardia.core.model.ReplicaSet;
import io.kardia.runtime.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * kube-controller-manager's {@code sync}: the Deployment is paused or was resized, so no rollout
 * step is taken; ReplicaSets are resized (proportionally while a rolling update is under way).
 */
final class ProportionalScaling {
    private final SyncState state;
    private final RolloutStatus rolloutStatus;
    private final ReplicaSetScaler scaler;
    private final RevisionHistory history;

    ProportionalScaling(SyncState state, RolloutStatus rolloutStatus, ReplicaSetScaler scaler, RevisionHistory history) {
        this.state = state;
        this.rolloutStatus = rolloutStatus;
        this.scaler = scaler;
        this.history = history;
    }

    /** {@code sync}: scaling only (paused, or a resize): proportional scaling, cleanup when paused, status. */
    Result scaleAndWriteStatus() {
        // Sized from the ReplicaSets as the API has them: a cache that lags this controller's own
        // last write split the new size from a stale one, and the write to the stale ReplicaSet failed
        // on its resourceVersion while the others' went through (more than replicas + maxSurge in all).
        state.refreshReplicaSets();
        OwnedReplicaSets s = history.syncReplicaSetsAndRevision(false);
        scaleProportionally(s);
        s = history.syncReplicaSetsAndRevision(false);
        if (Boolean.TRUE.equals(state.d.spec().paused())) {
            history.deleteOldReplicaSetsBeyondHistoryLimit(s.oldRSs());
        }
        rolloutStatus.writeStatusCounts(history.syncReplicaSetsAndRevision(false));
        return Result.done();
    }

    boolean isScalingEvent() {
        OwnedReplicaSets s = history.syncReplicaSetsAndRevision(false);
        for (ReplicaSet rs : s.all()) {
            if (rs.spec().desiredReplicas() == 0) {
                continue;
            }
            String desired = rs.metadata().annotations().get(DESIRED_REPLICAS);
            if (desired == null) {
                continue;
            }
            try {
                if (Integer.parseInt(desired) != state.d.spec().desiredReplicas()) {
                    return true;
                }
            } catch (NumberFormatException ignored) {
                // as Kubernetes: an unreadable annotation is no scaling event
            }
        }
        return false;
    }

    private void scaleProportionally(OwnedReplicaSets s) {
        int desired = state.d.spec().desiredReplicas();
        ReplicaSet activeOrLatest = activeOrLatest(s);
        if (activeOrLatest != null) {
            if (activeOrLatest.spec().desiredReplicas() != desired) {
                scaler.scaleTo(activeOrLatest, desired);
            }
            return;
        }
        ReplicaSet newRS = s.newRS();
        if (newRS != null && newRS.spec().desiredReplicas() == desired
                && Integer.toString(desired).equals(newRS.metadata().annotations().get(DESIRED_REPLICAS))
                && newRS.status() != null && nz(newRS.status().availableReplicas()) == desired) {
            for (ReplicaSet old : s.oldRSs()) {
                if (old.spec().desiredReplicas() > 0) {
                    scaler.scaleTo(old, 0);
                }
            }
            return;
        }
        if (!RolloutMath.isRollingUpdate(state.d)) {
            return;
        }
        List<ReplicaSet> active = s.all().stream().filter(rs -> rs.spec().desiredReplicas() > 0).toList();
        List<RolloutMath.Sized> sized = active.stream().map(rs -> new RolloutMath.Sized(rs.metadata().name(),
                rs.metadata().creationTimestamp(), rs.spec().desiredReplicas(),
                parseIntOrNull(rs.metadata().annotations().get(MAX_REPLICAS)))).toList();
        Map<String, Integer> sizes = RolloutMath.proportionalSizes(sized, desired, RolloutMath.maxSurge(state.d),
                nz(status(state.d).replicas()));
        int total = sized.stream().mapToInt(RolloutMath.Sized::replicas).sum();
        String op = (desired > 0 ? desired + RolloutMath.maxSurge(state.d) : 0) > total ? "up" : "down";
        for (ReplicaSet rs : active) {
            scaler.writeScale(rs, sizes.get(rs.metadata().name()), op);
        }
    }

    private ReplicaSet activeOrLatest(OwnedReplicaSets s) {
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
}
