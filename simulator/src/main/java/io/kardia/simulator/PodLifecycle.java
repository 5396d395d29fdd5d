package io.kardia.simulator;

import io.kardia.core.model.Condition;
import io.kardia.core.model.Container;
import io.kardia.core.model.ContainerState;
import io.kardia.core.model.ContainerStatus;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The simulated kubelet's pod state machine, as a pure function of the pod (its status holds
 * every time it needs: start and finish times, restart counts), its {@link SimulatedPodBehavior}
 * and the time: Pending until {@code startAt}, then Running; each container becomes ready after
 * {@code readyAfter}, exits after {@code runFor} and is restarted per the restart policy after the
 * kubelet's back-off (10 s doubling to 5 min, {@code CrashLoopBackOff} meanwhile); the pod ends
 * Succeeded or Failed when no container will run again. The pod is Ready when its containers are
 * and every readiness gate's condition is True.
 */
final class PodLifecycle {
    /** The kubelet's crash-loop back-off: 10 s, doubled per restart, at most 5 minutes. */
    static final Duration BACKOFF_BASE = Duration.ofSeconds(10);
    static final Duration BACKOFF_MAX = Duration.ofMinutes(5);
    static final String INVALID_ANNOTATION = "InvalidSimulationAnnotation";

    /**
     * What to do now.
     *
     * @param status the status to write, or null when it is unchanged
     * @param wakeAt when the pod next changes by itself, if it does
     */
    record Step(PodStatus status, Optional<Instant> wakeAt) {
    }

    private PodLifecycle() {
    }

    static Step step(Pod pod, SimulatedPodBehavior behavior, Instant now, Instant startAt, String hostIp) {
        PodStatus current = pod.status() == null ? PodStatus.ofPhase(PodStatus.PENDING) : pod.status();
        String phase = pod.phase();
        if (PodStatus.SUCCEEDED.equals(phase) || PodStatus.FAILED.equals(phase) || pod.spec() == null) {
            return new Step(null, Optional.empty());
        }
        List<ContainerStatus> containers = current.containerStatuses();
        boolean started = PodStatus.RUNNING.equals(phase) && containers.size() == pod.spec().containers().size();
        if (!started) {
            if (now.isBefore(startAt)) {
                return new Step(null, Optional.of(startAt));
            }
            containers = new ArrayList<>();
            for (Container c : pod.spec().containers()) {
                containers.add(new ContainerStatus(c.name(), ContainerState.running(now), null, false, 0, c.image(),
                        "kardia-sim://" + c.image(), "kardia-sim://" + pod.metadata().uid() + "/" + c.name(), true, null));
            }
        }
        List<ContainerStatus> next = new ArrayList<>(containers.size());
        Instant wake = null;
        for (ContainerStatus cs : containers) {
            Evolved e = evolve(cs, behavior, restartPolicy(pod), now);
            next.add(e.status());
            wake = earliest(wake, e.wakeAt());
        }
        PodStatus status = withContainers(pod, current, next, behavior, now, hostIp);
        return new Step(status.equals(current) ? null : status, Optional.ofNullable(wake));
    }

    private record Evolved(ContainerStatus status, Instant wakeAt) {
    }

    /** One container brought up to {@code now}: a few transitions may be due at once (exit, then restart). */
    private static Evolved evolve(ContainerStatus cs, SimulatedPodBehavior b, String restartPolicy, Instant now) {
        ContainerStatus s = cs;
        for (int i = 0; i < 4; i++) {
            ContainerState state = s.state();
            if (state != null && state.terminated() != null) {
                return new Evolved(s.withReady(false), null);
            }
            if (state != null && state.running() != null) {
                Instant startedAt = state.running().startedAt() == null ? now : state.running().startedAt();
                if (b.runFor().isPresent() && !now.isBefore(startedAt.plus(b.runFor().get()))) {
                    s = exited(s, b.exitCode(), startedAt, startedAt.plus(b.runFor().get()), restartPolicy);
                    continue;
                }
                Instant readyAt = startedAt.plus(b.readyAfter());
                boolean ready = !now.isBefore(readyAt);
                Instant wake = ready ? null : readyAt;
                if (b.runFor().isPresent()) {
                    wake = earliest(wake, startedAt.plus(b.runFor().get()));
                }
                return new Evolved(withReadyStarted(s, ready), wake);
            }
            // Waiting: in back-off after an exit (or never started): restart when the back-off is over.
            Instant finished = s.lastState() != null && s.lastState().terminated() != null
                    && s.lastState().terminated().finishedAt() != null ? s.lastState().terminated().finishedAt() : now;
            Instant restartAt = finished.plus(backoff(s.restartCount() == null ? 0 : s.restartCount()));
            if (now.isBefore(restartAt)) {
                return new Evolved(s.withReady(false), restartAt);
            }
            s = withReadyStarted(s.withState(ContainerState.running(now)), false);
        }
        return new Evolved(s, now);
    }

