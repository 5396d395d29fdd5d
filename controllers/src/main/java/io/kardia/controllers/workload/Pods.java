package io.kardia.controllers.workload;

import io.kardia.core.model.Condition;
import io.kardia.core.model.ContainerStatus;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Pod predicates as Kubernetes' {@code podutil} and {@code controller} packages define them. */
public final class Pods {

    private Pods() {
    }

    /** Not terminal (Succeeded/Failed) and not being deleted: {@code controller.FilterActivePods}. */
    public static boolean isActive(Pod pod) {
        String phase = pod.phase();
        return !PodStatus.SUCCEEDED.equals(phase) && !PodStatus.FAILED.equals(phase)
                && pod.metadata().deletionTimestamp() == null;
    }

    public static boolean isReady(Pod pod) {
        return pod.ready();
    }

    /** When the pod last became Ready (the Ready condition's transition time), if it is ready. */
    public static Optional<Instant> readySince(Pod pod) {
        if (pod.status() == null) {
            return Optional.empty();
        }
        return Condition.find(pod.status().conditions(), "Ready")
                .filter(Condition::isTrue)
                .map(Condition::lastTransitionTime);
    }

    /** {@code podutil.IsPodAvailable}: ready for at least {@code minReadySeconds}. */
    public static boolean isAvailable(Pod pod, int minReadySeconds, Instant now) {
        if (!isReady(pod)) {
            return false;
        }
        if (minReadySeconds <= 0) {
            return true;
        }
        Optional<Instant> since = readySince(pod);
        return since.isPresent() && since.get().plus(Duration.ofSeconds(minReadySeconds)).isBefore(now);
    }

    /** The highest restart count among the pod's containers. */
    public static int maxContainerRestarts(Pod pod) {
        if (pod.status() == null) {
            return 0;
        }
        int max = 0;
        for (ContainerStatus cs : pod.status().containerStatuses()) {
            if (cs.restartCount() != null) {
                max = Math.max(max, cs.restartCount());
            }
        }
        return max;
    }

    public static boolean isAssigned(Pod pod) {
        return pod.spec() != null && pod.spec().nodeName() != null && !pod.spec().nodeName().isEmpty();
    }

    public static String nodeName(Pod pod) {
        return isAssigned(pod) ? pod.spec().nodeName() : "";
    }
}
