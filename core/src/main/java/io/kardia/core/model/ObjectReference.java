package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** core/v1 ObjectReference: points at an object (an Event's {@code involvedObject}, a binding's target). */
public record ObjectReference(
        String kind,
        String namespace,
        String name,
        String uid,
        String apiVersion,
        String resourceVersion,
        String fieldPath,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public ObjectReference {
        extra = Frozen.tree(extra);
    }

    /** A reference to {@code object} at its current resourceVersion. */
    public static ObjectReference to(KubeObject object) {
        ObjectMeta m = object.metadata();
        return new ObjectReference(object.kind(), m.namespace(), m.name(), m.uid(), object.apiVersion(),
                m.resourceVersion(), null, null);
    }

    public ObjectReference withFieldPath(String path) {
        return new ObjectReference(kind, namespace, name, uid, apiVersion, resourceVersion, path, extra);
    }
}
