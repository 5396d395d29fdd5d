package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** core/v1 NodeStatus; nodeInfo, images, daemonEndpoints and the rest are kept in {@link #extra()}. */
public record NodeStatus(
        Map<String, Quantity> capacity,
        Map<String, Quantity> allocatable,
        String phase,
        List<Condition> conditions,
        List<NodeAddress> addresses,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public NodeStatus {
        capacity = Frozen.map(capacity);
        allocatable = Frozen.map(allocatable);
        conditions = Frozen.list(conditions);
        addresses = Frozen.list(addresses);
        extra = Frozen.tree(extra);
    }

    public static NodeStatus of(Map<String, Quantity> capacity, Map<String, Quantity> allocatable) {
        return new NodeStatus(capacity, allocatable, null, null, null, null);
    }

    public NodeStatus withConditions(List<Condition> newConditions) {
        return new NodeStatus(capacity, allocatable, phase, newConditions, addresses, extra);
    }

    /** This status with one condition set as {@link Condition#set} does (heartbeat fields are the caller's). */
    public NodeStatus withCondition(Condition condition, Instant now) {
        return withConditions(Condition.set(conditions, condition, now));
    }

    public NodeStatus withCapacity(Map<String, Quantity> newCapacity, Map<String, Quantity> newAllocatable) {
        return new NodeStatus(newCapacity, newAllocatable, phase, conditions, addresses, extra);
    }

    public NodeStatus withAddresses(List<NodeAddress> newAddresses) {
        return new NodeStatus(capacity, allocatable, phase, conditions, newAddresses, extra);
    }
}
