package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** apps/v1 RollingUpdateDeployment: absolute numbers or percentages (API default 25% each). */
public record RollingUpdateDeployment(
        IntOrString maxUnavailable,
        IntOrString maxSurge,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public RollingUpdateDeployment {
        extra = Frozen.tree(extra);
    }

    public static RollingUpdateDeployment of(IntOrString maxUnavailable, IntOrString maxSurge) {
        return new RollingUpdateDeployment(maxUnavailable, maxSurge, null);
    }
}
