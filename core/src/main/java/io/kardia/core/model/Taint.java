package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.time.Instant;
import java.util.Map;

/** core/v1 Taint: effect NoSchedule, PreferNoSchedule or NoExecute. */
public record Taint(
        String key,
        String value,
        String effect,
        Instant timeAdded,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public static final String NO_SCHEDULE = "NoSchedule";
    public static final String PREFER_NO_SCHEDULE = "PreferNoSchedule";
    public static final String NO_EXECUTE = "NoExecute";

    public Taint {
        extra = Frozen.tree(extra);
    }

    public static Taint of(String key, String value, String effect) {
        return new Taint(key, value, effect, null, null);
    }

    /** Same key and effect: Kubernetes' identity of a taint on a node. */
    public boolean matches(Taint other) {
        return java.util.Objects.equals(key, other.key) && java.util.Objects.equals(effect, other.effect);
    }

    public Taint withTimeAdded(Instant t) {
        return new Taint(key, value, effect, t, extra);
    }
}
