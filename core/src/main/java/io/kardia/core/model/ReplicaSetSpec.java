package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** apps/v1 ReplicaSetSpec. {@code replicas} null means the API default, 1. */
public record ReplicaSetSpec(
        Integer replicas,
        Integer minReadySeconds,
        LabelSelector selector,
        PodTemplateSpec template,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public ReplicaSetSpec {
        extra = Frozen.tree(extra);
    }

    public static ReplicaSetSpec of(int replicas, LabelSelector selector, PodTemplateSpec template) {
        return new ReplicaSetSpec(replicas, null, selector, template, null);
    }

    /** {@code replicas}, or 1 when unset (the API default). */
    public int desiredReplicas() {
        return replicas == null ? 1 : replicas;
    }

    public ReplicaSetSpec withReplicas(Integer n) {
        return new ReplicaSetSpec(n, minReadySeconds, selector, template, extra);
    }

    public ReplicaSetSpec withTemplate(PodTemplateSpec t) {
        return new ReplicaSetSpec(replicas, minReadySeconds, selector, t, extra);
    }

    public ReplicaSetSpec withMinReadySeconds(Integer s) {
        return new ReplicaSetSpec(replicas, s, selector, template, extra);
    }
}
