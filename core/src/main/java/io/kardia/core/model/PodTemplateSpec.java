package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** core/v1 PodTemplateSpec: the pods a ReplicaSet or Deployment creates. */
public record PodTemplateSpec(
        ObjectMeta metadata,
        PodSpec spec,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public PodTemplateSpec {
        extra = Frozen.tree(extra);
    }

    public static PodTemplateSpec of(ObjectMeta metadata, PodSpec spec) {
        return new PodTemplateSpec(metadata, spec, null);
    }

    public PodTemplateSpec withMetadata(ObjectMeta newMetadata) {
        return new PodTemplateSpec(newMetadata, spec, extra);
    }

    public PodTemplateSpec withSpec(PodSpec newSpec) {
        return new PodTemplateSpec(metadata, newSpec, extra);
    }
}
