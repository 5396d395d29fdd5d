package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** metav1.OwnerReference: ties a dependent to its owner for garbage collection and adoption. */
public record OwnerReference(
        String apiVersion,
        String kind,
        String name,
        String uid,
        Boolean controller,
        Boolean blockOwnerDeletion,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public OwnerReference {
        extra = Frozen.tree(extra);
    }

    /** A controller reference to {@code owner}, blocking its foreground deletion, as controllers write them. */
    public static OwnerReference controllerOf(KubeObject owner) {
        ObjectMeta m = owner.metadata();
        return new OwnerReference(owner.apiVersion(), owner.kind(), m.name(), m.uid(), true, true, Map.of());
    }
}
