package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** core/v1 Toleration: lets a pod schedule onto (or stay on) a node with a matching {@link Taint}. */
public record Toleration(
        String key,
        String operator,
        String value,
        String effect,
        Long tolerationSeconds,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public Toleration {
        extra = Frozen.tree(extra);
    }

    /**
     * Kubernetes' {@code ToleratesTaint}: effects must match (empty tolerates all), keys must match
     * (empty key with Exists tolerates everything), then Exists ignores the value, Equal (or empty)
     * compares it.
     */
    public boolean tolerates(Taint taint) {
        if (effect != null && !effect.isEmpty() && !effect.equals(taint.effect())) {
            return false;
        }
        if (key != null && !key.isEmpty() && !key.equals(taint.key())) {
            return false;
        }
        String op = operator == null || operator.isEmpty() ? "Equal" : operator;
        return switch (op) {
            case "Exists" -> true;
            case "Equal" -> (value == null ? "" : value).equals(taint.value() == null ? "" : taint.value());
            default -> false;
        };
    }
}
