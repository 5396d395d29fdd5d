package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/** apps/v1 Deployment. */
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec", "status"})
public record Deployment(
        String apiVersion,
        String kind,
        ObjectMeta metadata,
        DeploymentSpec spec,
        DeploymentStatus status,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) implements KubeObject {

    public Deployment {
        apiVersion = apiVersion == null ? "apps/v1" : apiVersion;
        kind = kind == null ? "Deployment" : kind;
        metadata = metadata == null ? ObjectMeta.builder().build() : metadata;
        extra = Frozen.tree(extra);
    }

    public static Deployment of(ObjectMeta metadata, DeploymentSpec spec) {
        return new Deployment(null, null, metadata, spec, null, null);
    }

    @Override
    public Deployment withMetadata(ObjectMeta newMetadata) {
        return new Deployment(apiVersion, kind, newMetadata, spec, status, extra);
    }

    public Deployment withSpec(DeploymentSpec newSpec) {
        return new Deployment(apiVersion, kind, metadata, newSpec, status, extra);
    }

    public Deployment withStatus(DeploymentStatus newStatus) {
        return new Deployment(apiVersion, kind, metadata, spec, newStatus, extra);
    }
}
