package io.kardia.examples.staticsite;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import io.kardia.core.model.Condition;
import io.kardia.core.model.Frozen;
import io.kardia.runtime.schema.Schema;
import java.util.List;
import java.util.Map;

/** What the operator last observed of a {@link StaticSite}. */
public record StaticSiteStatus(
        @Schema(description = "The metadata.generation the conditions describe.")
        Long observedGeneration,
        @Schema(description = "Pods of the site's Deployment that are available.")
        Integer availableReplicas,
        @Schema(description = "Ready, Progressing and Degraded.")
        List<Condition> conditions,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public static final String READY = "Ready";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";

    public static final StaticSiteStatus EMPTY = new StaticSiteStatus(null, null, null, null);

    public StaticSiteStatus {
        conditions = Frozen.list(conditions);
        extra = Frozen.tree(extra);
    }

    public StaticSiteStatus withObservedGeneration(Long g) {
        return new StaticSiteStatus(g, availableReplicas, conditions, extra);
    }

    public StaticSiteStatus withAvailableReplicas(Integer n) {
        return new StaticSiteStatus(observedGeneration, n, conditions, extra);
    }

    public StaticSiteStatus withConditions(List<Condition> newConditions) {
        return new StaticSiteStatus(observedGeneration, availableReplicas, newConditions, extra);
    }
}
