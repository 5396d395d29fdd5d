package io.kardia.store.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.PatchType;
import io.kardia.core.json.Json;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.Status;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoredObject;
import io.kardia.store.protobuf.KubeProtobufCodec;
import io.kardia.kubeapi.protobuf.ProtobufFormatException;
import io.kardia.store.patch.Patches;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code scale} subresource (autoscaling/v1 Scale) of Deployments and ReplicaSets: a view of
 * {@code spec.replicas} and the selector. Writes through it change only the parent's replicas.
 */
final class ScaleSubresource {
    private final ReferenceStore store;
    /** Null when the server has no protobuf descriptors. */
    private final Supplier<KubeProtobufCodec> protobuf;

    ScaleSubresource(ReferenceStore store, Supplier<KubeProtobufCodec> protobuf) {
        this.store = store;
        this.protobuf = protobuf;
    }

    void handle(HttpExchange ex, ResourceType<?> type, String namespace, String name, String method,
                Map<String, String> q) throws IOException {
        StoredObject parent = store.get(type, namespace, name, null);
        switch (method) {
            case "GET" -> HttpIo.sendJson(ex, 200, scaleOf(parent));
            case "PUT" -> {
                JsonNode body = scaleBody(ex, HttpIo.readBody(ex));
                HttpIo.sendJson(ex, 200, write(ex, type, namespace, name, parent, body, q));
            }
            case "PATCH" -> {
                byte[] patch = HttpIo.readBody(ex);
                PatchType pt = PatchType.fromContentType(HttpIo.contentType(ex));
                if (pt == PatchType.APPLY) {
                    HttpIo.sendJson(ex, 200, applyScale(type, namespace, name, Patches.parseApply(patch), q));
                    return;
                }
                if (pt == null) {
                    throw KubeApiException.of(Status.unsupportedMediaType("unsupported patch type for scale: "
                            + HttpIo.contentType(ex)));
                }
                // Scale has no lists, so a strategic merge patch means the same as a merge patch.
                PatchType effective = pt == PatchType.STRATEGIC ? PatchType.MERGE : pt;
                ObjectNode patched = Patches.apply("scale.autoscaling", effective, scaleOf(parent), Patches.parse(patch));
                HttpIo.sendJson(ex, 200, write(ex, type, namespace, name, parent, patched, q));
            }
            default -> throw KubeApiException.of(Status.methodNotAllowed("the server does not allow this method on "
                    + "the requested resource (" + method + " scale)"));
        }
    }

    /**
     * A PUT's Scale: JSON, or protobuf (a typed Go client's UpdateScale sends autoscaling/v1 Scale
     * as protobuf); the answer stays JSON, which those clients accept too.
     */
    private JsonNode scaleBody(HttpExchange ex, byte[] bytes) {
        String ct = HttpIo.contentType(ex);
        if (ct.equals(KubeProtobufCodec.MEDIA_TYPE) && protobuf != null) {
            try {
                return protobuf.get().decode(bytes, "autoscaling/v1", "Scale");
            } catch (ProtobufFormatException e) {
                throw KubeApiException.of(Status.badRequest(e.getMessage()));
            }
        }
        if (!ct.isEmpty() && !ct.equals("application/json") && !ct.equals("*/*")) {
            throw KubeApiException.of(Status.unsupportedMediaType("the body of the request was in an unknown format - "
                    + "accepted media types include: application/json" + (protobuf != null ? ", " + KubeProtobufCodec.MEDIA_TYPE : "")));
        }
        return Json.tree(bytes);
    }

    private ObjectNode write(HttpExchange ex, ResourceType<?> type, String namespace, String name, StoredObject parent, JsonNode scale,
                             Map<String, String> q) {
        JsonNode replicas = scale.path("spec").path("replicas");
        if (!replicas.canConvertToInt() || replicas.asInt() < 0) {
            throw KubeApiException.of(Status.invalid(new Status.ResourceName("autoscaling", "scale", name), "Scale",
                    java.util.List.of(Status.Cause.invalid("spec.replicas",
                            "Invalid value: " + replicas + ": must be greater than or equal to 0"))));
        }
        ObjectNode next = parent.json();
        String rv = scale.path("metadata").path("resourceVersion").asText("");
        ((ObjectNode) next.path("metadata")).put("resourceVersion", rv.isEmpty() ? parent.resourceVersion() : rv);
        next.with("spec").put("replicas", replicas.asInt());
        StoredObject updated = store.updateScale(type, namespace, name, next, ResourceHandler.writeOptions(ex, q));
        return scaleOf(updated);
    }

