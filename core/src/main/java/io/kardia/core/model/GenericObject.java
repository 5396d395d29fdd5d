package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.kardia.core.json.Json;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Any object, typed or not: apiVersion, kind and metadata, and every other field as an immutable
 * JSON-like tree. Custom resources use it, and so do the built-in kinds without a typed model
 * (a StatefulSet, a Service, a Role: see {@link ResourceTypes#STATEFUL_SET} and its neighbours);
 * nothing is ever lost on a round trip.
 *
 * <pre>{@code
 * GenericObject sts = GenericObject.of(ResourceTypes.STATEFUL_SET, ObjectMeta.of("db", "pg"))
 *         .withAt("spec.replicas", 3)
 *         .withAt("spec.template", podTemplateSpec);      // typed parts become their JSON tree
 * int ready = live.at("status.readyReplicas", Integer.class).orElse(0);
 * if (!live.containsFieldsOf(sts)) {                       // defaults the server added don't count
 *     client.update(live.withFieldsOf(sts));
 * }
 * }</pre>
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

    /** An object of {@code type} (its apiVersion and kind) with no fields besides its metadata. */
    public static GenericObject of(ResourceType<GenericObject> type, ObjectMeta metadata) {
        return new GenericObject(type.apiVersion(), type.kind(), metadata, Map.of());
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

    /**
     * A copy with the value at a dotted path such as {@code spec.template.spec} replaced, or removed
     * when {@code value} is null; missing maps on the way are created. A typed value (a model
     * record such as {@link PodTemplateSpec}) is stored as its JSON tree.
     *
     * @throws IllegalArgumentException if a step on the way holds something other than a map
     */
    public GenericObject withAt(String dottedPath, Object value) {
        String[] steps = dottedPath.split("\\.");
        return new GenericObject(apiVersion, kind, metadata, put(fields, steps, 0, FieldTrees.toTree(value), dottedPath));
    }

    private static Map<String, Object> put(Map<?, ?> map, String[] steps, int i, Object value, String path) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put((String) k, v));
        String step = steps[i];
        if (i == steps.length - 1) {
            if (value == null) {
                copy.remove(step);
            } else {
                copy.put(step, value);
            }
            return copy;
        }
        Object next = copy.get(step);
        if (next != null && !(next instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("cannot set " + path + ": " + String.join(".", Arrays.copyOf(steps, i + 1))
                    + " is not an object");
        }
        copy.put(step, put(next == null ? Map.of() : (Map<?, ?>) next, steps, i + 1, value, path));
        return copy;
    }

    /**
     * The value at a dotted path converted to {@code type} (a number, a string, a typed model
     * record such as {@link PodTemplateSpec}...), if every step exists.
     *
     * @throws IllegalArgumentException if the value there cannot be read as {@code type}
     */
    public <X> Optional<X> at(String dottedPath, Class<X> type) {
        Optional<Object> value = at(dottedPath);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (type.isInstance(value.get()) && !(value.get() instanceof Number)) {
            return Optional.of(type.cast(value.get()));
        }
        try {
            return Optional.of(Json.mapper().convertValue(value.get(), type));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(kind + " " + key() + ": " + dottedPath + " cannot be read as "
                    + type.getSimpleName() + ": " + value.get(), e);
        }
    }

    /**
     * Whether this object holds every field of {@code desired} besides its metadata (see
     * {@link FieldTrees#contains}): fields the server or others added do not count as a difference.
     */
    public boolean containsFieldsOf(GenericObject desired) {
        return FieldTrees.contains(fields, desired.fields());
    }

    /**
     * This object (its metadata, resourceVersion included, and every field {@code desired} does
     * not set) with {@code desired}'s fields laid over it ({@link FieldTrees#overlay}): what an
     * operator writes back to bring a live object to the state it owns.
     */
    @SuppressWarnings("unchecked")
    public GenericObject withFieldsOf(GenericObject desired) {
        return new GenericObject(apiVersion, kind, metadata, (Map<String, Object>) FieldTrees.overlay(fields, desired.fields()));
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
