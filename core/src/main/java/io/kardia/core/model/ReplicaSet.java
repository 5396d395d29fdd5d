package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/** apps/v1 ReplicaSet. */
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec", "status"})
public record ReplicaSet(
        String apiVersion,
        String kind,
        ObjectMeta metadata,
        ReplicaSetSpec spec,
        ReplicaSetStatus status,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) implements KubeObject {

    public ReplicaSet {
        apiVersion = apiVersion == null ? "apps/v1" : apiVersion;
        kind = kind == null ? "ReplicaSet" : kind;
        metadata = metadata == null ? ObjectMeta.builder().build() : metadata;
        extra = Frozen.tree(extra);
    }

    public static ReplicaSet of(ObjectMeta metadata, ReplicaSetSpec spec) {
        return new ReplicaSet(null, null, metadata, spec, null, null);
    }

    @Override
    public ReplicaSet withMetadata(ObjectMeta newMetadata) {
        return new ReplicaSet(apiVersion, kind, newMetadata, spec, status, extra);
    }

    public ReplicaSet withSpec(ReplicaSetSpec newSpec) {
        return new ReplicaSet(apiVersion, kind, metadata, newSpec, status, extra);
    }

    public ReplicaSet withStatus(ReplicaSetStatus newStatus) {
        return new ReplicaSet(apiVersion, kind, metadata, spec, newStatus, extra);
    }
}
