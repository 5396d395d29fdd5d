package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/** coordination.k8s.io/v1 Lease: leader election and node heartbeats. */
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec"})
public record Lease(
        String apiVersion,
        String kind,
        ObjectMeta metadata,
        LeaseSpec spec,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) implements KubeObject {

    public Lease {
        apiVersion = apiVersion == null ? "coordination.k8s.io/v1" : apiVersion;
        kind = kind == null ? "Lease" : kind;
        metadata = metadata == null ? ObjectMeta.builder().build() : metadata;
        extra = Frozen.tree(extra);
    }

    public static Lease of(ObjectMeta metadata, LeaseSpec spec) {
        return new Lease(null, null, metadata, spec, null);
    }

    @Override
    public Lease withMetadata(ObjectMeta newMetadata) {
        return new Lease(apiVersion, kind, newMetadata, spec, extra);
    }

    public Lease withSpec(LeaseSpec newSpec) {
        return new Lease(apiVersion, kind, metadata, newSpec, extra);
    }
}
