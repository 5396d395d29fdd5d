package io.kardia.controllers.workload;

import static io.kardia.controllers.workload.DeploymentController.deploymentComplete;
import static io.kardia.controllers.workload.DeploymentController.nz;
import static io.kardia.controllers.workload.DeploymentController.status;

import io.kardia.core.model.Pod;
import io.kardia.core.model.ReplicaSet;
import io.kardia.runtime.Result;
import java.util.List;

/** The Recreate strategy: every old pod gone before the new ReplicaSet is scaled up. */
final class RecreateUpdate {
    private final SyncState state;
    private final RolloutStatus rolloutStatus;
    private final ReplicaSetScaler scaler;
    private final RevisionHistory history;

    RecreateUpdate(SyncState state, RolloutStatus rolloutStatus, ReplicaSetScaler scaler, RevisionHistory history) {
        this.state = state;
        this.rolloutStatus = rolloutStatus;
        this.scaler = scaler;
        this.history = history;
    }

    Result rollout() {
        OwnedReplicaSets s = history.syncReplicaSetsAndRevision(false);
        boolean scaledDown = false;
        for (ReplicaSet rs : s.oldRSs()) {
            if (rs.spec().desiredReplicas() > 0) {
                scaledDown |= scaler.scaleTo(rs, 0);
            }
        }
        if (scaledDown) {
            return rolloutStatus.writeRolloutStatus(history.syncReplicaSetsAndRevision(false));
        }
        if (oldPodsRunning(s)) {
            return rolloutStatus.writeRolloutStatus(history.syncReplicaSetsAndRevision(false));
        }
        if (s.newRS() == null) {
            s = history.syncReplicaSetsAndRevision(true);
        }
        ReplicaSet newRS = s.newRS();
        if (newRS.spec().desiredReplicas() != state.d.spec().desiredReplicas()) {
            scaler.scaleTo(newRS, state.d.spec().desiredReplicas());
        }
        if (deploymentComplete(state.d, status(state.d))) {
            history.deleteOldReplicaSetsBeyondHistoryLimit(s.oldRSs());
        }
        return rolloutStatus.writeRolloutStatus(history.syncReplicaSetsAndRevision(false));
    }

    /** {@code oldPodsRunning}: old ReplicaSets still report pods, or pods of them (not terminal) still exist. */
    private boolean oldPodsRunning(OwnedReplicaSets s) {
        List<ReplicaSet> old = state.current(s.oldRSs());
        if (old.stream().mapToInt(rs -> rs.status() == null ? 0 : nz(rs.status().replicas())).sum() > 0) {
            return true;
        }
        String newUid = s.newRS() == null ? null : s.newRS().metadata().uid();
        for (var e : state.podsByRs.entrySet()) {
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
}
