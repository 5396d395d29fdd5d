package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** core/v1 PodStatus; podIPs, qosClass and the rest are kept in {@link #extra()}. */
public record PodStatus(
        String phase,
        List<Condition> conditions,
        String message,
        String reason,
        String nominatedNodeName,
        String hostIP,
        String podIP,
        Instant startTime,
        List<ContainerStatus> initContainerStatuses,
        List<ContainerStatus> containerStatuses,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public static final String PENDING = "Pending";
    public static final String RUNNING = "Running";
    public static final String SUCCEEDED = "Succeeded";
    public static final String FAILED = "Failed";
    public static final String UNKNOWN = "Unknown";

    public PodStatus {
        conditions = Frozen.list(conditions);
        initContainerStatuses = Frozen.list(initContainerStatuses);
        containerStatuses = Frozen.list(containerStatuses);
        extra = Frozen.tree(extra);
    }

    public static PodStatus ofPhase(String phase) {
        return new PodStatus(phase, null, null, null, null, null, null, null, null, null, null);
    }

    public PodStatus withPhase(String newPhase) {
        return new PodStatus(newPhase, conditions, message, reason, nominatedNodeName, hostIP, podIP, startTime,
                initContainerStatuses, containerStatuses, extra);
    }

    public PodStatus withConditions(List<Condition> newConditions) {
        return new PodStatus(phase, newConditions, message, reason, nominatedNodeName, hostIP, podIP, startTime,
                initContainerStatuses, containerStatuses, extra);
    }

    /** This status with one condition set as {@link Condition#set} does. */
    public PodStatus withCondition(Condition condition, Instant now) {
        return withConditions(Condition.set(conditions, condition, now));
    }

    public PodStatus withMessage(String newReason, String newMessage) {
        return new PodStatus(phase, conditions, newMessage, newReason, nominatedNodeName, hostIP, podIP, startTime,
                initContainerStatuses, containerStatuses, extra);
    }

    public PodStatus withIPs(String newHostIP, String newPodIP) {
        return new PodStatus(phase, conditions, message, reason, nominatedNodeName, newHostIP, newPodIP, startTime,
                initContainerStatuses, containerStatuses, extra);
    }

    public PodStatus withStartTime(Instant t) {
        return new PodStatus(phase, conditions, message, reason, nominatedNodeName, hostIP, podIP, t,
                initContainerStatuses, containerStatuses, extra);
    }

    public PodStatus withContainerStatuses(List<ContainerStatus> statuses) {
        return new PodStatus(phase, conditions, message, reason, nominatedNodeName, hostIP, podIP, startTime,
                initContainerStatuses, statuses, extra);
    }

    public PodStatus withNominatedNodeName(String node) {
        return new PodStatus(phase, conditions, message, reason, node, hostIP, podIP, startTime,
                initContainerStatuses, containerStatuses, extra);
    }
}
