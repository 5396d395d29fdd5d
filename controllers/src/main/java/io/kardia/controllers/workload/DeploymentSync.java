package io.kardia.controllers.workload;

import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Deployment;
import io.kardia.core.model.DeploymentStrategy;
import io.kardia.core.model.Pod;
import io.kardia.core.model.ReplicaSet;
import io.kardia.core.selector.Selector;
import io.kardia.runtime.Result;
import io.kardia.runtime.event.EventRecorder;
import java.time.Clock;
import java.util.List;

/**
 * One sync of one Deployment, as kube-controller-manager's {@code syncDeployment}: claims the
 * ReplicaSets, then, by the Deployment's state, records deletion status, scales only (paused or
 * resized), or takes a step of its rollout strategy.
 */
final class DeploymentSync {
    private final SyncState state;
    private final RolloutStatus rolloutStatus;
    private final RevisionHistory history;
    private final ProportionalScaling proportional;
    private final RollingUpdate rolling;
    private final RecreateUpdate recreate;

    DeploymentSync(Deployment d, Selector selector, List<ReplicaSet> replicaSetsInNamespace, List<Pod> podsInNamespace,
                   ResourceClient<Deployment> deployApi, ResourceClient<ReplicaSet> rsApi, ResourceClient<Pod> podApi,
                   EventRecorder events, Clock clock) {
        List<ReplicaSet> owned = ControllerRefs.claim(d, selector, replicaSetsInNamespace, rsApi,
                () -> canAdopt(deployApi, d));
        this.state = new SyncState(d, selector, owned, podsInNamespace, deployApi, rsApi, podApi, events, clock);
        this.rolloutStatus = new RolloutStatus(state);
        ReplicaSetScaler scaler = new ReplicaSetScaler(state);
        this.history = new RevisionHistory(state, rolloutStatus);
        this.proportional = new ProportionalScaling(state, rolloutStatus, scaler, history);
        this.rolling = new RollingUpdate(state, rolloutStatus, scaler, history);
        this.recreate = new RecreateUpdate(state, rolloutStatus, scaler, history);
    }

    /** Adopting orphans is allowed while the Deployment, freshly read, is the same one and not being deleted. */
    private static boolean canAdopt(ResourceClient<Deployment> deployApi, Deployment d) {
        return deployApi.find(d.metadata().namespace(), d.metadata().name())
                .filter(f -> f.metadata().uid().equals(d.metadata().uid()) && f.metadata().deletionTimestamp() == null)
                .isPresent();
    }

    Result run() {
        if (state.d.metadata().deletionTimestamp() != null) {
            OwnedReplicaSets s = history.syncReplicaSetsAndRevision(false);
            rolloutStatus.writeStatusCounts(s);
            return Result.done();
        }
        rolloutStatus.writePausedCondition();
        if (Boolean.TRUE.equals(state.d.spec().paused())) {
            return proportional.scaleAndWriteStatus();
        }
        if (proportional.isScalingEvent()) {
            return proportional.scaleAndWriteStatus();
        }
        if (DeploymentStrategy.RECREATE.equals(state.d.spec().strategy() == null ? null : state.d.spec().strategy().type())) {
            return recreate.rollout();
        }
        return rolling.rollout();
    }
}
