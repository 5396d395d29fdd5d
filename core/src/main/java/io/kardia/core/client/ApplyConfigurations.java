package io.kardia.core.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.json.Json;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ResourceType;
import java.util.List;

/**
 * Turns an object into the body of a server-side apply: its JSON with the type's apiVersion and
 * kind, and without what the server owns in metadata (uid, resourceVersion, creationTimestamp,
 * generation, managedFields...), so a typed record whose unset fields are null (left out) is a
 * partial object of exactly the fields that are set.
 */
public final class ApplyConfigurations {
    private static final List<String> SERVER_METADATA = List.of("uid", "resourceVersion", "creationTimestamp", "generation",
            "managedFields", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink");

    private ApplyConfigurations() {
    }

    /** The apply body for {@code configuration} of {@code type}. */
    public static String body(ResourceType<?> type, KubeObject configuration) {
        if (configuration.metadata() == null || configuration.metadata().name() == null
                || configuration.metadata().name().isEmpty()) {
            throw new IllegalArgumentException("an applied configuration needs metadata.name");
        }
        ObjectNode tree = Json.toTree(configuration);
        tree.put("apiVersion", type.apiVersion());
        tree.put("kind", type.kind());
        JsonNode meta = tree.get("metadata");
        if (meta instanceof ObjectNode m) {
            SERVER_METADATA.forEach(m::remove);
        }
        return Json.toString(tree);
    }
}
