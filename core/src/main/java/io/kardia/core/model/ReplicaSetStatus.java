package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** apps/v1 ReplicaSetStatus; build changes with {@link #toBuilder()}. */
public record ReplicaSetStatus(
        Integer replicas,
        Integer fullyLabeledReplicas,
        Integer readyReplicas,
        Integer availableReplicas,
        Integer terminatingReplicas,
        Long observedGeneration,
        List<Condition> conditions,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public ReplicaSetStatus {
        conditions = Frozen.list(conditions);
        extra = Frozen.tree(extra);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable builder for a ReplicaSet status. */
    public static final class Builder {
        private Integer replicas;
        private Integer fullyLabeledReplicas;
        private Integer readyReplicas;
        private Integer availableReplicas;
        private Integer terminatingReplicas;
        private Long observedGeneration;
        private final List<Condition> conditions = new ArrayList<>();
        private final Map<String, Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        private Builder(ReplicaSetStatus s) {
            replicas = s.replicas;
            fullyLabeledReplicas = s.fullyLabeledReplicas;
            readyReplicas = s.readyReplicas;
            availableReplicas = s.availableReplicas;
            terminatingReplicas = s.terminatingReplicas;
            observedGeneration = s.observedGeneration;
            conditions.addAll(s.conditions);
            extra.putAll(s.extra);
        }

        public Builder replicas(Integer v) { replicas = v; return this; }
        public Builder fullyLabeledReplicas(Integer v) { fullyLabeledReplicas = v; return this; }
        public Builder readyReplicas(Integer v) { readyReplicas = v; return this; }
        public Builder availableReplicas(Integer v) { availableReplicas = v; return this; }
        public Builder terminatingReplicas(Integer v) { terminatingReplicas = v; return this; }
        public Builder observedGeneration(Long v) { observedGeneration = v; return this; }
        public Builder conditions(List<Condition> v) { conditions.clear(); conditions.addAll(v); return this; }

        public ReplicaSetStatus build() {
            return new ReplicaSetStatus(replicas, fullyLabeledReplicas, readyReplicas, availableReplicas,
                    terminatingReplicas, observedGeneration, conditions, extra);
        }
    }
}
