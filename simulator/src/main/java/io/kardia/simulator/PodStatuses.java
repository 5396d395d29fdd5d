package io.kardia.simulator;

import io.kardia.core.model.Condition;
import io.kardia.core.model.Container;
import io.kardia.core.model.ContainerState;
import io.kardia.core.model.ContainerStatus;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The status a kubelet reports for a pod whose containers all started. */
final class PodStatuses {
    private PodStatuses() {
    }

    static PodStatus running(Pod pod, String hostIp, Instant now) {
        PodStatus status = pod.status() == null ? PodStatus.ofPhase(PodStatus.RUNNING) : pod.status();
        Instant started = status.startTime() != null ? status.startTime() : now;
        List<ContainerStatus> containers = new ArrayList<>();
        for (Container c : pod.spec().containers()) {
            containers.add(new ContainerStatus(c.name(), ContainerState.running(now), null, true, 0, c.image(),
                    "kardia-sim://" + c.image(), "kardia-sim://" + pod.metadata().uid() + "/" + c.name(), true, null));
        }
        List<Condition> conditions = status.conditions();
        for (String type : List.of("PodScheduled", "Initialized", "ContainersReady", "Ready")) {
            conditions = Condition.set(conditions, Condition.of(type, Condition.TRUE, null, null, null), now);
        }
        return status.withPhase(PodStatus.RUNNING)
                .withConditions(conditions)
                .withIPs(hostIp, podIp(pod))
                .withStartTime(started)
                .withContainerStatuses(containers)
                .withMessage(null, null);
    }

    /** A stable address from the pod's uid, in 10.244.0.0/16. */
    static String podIp(Pod pod) {
        int h = pod.metadata().uid() == null ? pod.key().hashCode() : pod.metadata().uid().hashCode();
        return "10.244." + ((h >>> 8) & 0xff) + "." + (2 + Math.floorMod(h, 250));
    }
}
