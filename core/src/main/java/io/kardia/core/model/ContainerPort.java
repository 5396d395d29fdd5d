package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** core/v1 ContainerPort. */
public record ContainerPort(
        String name,
        Integer containerPort,
        String protocol,
        Integer hostPort,
        String hostIP,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public ContainerPort {
        extra = Frozen.tree(extra);
    }

    public static ContainerPort of(String name, int containerPort) {
        return new ContainerPort(name, containerPort, null, null, null, null);
    }
}
