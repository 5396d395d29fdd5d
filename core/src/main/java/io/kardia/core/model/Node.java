package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/** core/v1 Node (cluster-scoped). */
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec", "status"})
public record Node(
        String apiVersion,
        String kind,
        ObjectMeta metadata,
        NodeSpec spec,
        NodeStatus status,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) implements KubeObject {

    public Node {
        apiVersion = apiVersion == null ? "v1" : apiVersion;
        kind = kind == null ? "Node" : kind;
        metadata = metadata == null ? ObjectMeta.builder().build() : metadata;
        extra = Frozen.tree(extra);
    }

    public static Node named(String name) {
        return new Node(null, null, ObjectMeta.builder().name(name).build(), null, null, null);
    }

    @Override
    public Node withMetadata(ObjectMeta newMetadata) {
        return new Node(apiVersion, kind, newMetadata, spec, status, extra);
    }

    public Node withSpec(NodeSpec newSpec) {
        return new Node(apiVersion, kind, metadata, newSpec, status, extra);
    }

    public Node withStatus(NodeStatus newStatus) {
        return new Node(apiVersion, kind, metadata, spec, newStatus, extra);
    }

    /** Whether the node has condition Ready=True. */
    public boolean ready() {
        return status != null && Condition.isTrue(status.conditions(), "Ready");
    }

    public boolean unschedulable() {
        return spec != null && Boolean.TRUE.equals(spec.unschedulable());
    }
}
