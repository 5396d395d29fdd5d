package io.kardia.store.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.PatchType;
import io.kardia.core.json.CodecException;
import io.kardia.core.json.Json;
import io.kardia.core.model.Status;
import java.util.List;

/** Applies a patch of any supported {@link PatchType} to an object's JSON, with kube-apiserver's errors. */
public final class Patches {
    private Patches() {
    }

    /** Parses a patch body; malformed JSON is a 400. */
    public static JsonNode parse(byte[] patch) {
        try {
            return Json.tree(patch);
        } catch (CodecException e) {
            throw KubeApiException.of(Status.badRequest("error decoding patch: " + e.getMessage()));
        }
    }

    /**
     * Parses a server-side apply body: a YAML or JSON object (JSON is YAML). Malformed input is a 400.
     */
    public static ObjectNode parseApply(byte[] body) {
        JsonNode tree;
        try {
            int i = 0;
            while (i < body.length && Character.isWhitespace(body[i])) {
                i++;
            }
            tree = i < body.length && body[i] == '{' ? Json.tree(body) : io.kardia.core.json.Yaml.tree(body);
        } catch (CodecException | IllegalArgumentException e) {
            throw KubeApiException.of(Status.badRequest("error decoding YAML: " + e.getMessage()));
        }
        if (!(tree instanceof ObjectNode o)) {
            throw KubeApiException.of(Status.badRequest("error decoding YAML: an applied configuration must be an object"));
        }
        return o;
    }

    /** As {@link #apply(String, boolean, PatchType, ObjectNode, JsonNode)}, for kinds known to {@link PatchMergeKeys}. */
    public static ObjectNode apply(String groupResource, PatchType type, ObjectNode current, JsonNode patch) {
        return apply(groupResource, PatchMergeKeys.forResource(groupResource).isPresent(), type, current, patch);
    }

    /**
     * @param groupResource the kind's group-resource: strategic merge patch needs a built-in kind's merge keys
     * @param builtIn       whether the kind is built in (custom kinds do not support strategic merge patch)
     * @throws KubeApiException 415 for strategic patches of custom kinds, 400 for malformed patches,
     *                          422 for patches that do not apply
     */
    public static ObjectNode apply(String groupResource, boolean builtIn, PatchType type, ObjectNode current, JsonNode patch) {
        return apply(groupResource, builtIn, type, current, patch, JsonPatch.Budget.DEFAULT);
    }

    /**
     * As {@link #apply(String, boolean, PatchType, ObjectNode, JsonNode)}, with a bound on what a
     * JSON patch may add (merge and strategic merge patches cannot grow a document beyond the
     * patch's own size).
     *
     * @throws KubeApiException 413 for JSON patches of more than {@link JsonPatch#MAX_OPERATIONS}
     *                          operations, 422 when one would exceed {@code budget}
     */
    public static ObjectNode apply(String groupResource, boolean builtIn, PatchType type, ObjectNode current, JsonNode patch,
                                   JsonPatch.Budget budget) {
        try {
            JsonNode out = switch (type) {
                case MERGE -> {
                    if (!patch.isObject()) {
                        throw new PatchException("a merge patch must be a JSON object", true);
                    }
                    yield JsonMergePatch.apply(current, patch);
                }
                case JSON -> JsonPatch.apply(current, patch, budget);
                case APPLY -> throw new IllegalArgumentException("server-side apply is not a patch of the stored object");
                case STRATEGIC -> {
                    if (!builtIn) {
                        throw KubeApiException.of(Status.unsupportedMediaType("the body of the request was in an unknown "
                                    + "format - accepted media types include: application/json-patch+json, "
                                    + "application/merge-patch+json, application/apply-patch+yaml"));
                    }
                    yield new StrategicMergePatch(PatchMergeKeys.forBuiltIn(groupResource),
                            PatchMergeKeys.replacedIn(groupResource)).apply(current, patch);
                }
            };
            if (!out.isObject()) {
                throw new PatchException("the patched document is not a JSON object", false);
            }
            return (ObjectNode) out;
        } catch (PatchTooLargeException e) {
            throw KubeApiException.of(Status.tooLarge(e.getMessage()));
        } catch (PatchException e) {
            if (e.malformed()) {
                throw KubeApiException.of(Status.badRequest(e.getMessage()));
            }
            Status.Details d = new Status.Details(null, null, null, null,
                    List.of(new Status.Cause("FieldValueInvalid", e.getMessage(), null)), null, null);
            throw KubeApiException.of(Status.failure(422, "Invalid", e.getMessage(), d));
        }
    }
}
