package io.kardia.controllers.workload;

import static io.kardia.controllers.workload.DeploymentController.DESIRED_REPLICAS;
import static io.kardia.controllers.workload.DeploymentController.MAX_REPLICAS;
import static io.kardia.controllers.workload.DeploymentController.status;

import io.kardia.core.model.Deployment;
import io.kardia.core.model.ReplicaSet;
import io.kardia.runtime.Conflicts;

/** Resizes one ReplicaSet of a Deployment: size and the desired/max-replicas annotations in one write, and the Event. */
final class ReplicaSetScaler {
    private final SyncState state;

    ReplicaSetScaler(SyncState state) {
        this.state = state;
    }

    boolean scaleTo(ReplicaSet rs, int newScale) {
        rs = state.latest(rs);
        int current = rs.spec().desiredReplicas();
        if (current == newScale) {
            return false;
        }
        return writeScale(rs, newScale, current < newScale ? "up" : "down");
    }

    /** {@code scaleReplicaSet}: size and the desired/max-replicas annotations in one write. */
    boolean writeScale(ReplicaSet rs, int newScale, String op) {
        rs = state.latest(rs);
        int oldScale = rs.spec().desiredReplicas();
        String desired = Integer.toString(state.d.spec().desiredReplicas());
        String max = Integer.toString(state.d.spec().desiredReplicas() + RolloutMath.maxSurge(state.d));
        boolean sizeChanged = oldScale != newScale;
        boolean annotationsChanged = !desired.equals(rs.metadata().annotations().get(DESIRED_REPLICAS))
                || !max.equals(rs.metadata().annotations().get(MAX_REPLICAS));
        if (!sizeChanged && !annotationsChanged) {
            return false;
        }
        // A conflict is usually only the ReplicaSet's status moving on: the decision stands if its spec did not.
        ReplicaSet updated = state.replace(Conflicts.retryOnConflict(1, rs,
                current -> state.rsApi.update(scaled(current, newScale, desired, max)),
                Conflicts.ifUnchanged(state.rsApi, ReplicaSet::spec)).orElseThrow());
        if (sizeChanged) {
            state.events.normal(state.d, "ScalingReplicaSet", "Scaled " + op + " replica set " + updated.metadata().name()
                    + " to " + newScale + " from " + oldScale);
        }
        return sizeChanged;
    }

    private static ReplicaSet scaled(ReplicaSet rs, int newScale, String desired, String max) {
        return rs.withMetadata(rs.metadata().toBuilder().annotation(DESIRED_REPLICAS, desired)
                        .annotation(MAX_REPLICAS, max).build())
                .withSpec(rs.spec().withReplicas(newScale));
    }
}
