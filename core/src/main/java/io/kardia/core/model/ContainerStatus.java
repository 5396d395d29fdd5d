package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** core/v1 ContainerStatus. */
public record ContainerStatus(
        String name,
        ContainerState state,
        ContainerState lastState,
        Boolean ready,
        Integer restartCount,
        String image,
        String imageID,
        String containerID,
        Boolean started,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public ContainerStatus {
        extra = Frozen.tree(extra);
    }

    public static ContainerStatus of(String name, String image, ContainerState state, boolean ready, int restartCount) {
        return new ContainerStatus(name, state, null, ready, restartCount, image, null, null, null, null);
    }

    public ContainerStatus withState(ContainerState newState) {
        return new ContainerStatus(name, newState, lastState, ready, restartCount, image, imageID, containerID,
                started, extra);
    }

    public ContainerStatus withReady(Boolean newReady) {
        return new ContainerStatus(name, state, lastState, newReady, restartCount, image, imageID, containerID,
                started, extra);
    }

    public ContainerStatus withRestartCount(Integer n) {
        return new ContainerStatus(name, state, lastState, ready, n, image, imageID, containerID, started, extra);
    }
}
