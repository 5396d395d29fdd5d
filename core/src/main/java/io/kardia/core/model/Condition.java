package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A status condition, one record for every kind's variant: metav1.Condition and the older
 * PodCondition, NodeCondition ({@code lastHeartbeatTime}), DeploymentCondition
 * ({@code lastUpdateTime}), ReplicaSetCondition, NamespaceCondition. Unset fields are omitted
 * from JSON, so each kind's shape is preserved.
 */
public record Condition(
        String type,
        String status,
        Long observedGeneration,
        Instant lastHeartbeatTime,
        Instant lastProbeTime,
        Instant lastUpdateTime,
        Instant lastTransitionTime,
        String reason,
        String message,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    public Condition {
        extra = Frozen.tree(extra);
    }

    /** A condition with a type, status ("True", "False", "Unknown"), reason, message and transition time. */
    public static Condition of(String type, String status, String reason, String message, Instant lastTransitionTime) {
        return new Condition(type, status, null, null, null, null, lastTransitionTime, reason, message, null);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isTrue() {
        return TRUE.equals(status);
    }

    public Condition withStatus(String newStatus) {
        return new Condition(type, newStatus, observedGeneration, lastHeartbeatTime, lastProbeTime, lastUpdateTime,
                lastTransitionTime, reason, message, extra);
    }

    public Condition withReason(String newReason, String newMessage) {
        return new Condition(type, status, observedGeneration, lastHeartbeatTime, lastProbeTime, lastUpdateTime,
                lastTransitionTime, newReason, newMessage, extra);
    }

    public Condition withLastTransitionTime(Instant t) {
        return new Condition(type, status, observedGeneration, lastHeartbeatTime, lastProbeTime, lastUpdateTime,
                t, reason, message, extra);
    }

    public Condition withLastHeartbeatTime(Instant t) {
        return new Condition(type, status, observedGeneration, t, lastProbeTime, lastUpdateTime,
                lastTransitionTime, reason, message, extra);
    }

    public Condition withLastUpdateTime(Instant t) {
        return new Condition(type, status, observedGeneration, lastHeartbeatTime, lastProbeTime, t,
                lastTransitionTime, reason, message, extra);
    }

    public Condition withObservedGeneration(Long g) {
        return new Condition(type, status, g, lastHeartbeatTime, lastProbeTime, lastUpdateTime,
                lastTransitionTime, reason, message, extra);
    }

    /** The condition of this type in {@code conditions}, if any. */
    public static Optional<Condition> find(List<Condition> conditions, String type) {
        for (Condition c : conditions) {
            if (c.type().equals(type)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Whether {@code conditions} has a condition of this type with status "True". */
    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(Condition::isTrue).orElse(false);
    }

    /**
     * A copy of {@code conditions} with {@code condition} set, as apimachinery's
     * {@code meta.SetStatusCondition}: when the status does not change, the existing
     * {@code lastTransitionTime} is kept; a missing transition time becomes {@code now}.
     */
    public static List<Condition> set(List<Condition> conditions, Condition condition, Instant now) {
        List<Condition> out = new ArrayList<>(conditions.size() + 1);
        boolean replaced = false;
        for (Condition c : conditions) {
            if (c.type().equals(condition.type())) {
                Instant transition = c.status() != null && c.status().equals(condition.status())
                        && c.lastTransitionTime() != null
                        ? c.lastTransitionTime()
                        : (condition.lastTransitionTime() != null ? condition.lastTransitionTime() : now);
                out.add(condition.withLastTransitionTime(transition));
                replaced = true;
            } else {
                out.add(c);
            }
        }
        if (!replaced) {
            out.add(condition.lastTransitionTime() == null ? condition.withLastTransitionTime(now) : condition);
        }
        return List.copyOf(out);
    }

    /** A copy of {@code conditions} without the condition of this type. */
    public static List<Condition> remove(List<Condition> conditions, String type) {
        return conditions.stream().filter(c -> !c.type().equals(type)).toList();
    }
}
