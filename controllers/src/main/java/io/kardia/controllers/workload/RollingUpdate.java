package io.kardia.controllers.workload;

import static io.kardia.controllers.workload.DeploymentController.BY_CREATION;
import static io.kardia.controllers.workload.DeploymentController.deploymentComplete;
import static io.kardia.controllers.workload.DeploymentController.status;

import io.kardia.core.model.ReplicaSet;
import io.kardia.runtime.Result;
import java.util.ArrayList;
import java.util.List;

/** The RollingUpdate strategy: scale the new ReplicaSet up within maxSurge, old ones down within maxUnavailable. */
final class RollingUpdate {
    private final SyncState state;
    private final RolloutStatus rolloutStatus;
    private final ReplicaSetScaler scaler;
    private final RevisionHistory history;

    RollingUpdate(SyncState state, RolloutStatus rolloutStatus, ReplicaSetScaler scaler, RevisionHistory history) {
        this.state = state;
        this.rolloutStatus = rolloutStatus;
        this.scaler = scaler;
        this.history = history;
    }

    Result rollout() {
        OwnedReplicaSets s = history.syncReplicaSetsAndRevision(true);
        if (scaleNewReplicaSet(s)) {
            return rolloutStatus.writeRolloutStatus(history.syncReplicaSetsAndRevision(false));
        }
        if (scaleDownOldReplicaSets(s)) {
            return rolloutStatus.writeRolloutStatus(history.syncReplicaSetsAndRevision(false));
        }
        if (deploymentComplete(state.d, status(state.d))) {
            history.deleteOldReplicaSetsBeyondHistoryLimit(s.oldRSs());
        }
        return rolloutStatus.writeRolloutStatus(history.syncReplicaSetsAndRevision(false));
    }

    private boolean scaleNewReplicaSet(OwnedReplicaSets s) {
        ReplicaSet newRS = s.newRS();
        int desired = state.d.spec().desiredReplicas();
        int current = newRS.spec().desiredReplicas();
        if (current == desired) {
            return false;
        }
        if (current > desired) {
            return scaler.scaleTo(newRS, desired);
        }
        int maxSurge = RolloutMath.maxSurge(state.d);
        int next = RolloutMath.newReplicaSetReplicas(desired, maxSurge, state.surgeCount(s.all()), current);
        if (next > current && !state.sizesObserved(s.oldRSs())) {
            // An old ReplicaSet's controller has not seen its latest size: it may be creating pods for
            // a larger one (proportional scaling gave it more, then cleanup took them back) that no
            // count can see yet. Its status update, once it has, syncs this Deployment again.
            return false;
        }
        if (next > current) {
            // The cache allows growth: count again from the API, which the cache may lag.
            next = RolloutMath.newReplicaSetReplicas(desired, maxSurge, state.liveSurgeCount(s.all()), current);
        }
        return scaler.scaleTo(newRS, next);
    }

    private boolean scaleDownOldReplicaSets(OwnedReplicaSets s) {
        List<ReplicaSet> old = s.oldRSs();
        int oldPods = old.stream().mapToInt(rs -> rs.spec().desiredReplicas()).sum();
        if (oldPods == 0) {
            return false;
        }
        ReplicaSet newRS = s.newRS();
        int maxUnavailable = RolloutMath.maxUnavailable(state.d);
        int newUnavailable = newRS.spec().desiredReplicas() - state.availableCount(newRS);
        int maxScaledDown = RolloutMath.maxScaledDown(state.surgeCount(s.all()), state.d.spec().desiredReplicas(),
                maxUnavailable, newUnavailable);
        if (maxScaledDown <= 0) {
            return false;
        }
        // cleanupUnhealthyReplicas: first drop old pods that are not available anyway
        List<ReplicaSet> byAge = new ArrayList<>(state.current(old));
        byAge.sort(BY_CREATION);
        int cleaned = 0;
        for (ReplicaSet rs : byAge) {
            if (cleaned >= maxScaledDown) {
                break;
            }
            int replicas = rs.spec().desiredReplicas();
            int avail = state.availableCount(rs);
            if (replicas == 0 || replicas == avail) {
                continue;
            }
            int down = Math.min(maxScaledDown - cleaned, replicas - avail);
            scaler.scaleTo(rs, replicas - down);
            cleaned += down;
        }
        // scaleDownOldReplicaSetsForRollingUpdate: then available old pods, keeping minAvailable
        int minAvailable = state.d.spec().desiredReplicas() - maxUnavailable;
        List<ReplicaSet> all = state.current(s.all());
        int available = all.stream().mapToInt(state::availableCount).sum();
        int scaledDown = 0;
        if (available > minAvailable) {
            int total = available - minAvailable;
            List<ReplicaSet> olds = state.current(old);
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
                scaler.scaleTo(rs, replicas - down);
                scaledDown += down;
            }
        }
        return cleaned + scaledDown > 0;
    }
}
