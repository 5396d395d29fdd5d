package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** apps/v1 DeploymentStatus; build changes with {@link #toBuilder()}. */
public record DeploymentStatus(
        Long observedGeneration,
        Integer replicas,
        Integer updatedReplicas,
        Integer readyReplicas,
        Integer availableReplicas,
        Integer unavailableReplicas,
        Integer terminatingReplicas,
        List<Condition> conditions,
        Integer collisionCount,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public DeploymentStatus {
        conditions = Frozen.list(conditions);
        extra = Frozen.tree(extra);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable builder for a Deployment status. */
    public static final class Builder {
        private Long observedGeneration;
        private Integer replicas;
        private Integer updatedReplicas;
        private Integer readyReplicas;
        private Integer availableReplicas;
        private Integer unavailableReplicas;
        private Integer terminatingReplicas;
        private final List<Condition> conditions = new ArrayList<>();
        private Integer collisionCount;
        private final Map<String, Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        private Builder(DeploymentStatus s) {
            observedGeneration = s.observedGeneration;
            replicas = s.replicas;
            updatedReplicas = s.updatedReplicas;
            readyReplicas = s.readyReplicas;
            availableReplicas = s.availableReplicas;
            unavailableReplicas = s.unavailableReplicas;
            terminatingReplicas = s.terminatingReplicas;
            conditions.addAll(s.conditions);
            collisionCount = s.collisionCount;
            extra.putAll(s.extra);
        }

        public Builder observedGeneration(Long v) { observedGeneration = v; return this; }
        public Builder replicas(Integer v) { replicas = v; return this; }
        public Builder updatedReplicas(Integer v) { updatedReplicas = v; return this; }
        public Builder readyReplicas(Integer v) { readyReplicas = v; return this; }
        public Builder availableReplicas(Integer v) { availableReplicas = v; return this; }
        public Builder unavailableReplicas(Integer v) { unavailableReplicas = v; return this; }
        public Builder terminatingReplicas(Integer v) { terminatingReplicas = v; return this; }
        public Builder conditions(List<Condition> v) { conditions.clear(); conditions.addAll(v); return this; }
        public Builder collisionCount(Integer v) { collisionCount = v; return this; }

        public DeploymentStatus build() {
            return new DeploymentStatus(observedGeneration, replicas, updatedReplicas, readyReplicas,
                    availableReplicas, unavailableReplicas, terminatingReplicas, conditions, collisionCount, extra);
        }
    }
}