    /**
     * Server-side apply of a Scale: applied as the parent's {@code spec.replicas}, owned by the
     * manager through the {@code scale} subresource (kube-apiserver records it the same way).
     */
    private ObjectNode applyScale(ResourceType<?> type, String namespace, String name, ObjectNode scale, Map<String, String> q) {
        String av = scale.path("apiVersion").asText("");
        String kind = scale.path("kind").asText("");
        if (!av.equals("autoscaling/v1") || !kind.equals("Scale")) {
            throw KubeApiException.of(Status.badRequest("an applied configuration of the scale subresource must be an "
                    + "autoscaling/v1 Scale, got apiVersion \"" + av + "\" and kind \"" + kind + "\""));
        }
        ObjectNode parent = Json.mapper().createObjectNode();
        parent.put("apiVersion", type.apiVersion());
        parent.put("kind", type.kind());
        ObjectNode meta = parent.putObject("metadata");
        JsonNode sm = scale.path("metadata");
        if (sm.has("name")) {
            meta.set("name", sm.get("name"));
        }
        JsonNode replicas = scale.path("spec").get("replicas");
        if (replicas != null) {
            if (!replicas.canConvertToInt() || replicas.asInt() < 0) {
                throw KubeApiException.of(Status.invalid(new Status.ResourceName("autoscaling", "scale", name), "Scale",
                        java.util.List.of(Status.Cause.invalid("spec.replicas",
                                "Invalid value: " + replicas + ": must be greater than or equal to 0"))));
            }
            parent.putObject("spec").set("replicas", replicas);
        }
        return scaleOf(store.apply(type, namespace, name, parent, ResourceHandler.writeOptions(q), "scale"));
    }

    static ObjectNode scaleOf(StoredObject parent) {
        ObjectNode obj = parent.json();
        ObjectNode s = Json.mapper().createObjectNode();
        s.put("kind", "Scale");
        s.put("apiVersion", "autoscaling/v1");
        ObjectNode m = s.putObject("metadata");
        JsonNode pm = obj.path("metadata");
        for (String f : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
            if (pm.hasNonNull(f)) {
                m.set(f, pm.get(f));
            }
        }
        s.putObject("spec").put("replicas", obj.path("spec").path("replicas").asInt(1));
        ObjectNode st = s.putObject("status");
        st.put("replicas", obj.path("status").path("replicas").asInt(0));
        String selector = selectorString(obj.path("spec").path("selector"));
        if (!selector.isEmpty()) {
            st.put("selector", selector);
        }
        return s;
    }

    /** metav1.LabelSelector as the selector string kubectl and autoscalers read. */
    static String selectorString(JsonNode sel) {
        StringBuilder b = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = sel.path("matchLabels").fields(); it.hasNext(); ) {
            var e = it.next();
            if (!b.isEmpty()) {
                b.append(',');
            }
            b.append(e.getKey()).append('=').append(e.getValue().asText());
        }
        for (JsonNode r : sel.path("matchExpressions")) {
            if (!b.isEmpty()) {
                b.append(',');
            }
            String key = r.path("key").asText();
            StringBuilder values = new StringBuilder();
            for (JsonNode v : r.path("values")) {
                if (!values.isEmpty()) {
                    values.append(',');
                }
                values.append(v.asText());
            }
            switch (r.path("operator").asText()) {
                case "In" -> b.append(key).append(" in (").append(values).append(')');
                case "NotIn" -> b.append(key).append(" notin (").append(values).append(')');
                case "Exists" -> b.append(key);
                case "DoesNotExist" -> b.append('!').append(key);
                default -> b.append(key);
            }
        }
        return b.toString();
    }
}
