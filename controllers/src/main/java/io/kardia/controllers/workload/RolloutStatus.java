package io.kardia.controllers.workload;

import static io.kardia.controllers.workload.DeploymentController.AVAILABLE;
import static io.kardia.controllers.workload.DeploymentController.DEFAULT_PROGRESS_DEADLINE;
import static io.kardia.controllers.workload.DeploymentController.PROGRESSING;
import static io.kardia.controllers.workload.DeploymentController.REPLICA_FAILURE;
import static io.kardia.controllers.workload.DeploymentController.deploymentComplete;
import static io.kardia.controllers.workload.DeploymentController.deploymentProgressing;
import static io.kardia.controllers.workload.DeploymentController.nz;
import static io.kardia.controllers.workload.DeploymentController.status;
import static io.kardia.controllers.workload.DeploymentController.sum;
import static io.kardia.controllers.workload.DeploymentController.withCondition;

import io.kardia.core.model.Condition;
import io.kardia.core.model.Deployment;
import io.kardia.core.model.DeploymentStatus;
import io.kardia.core.model.ReplicaSet;
import io.kardia.runtime.Result;
import io.kardia.runtime.StatusUpdates;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Deployment's status: replica counts, the Available, Progressing (with the progress deadline)
 * and ReplicaFailure conditions. The {@code write...} methods write the status subresource (only
 * when it changed).
 */
final class RolloutStatus {
    private final SyncState state;

    RolloutStatus(SyncState state) {
        this.state = state;
    }

    /** {@code checkPausedConditions}: Progressing says DeploymentPaused / DeploymentResumed when pausing changes (a write). */
    void writePausedCondition() {
        if (!hasProgressDeadline()) {
            return;
        }
        Optional<Condition> cond = progressing();
        if (cond.isPresent() && "ProgressDeadlineExceeded".equals(cond.get().reason())) {
            return;
        }
        boolean pausedCond = cond.isPresent() && "DeploymentPaused".equals(cond.get().reason());
        boolean paused = Boolean.TRUE.equals(state.d.spec().paused());
        if (paused && !pausedCond) {
            writeStatus(withCondition(status(state.d), newCondition(PROGRESSING, Condition.UNKNOWN, "DeploymentPaused",
                    "Deployment is paused")));
        } else if (!paused && pausedCond) {
            writeStatus(withCondition(status(state.d), newCondition(PROGRESSING, Condition.UNKNOWN, "DeploymentResumed",
                    "Deployment is resumed")));
        }
    }

    /** {@code calculateStatus}. */
    private DeploymentStatus calculateStatus(OwnedReplicaSets s) {
        List<ReplicaSet> all = state.current(s.all());
        int available = sum(all, rs -> rs.status() == null ? 0 : nz(rs.status().availableReplicas()));
        int total = sum(all, rs -> rs.spec().desiredReplicas());
        int unavailable = Math.max(0, total - available);
        ReplicaSet newRS = s.newRS() == null ? null : state.latest(s.newRS());
        DeploymentStatus current = status(state.d);
        DeploymentStatus st = current.toBuilder()
                .observedGeneration(state.d.metadata().generation())
                .replicas(sum(all, rs -> rs.status() == null ? 0 : nz(rs.status().replicas())))
                .updatedReplicas(newRS == null || newRS.status() == null ? 0 : nz(newRS.status().replicas()))
                .readyReplicas(sum(all, rs -> rs.status() == null ? 0 : nz(rs.status().readyReplicas())))
                .availableReplicas(available)
                .unavailableReplicas(unavailable)
                .build();
        if (available >= state.d.spec().desiredReplicas() - RolloutMath.maxUnavailable(state.d)) {
            st = withCondition(st, newCondition(AVAILABLE, Condition.TRUE, "MinimumReplicasAvailable",
                    "Deployment has minimum availability."));
        } else {
            st = withCondition(st, newCondition(AVAILABLE, Condition.FALSE, "MinimumReplicasUnavailable",
                    "Deployment does not have minimum availability."));
        }
        return st;
    }

    void writeStatusCounts(OwnedReplicaSets s) {
        writeStatus(calculateStatus(s));
    }

    /** {@code syncRolloutStatus}: counts, Progressing (with the deadline), ReplicaFailure; requeue for the deadline. */
    Result writeRolloutStatus(OwnedReplicaSets s) {
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
                    : "Deployment \"" + state.d.metadata().name() + "\"";
            if (deploymentComplete(state.d, st)) {
                st = withCondition(st, newCondition(PROGRESSING, Condition.TRUE, "NewReplicaSetAvailable",
                        subject + " has successfully progressed."));
            } else if (deploymentProgressing(status(state.d), st)) {
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

    private Optional<Condition> replicaFailure(OwnedReplicaSets s) {
        List<ReplicaSet> order = new ArrayList<>();
        if (s.newRS() != null) {
            order.add(state.latest(s.newRS()));
        }
        order.addAll(state.current(s.oldRSs()));
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
        if (!hasProgressDeadline() || cond.isEmpty() || deploymentComplete(state.d, status(state.d))
                || "ProgressDeadlineExceeded".equals(cond.get().reason())) {
            return Result.done();
        }
        Instant from = cond.get().lastUpdateTime() != null ? cond.get().lastUpdateTime() : cond.get().lastTransitionTime();
        if (from == null) {
            return Result.done();
        }
        Duration after = Duration.between(state.clock.instant(), from.plusSeconds(progressDeadline()));
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
        return from != null && from.plusSeconds(progressDeadline()).isBefore(state.clock.instant());
    }

    Optional<Condition> progressing() {
        return Condition.find(status(state.d).conditions(), PROGRESSING);
    }

    boolean hasProgressDeadline() {
        Integer p = state.d.spec().progressDeadlineSeconds();
        return p == null || p != Integer.MAX_VALUE;
    }

    private int progressDeadline() {
        Integer p = state.d.spec().progressDeadlineSeconds();
        return p == null ? DEFAULT_PROGRESS_DEADLINE : p;
    }

    Condition newCondition(String type, String status, String reason, String message) {
        return new Condition(type, status, null, null, null, state.now, state.now, reason, message, null);
    }

    void writeStatus(DeploymentStatus st) {
        state.d = StatusUpdates.updateStatus(state.deployApi, state.d, x -> x.withStatus(st));
    }
}
