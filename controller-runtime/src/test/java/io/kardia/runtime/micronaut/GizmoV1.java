package io.kardia.runtime.micronaut;

import io.kardia.core.crd.CustomResource;
import io.kardia.core.crd.Kind;
import io.kardia.core.model.ObjectMeta;

/** Version v1 (stored) of a two-version test kind: {@code spec.size}. */
@Kind(group = "beans.kardia.io", version = "v1", kind = "Gizmo")
public record GizmoV1(ObjectMeta metadata, Spec spec, Void status) implements CustomResource<GizmoV1.Spec, Void> {
    public record Spec(Integer size) {
    }
}
