package io.kardia.runtime.micronaut;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.model.ResourceTypes;
import io.kardia.runtime.webhook.Converter;

/** A conversion webhook declared as a bean: Gizmo's v1 {@code size} is v2's {@code replicas}; a negative one has no v1 form. */
@KardiaWebhook(forKind = GizmoV2.class)
public class GizmoConverter implements Converter {
    private final Converter between = Converter.between(ResourceTypes.of(GizmoV1.class), ResourceTypes.of(GizmoV2.class),
            v1 -> new GizmoV2(v1.metadata(), new GizmoV2.Spec(v1.spec().size()), null),
            v2 -> {
                if (v2.spec().replicas() < 0) {
                    throw new IllegalArgumentException("replicas " + v2.spec().replicas() + " is negative: v1 has no such size");
                }
                return new GizmoV1(v2.metadata(), new GizmoV1.Spec(v2.spec().replicas()), null);
            });

    @Override
    public ObjectNode convert(ObjectNode object, String desiredApiVersion) {
        return between.convert(object, desiredApiVersion);
    }
}
