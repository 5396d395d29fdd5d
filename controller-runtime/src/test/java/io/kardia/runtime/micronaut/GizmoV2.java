package io.kardia.runtime.micronaut;

import io.kardia.core.crd.CustomResource;
import io.kardia.core.crd.Kind;
import io.kardia.core.model.ObjectMeta;

/** Version v2 of the test kind {@link GizmoV1}: the size is called {@code spec.replicas}. */
@Kind(group = "beans.kardia.io", version = "v2", kind = "Gizmo", storage = false)
public record GizmoV2(ObjectMeta metadata, Spec spec, Void status) implements CustomResource<GizmoV2.Spec, Void> {
    public record Spec(Integer replicas) {
    }
}
