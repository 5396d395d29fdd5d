package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** apps/v1 DeploymentStrategy: {@code RollingUpdate} (the default) or {@code Recreate}. */
public record DeploymentStrategy(
        String type,
        RollingUpdateDeployment rollingUpdate,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public static final String ROLLING_UPDATE = "RollingUpdate";
    public static final String RECREATE = "Recreate";

    public DeploymentStrategy {
        extra = Frozen.tree(extra);
    }

    public static DeploymentStrategy recreate() {
        return new DeploymentStrategy(RECREATE, null, null);
    }

    public static DeploymentStrategy rollingUpdate(IntOrString maxUnavailable, IntOrString maxSurge) {
        return new DeploymentStrategy(ROLLING_UPDATE, RollingUpdateDeployment.of(maxUnavailable, maxSurge), null);
    }
}
