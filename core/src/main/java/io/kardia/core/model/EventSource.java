package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** core/v1 EventSource. */
public record EventSource(String component, String host, @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    public EventSource {
        extra = Frozen.tree(extra);
    }

    public static EventSource of(String component) {
        return new EventSource(component, null, null);
    }
}
