package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.LinkedHashMap;
import java.util.Map;

/** apps/v1 DeploymentSpec. Null fields mean the API defaults (replicas 1, RollingUpdate 25%/25%...). */
public record DeploymentSpec(
        Integer replicas,
        LabelSelector selector,
        PodTemplateSpec template,
        DeploymentStrategy strategy,
        Integer minReadySeconds,
        Integer revisionHistoryLimit,
        Boolean paused,
        Integer progressDeadlineSeconds,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public DeploymentSpec {
        extra = Frozen.tree(extra);
    }

    public static DeploymentSpec of(int replicas, LabelSelector selector, PodTemplateSpec template) {
        return builder().replicas(replicas).selector(selector).template(template).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@code replicas}, or 1 when unset (the API default). */
    public int desiredReplicas() {
        return replicas == null ? 1 : replicas;
    }

    public DeploymentSpec withReplicas(Integer n) {
        return toBuilder().replicas(n).build();
    }

    public DeploymentSpec withTemplate(PodTemplateSpec t) {
        return toBuilder().template(t).build();
    }

    public DeploymentSpec withPaused(Boolean p) {
        return toBuilder().paused(p).build();
    }

    /** Mutable builder for a Deployment spec. */
    public static final class Builder {
        private Integer replicas;
        private LabelSelector selector;
        private PodTemplateSpec template;
        private DeploymentStrategy strategy;
        private Integer minReadySeconds;
        private Integer revisionHistoryLimit;
        private Boolean paused;
        private Integer progressDeadlineSeconds;
        private final Map<String, Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        private Builder(DeploymentSpec s) {
            replicas = s.replicas;
            selector = s.selector;
            template = s.template;
            strategy = s.strategy;
            minReadySeconds = s.minReadySeconds;
            revisionHistoryLimit = s.revisionHistoryLimit;
            paused = s.paused;
            progressDeadlineSeconds = s.progressDeadlineSeconds;
            extra.putAll(s.extra);
        }

        public Builder replicas(Integer v) { replicas = v; return this; }
        public Builder selector(LabelSelector v) { selector = v; return this; }
        public Builder template(PodTemplateSpec v) { template = v; return this; }
        public Builder strategy(DeploymentStrategy v) { strategy = v; return this; }
        public Builder minReadySeconds(Integer v) { minReadySeconds = v; return this; }
        public Builder revisionHistoryLimit(Integer v) { revisionHistoryLimit = v; return this; }
        public Builder paused(Boolean v) { paused = v; return this; }
        public Builder progressDeadlineSeconds(Integer v) { progressDeadlineSeconds = v; return this; }

        public DeploymentSpec build() {
            return new DeploymentSpec(replicas, selector, template, strategy, minReadySeconds, revisionHistoryLimit,
                    paused, progressDeadlineSeconds, extra);
        }
    }
}
