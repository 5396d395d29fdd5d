package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** core/v1 EnvVar; {@code valueFrom} is kept as a free-form tree. */
public record EnvVar(
        String name,
        String value,
        Map<String, Object> valueFrom,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public EnvVar {
        valueFrom = Frozen.tree(valueFrom);
        extra = Frozen.tree(extra);
    }

    public static EnvVar of(String name, String value) {
        return new EnvVar(name, value, null, null);
    }
}
