package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** core/v1 ResourceRequirements: {@code requests} and {@code limits} by resource name ({@code cpu}, {@code memory}). */
public record ResourceRequirements(
        Map<String, Quantity> limits,
        Map<String, Quantity> requests,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public ResourceRequirements {
        limits = Frozen.map(limits);
        requests = Frozen.map(requests);
        extra = Frozen.tree(extra);
    }

    public static ResourceRequirements of(Map<String, Quantity> requests, Map<String, Quantity> limits) {
        return new ResourceRequirements(limits, requests, null);
    }

    /** The request for a resource, zero if none. */
    public Quantity request(String resource) {
        Quantity q = requests.get(resource);
        return q == null ? Quantity.ZERO : q;
    }

    /** The limit for a resource, if set. */
    public java.util.Optional<Quantity> limit(String resource) {
        return java.util.Optional.ofNullable(limits.get(resource));
    }
}
