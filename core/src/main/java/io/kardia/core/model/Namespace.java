package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/** core/v1 Namespace. Spec and status are kept as free-form trees (finalizers, phase). */
@JsonPropertyOrder({"apiVersion", "kind", "metadata"})
public record Namespace(
        String apiVersion,
        String kind,
        ObjectMeta metadata,
        Map<String, Object> spec,
        Map<String, Object> status,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) implements KubeObject {

    public Namespace {
        apiVersion = apiVersion == null ? "v1" : apiVersion;
        kind = kind == null ? "Namespace" : kind;
        metadata = metadata == null ? ObjectMeta.builder().build() : metadata;
        spec = Frozen.tree(spec);
        status = Frozen.tree(status);
        extra = Frozen.tree(extra);
    }

    public static Namespace named(String name) {
        return new Namespace(null, null, ObjectMeta.builder().name(name).build(), null, null, null);
    }

    @Override
    public Namespace withMetadata(ObjectMeta newMetadata) {
        return new Namespace(apiVersion, kind, newMetadata, spec, status, extra);
    }
}
