package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/** core/v1 Pod. */
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec", "status"})
public record Pod(
        String apiVersion,
        String kind,
        ObjectMeta metadata,
        PodSpec spec,
        PodStatus status,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) implements KubeObject {

    public Pod {
        apiVersion = apiVersion == null ? "v1" : apiVersion;
        kind = kind == null ? "Pod" : kind;
        metadata = metadata == null ? ObjectMeta.builder().build() : metadata;
        extra = Frozen.tree(extra);
    }

    public static Pod of(ObjectMeta metadata, PodSpec spec) {
        return new Pod(null, null, metadata, spec, null, null);
    }

    @Override
    public Pod withMetadata(ObjectMeta newMetadata) {
        return new Pod(apiVersion, kind, newMetadata, spec, status, extra);
    }

    public Pod withSpec(PodSpec newSpec) {
        return new Pod(apiVersion, kind, metadata, newSpec, status, extra);
    }

    public Pod withStatus(PodStatus newStatus) {
        return new Pod(apiVersion, kind, metadata, spec, newStatus, extra);
    }

    /** The phase, {@code Pending} when no status was reported yet. */
    public String phase() {
        return status == null || status.phase() == null ? PodStatus.PENDING : status.phase();
    }

    /** Whether the pod has condition Ready=True. */
    public boolean ready() {
        return status != null && Condition.isTrue(status.conditions(), "Ready");
    }
}