    private static ContainerStatus exited(ContainerStatus s, int exitCode, Instant startedAt, Instant finishedAt,
                                          String restartPolicy) {
        ContainerState terminated = ContainerState.terminated(exitCode, exitCode == 0 ? "Completed" : "Error",
                startedAt, finishedAt);
        boolean restart = "Always".equals(restartPolicy) || ("OnFailure".equals(restartPolicy) && exitCode != 0);
        if (!restart) {
            return new ContainerStatus(s.name(), terminated, s.lastState(), false, s.restartCount(), s.image(),
                    s.imageID(), s.containerID(), false, s.extra());
        }
        int restarts = (s.restartCount() == null ? 0 : s.restartCount()) + 1;
        ContainerState waiting = ContainerState.waiting("CrashLoopBackOff", "back-off " + backoff(restarts).toSeconds()
                + "s restarting failed container=" + s.name());
        return new ContainerStatus(s.name(), waiting, terminated, false, restarts, s.image(), s.imageID(),
                s.containerID(), false, s.extra());
    }

    /** The wait before restart number {@code restarts} (1 for the first). */
    static Duration backoff(int restarts) {
        if (restarts <= 0) {
            return Duration.ZERO;
        }
        Duration d = BACKOFF_BASE.multipliedBy(1L << Math.min(restarts - 1, 10));
        return d.compareTo(BACKOFF_MAX) > 0 ? BACKOFF_MAX : d;
    }

    private static ContainerStatus withReadyStarted(ContainerStatus s, boolean ready) {
        return new ContainerStatus(s.name(), s.state(), s.lastState(), ready, s.restartCount(), s.image(), s.imageID(),
                s.containerID(), true, s.extra());
    }

    private static String restartPolicy(Pod pod) {
        String p = pod.spec().restartPolicy();
        return p == null || p.isEmpty() ? "Always" : p;
    }

    private static PodStatus withContainers(Pod pod, PodStatus current, List<ContainerStatus> containers,
                                            SimulatedPodBehavior b, Instant now, String hostIp) {
        boolean allTerminated = !containers.isEmpty();
        boolean allSucceeded = true;
        List<String> unready = new ArrayList<>();
        for (ContainerStatus cs : containers) {
            boolean terminated = cs.state() != null && cs.state().terminated() != null;
            allTerminated &= terminated;
            if (terminated && cs.state().terminated().exitCode() != null && cs.state().terminated().exitCode() != 0) {
                allSucceeded = false;
            }
            if (!Boolean.TRUE.equals(cs.ready())) {
                unready.add(cs.name());
            }
        }
        String phase = !allTerminated ? PodStatus.RUNNING : allSucceeded ? PodStatus.SUCCEEDED : PodStatus.FAILED;
        List<Condition> conditions = current.conditions();
        for (String type : List.of("PodScheduled", "Initialized")) {
            conditions = Condition.set(conditions, Condition.of(type, Condition.TRUE, null, null, null), now);
        }
        Condition containersReady;
        Condition ready;
        if (allTerminated) {
            containersReady = Condition.of("ContainersReady", Condition.FALSE, "PodCompleted", null, null);
            ready = Condition.of("Ready", Condition.FALSE, "PodCompleted", null, null);
        } else if (!unready.isEmpty()) {
            String message = "containers with unready status: " + unready;
            containersReady = Condition.of("ContainersReady", Condition.FALSE, "ContainersNotReady", message, null);
            ready = Condition.of("Ready", Condition.FALSE, "ContainersNotReady", message, null);
        } else {
            containersReady = Condition.of("ContainersReady", Condition.TRUE, null, null, null);
            List<String> gates = unsatisfiedReadinessGates(pod, conditions);
            ready = gates.isEmpty() ? Condition.of("Ready", Condition.TRUE, null, null, null)
                    : Condition.of("Ready", Condition.FALSE, "ReadinessGatesNotReady",
                    "corresponding condition of pod readiness gate " + gates + " does not exist or is not True", null);
        }
        conditions = Condition.set(conditions, containersReady, now);
        conditions = Condition.set(conditions, ready, now);
        PodStatus status = current.withPhase(phase)
                .withConditions(conditions)
                .withIPs(hostIp, PodStatuses.podIp(pod))
                .withStartTime(current.startTime() != null ? current.startTime() : now)
                .withContainerStatuses(containers);
        return b.problems().isEmpty() ? status.withMessage(null, null)
                : status.withMessage(INVALID_ANNOTATION, String.join("; ", b.problems()));
    }

    /** The condition types of the pod's readiness gates that are not True. */
    private static List<String> unsatisfiedReadinessGates(Pod pod, List<Condition> conditions) {
        List<String> out = new ArrayList<>();
        if (pod.spec().extra().get("readinessGates") instanceof List<?> gates) {
            for (Object g : gates) {
                if (g instanceof Map<?, ?> gate && gate.get("conditionType") instanceof String type
                        && !Condition.isTrue(conditions, type)) {
                    out.add(type);
                }
            }
        }
        return out;
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }
}
