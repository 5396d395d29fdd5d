package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Any object, typed or not: apiVersion, kind and metadata, and every other field as an immutable
 * JSON-like tree. Custom resources use it, and nothing is ever lost on a round trip.
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata"})
public record GenericObject(
        String apiVersion,
        String kind,
        ObjectMeta metadata,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> fields) implements KubeObject {

    public GenericObject {
        metadata = metadata == null ? ObjectMeta.builder().build() : metadata;
        fields = Frozen.tree(fields);
    }

    @Override
    public GenericObject withMetadata(ObjectMeta newMetadata) {
        return new GenericObject(apiVersion, kind, newMetadata, fields);
    }

    /** A copy with one top-level field ({@code spec}, {@code status}, ...) replaced or removed (null). */
    public GenericObject with(String field, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(fields);
        if (value == null) {
            copy.remove(field);
        } else {
            copy.put(field, value);
        }
        return new GenericObject(apiVersion, kind, metadata, copy);
    }

    /** The value at a dotted path such as {@code spec.replicas}, if every step exists. */
    public Optional<Object> at(String dottedPath) {
        Object cur = fields;
        for (String step : dottedPath.split("\\.")) {
            if (cur instanceof Map<?, ?> m) {
                cur = m.get(step);
            } else if (cur instanceof List<?> l && step.chars().allMatch(Character::isDigit)) {
                int i = Integer.parseInt(step);
                cur = i < l.size() ? l.get(i) : null;
            } else {
                return Optional.empty();
            }
            if (cur == null) {
                return Optional.empty();
            }
        }
        return Optional.of(cur);
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> spec() {
        Object s = fields.get("spec");
        return s instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> status() {
        Object s = fields.get("status");
        return s instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
