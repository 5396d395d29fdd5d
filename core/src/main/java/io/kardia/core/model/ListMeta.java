package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** metav1.ListMeta. */
public record ListMeta(
        String resourceVersion,
        @JsonProperty("continue") String continueToken,
        Long remainingItemCount,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    public ListMeta {
        extra = Frozen.tree(extra);
    }

    public ListMeta(String resourceVersion, String continueToken, Long remainingItemCount) {
        this(resourceVersion, continueToken, remainingItemCount, null);
    }
}
