package io.kardia.controllers.workload;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.json.Json;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.OwnerReference;
import java.util.List;

/**
 * Metadata-only writes as JSON merge patches carrying the read {@code resourceVersion} as a
 * precondition: optimistic like an update, but they never resend the rest of the object (a full
 * update of a Pod resends its immutable spec, which a server may judge changed).
 */
public final class MetadataPatches {

    private MetadataPatches() {
    }

    /** Replaces {@code metadata.ownerReferences} of {@code obj} (as read) with {@code refs}. */
    public static <T extends KubeObject> T setOwnerReferences(ResourceClient<T> client, T obj, List<OwnerReference> refs) {
        ObjectNode meta = meta(obj);
        if (refs.isEmpty()) {
            meta.putNull("ownerReferences");
        } else {
            meta.set("ownerReferences", Json.mapper().valueToTree(refs));
        }
        return apply(client, obj, meta);
    }

    /** Replaces {@code metadata.finalizers} of {@code obj} (as read) with {@code finalizers}. */
    public static <T extends KubeObject> T setFinalizers(ResourceClient<T> client, T obj, List<String> finalizers) {
        ObjectNode meta = meta(obj);
        if (finalizers.isEmpty()) {
            meta.putNull("finalizers");
        } else {
            meta.set("finalizers", Json.mapper().valueToTree(finalizers));
        }
        return apply(client, obj, meta);
    }

    private static ObjectNode meta(KubeObject obj) {
        ObjectNode meta = Json.mapper().createObjectNode();
        meta.put("uid", obj.metadata().uid());
        meta.put("resourceVersion", obj.metadata().resourceVersion());
        return meta;
    }

    private static <T extends KubeObject> T apply(ResourceClient<T> client, T obj, ObjectNode meta) {
        ObjectNode patch = Json.mapper().createObjectNode();
        patch.set("metadata", meta);
        return client.patch(obj.metadata().namespace(), obj.metadata().name(), PatchType.MERGE, patch.toString());
    }
}
