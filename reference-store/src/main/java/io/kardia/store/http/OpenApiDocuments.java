package io.kardia.store.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.json.Json;
import io.kardia.core.model.ResourceType;
import io.kardia.kubeapi.ApiResource;
import io.kardia.kubeapi.KubeApiCatalog;
import io.kardia.kubeapi.TypeSchema;
import io.kardia.store.TypeRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The OpenAPI documents of what the store serves: {@code /openapi/v2} (one document) and
 * {@code /openapi/v3} (an index of one document per group version), generated from the Kubernetes
 * API catalog for built-in kinds and from each CRD's structural schema for custom ones. Each kind's
 * definition carries {@code x-kubernetes-group-version-kind} ({@code kubectl explain} finds it by
 * that); each write operation lists {@code fieldValidation}, so kubectl leaves unknown-field
 * checks to the server. Documents are built on first request and rebuilt when the served types change.
 */
final class OpenApiDocuments {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String STATUS = "k8s.io.apimachinery.pkg.apis.meta.v1.Status";

    private final TypeRegistry registry;
    private volatile Built built;

    /** The documents of one set of served types. */
    private record Built(Object key, byte[] v2, ObjectNode v3Index, Map<String, byte[]> v3) {
    }

    OpenApiDocuments(TypeRegistry registry) {
        this.registry = registry;
    }

    byte[] v2() {
        return current().v2;
    }

    byte[] v3Index() {
        return Json.toBytes(current().v3Index);
    }

    /** The document of {@code api/v1} or {@code apis/apps/v1}; empty when that group version is not served. */
    Optional<byte[]> v3(String groupVersionPath) {
        return Optional.ofNullable(current().v3.get(groupVersionPath));
    }

    private Built current() {
        List<ResourceType<?>> served = registry.served();
        List<Object> key = new ArrayList<>(served);
        served.forEach(t -> registry.customSchema(t).ifPresent(key::add));
        Built b = built;
        if (b == null || !b.key.equals(key)) {
            b = build(served, key);
            built = b;
        }
        return b;
    }

    private Built build(List<ResourceType<?>> served, Object key) {
        Map<String, List<ResourceType<?>>> byGroupVersion = new TreeMap<>();
        for (ResourceType<?> t : served) {
            byGroupVersion.computeIfAbsent(path(t), p -> new ArrayList<>()).add(t);
        }
        Map<String, byte[]> v3 = new LinkedHashMap<>();
        ObjectNode index = F.objectNode();
        ObjectNode indexPaths = index.putObject("paths");
        ObjectNode v2Paths = F.objectNode();
        Map<String, ObjectNode> v2Definitions = new TreeMap<>();
        byGroupVersion.forEach((gv, types) -> {
            ObjectNode doc = F.objectNode();
            doc.put("openapi", "3.0.0");
            info(doc);
            ObjectNode paths = doc.putObject("paths");
            Map<String, ObjectNode> schemas = new TreeMap<>();
            for (ResourceType<?> t : types) {
                add(t, OpenApiSchemas.Style.V3, paths, schemas);
                add(t, OpenApiSchemas.Style.V2, v2Paths, v2Definitions);
            }
            doc.putObject("components").putObject("schemas").setAll(schemas);
            byte[] bytes = Json.toBytes(doc);
            v3.put(gv, bytes);
            indexPaths.putObject(gv).put("serverRelativeURL",
                    "/openapi/v3/" + gv + "?hash=" + Integer.toHexString(java.util.Arrays.hashCode(bytes)).toUpperCase(java.util.Locale.ROOT));
        });
        ObjectNode v2 = F.objectNode();
        v2.put("swagger", "2.0");
        info(v2);
        v2.set("paths", v2Paths);
        v2.putObject("definitions").setAll(v2Definitions);
        return new Built(key, Json.toBytes(v2), index, v3);
    }

    private static void info(ObjectNode doc) {
        doc.putObject("info").put("title", "Kubernetes").put("version",
                "v" + KubeApiCatalog.get().kubernetesVersion() + ".0-kardia");
    }

    private static String path(ResourceType<?> t) {
        return t.group().isEmpty() ? "api/" + t.version() : "apis/" + t.group() + "/" + t.version();
    }

    /** The definitions and paths of one served type. */
    private void add(ResourceType<?> t, OpenApiSchemas.Style style, ObjectNode paths, Map<String, ObjectNode> definitions) {
        OpenApiSchemas.addWithReferences(STATUS, style, definitions);
        String kindName;
        String listName;
        Optional<ApiResource> builtIn = registry.isBuiltIn(t.groupResource())
                ? KubeApiCatalog.get().resource(t.group(), t.version(), t.plural()) : Optional.empty();
        if (builtIn.isPresent()) {
            ApiResource r = builtIn.get();
            OpenApiSchemas.addWithReferences(r.type(), style, definitions);
            kindName = TypeSchema.openApiName(r.type());
            if (r.listType() != null) {
                OpenApiSchemas.addWithReferences(r.listType(), style, definitions);
                listName = TypeSchema.openApiName(r.listType());
            } else {
                listName = null;
            }
        } else {
            OpenApiSchemas.addWithReferences(OpenApiSchemas.OBJECT_META, style, definitions);
            OpenApiSchemas.addWithReferences("k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta", style, definitions);
            kindName = customName(t, t.kind());
            definitions.put(kindName, OpenApiSchemas.customResource(registry.customSchema(t).orElse(null), style));
            listName = customName(t, t.listKind());
            ObjectNode list = F.objectNode().put("type", "object");
            ObjectNode props = list.putObject("properties");
            props.putObject("apiVersion").put("type", "string");
            props.putObject("kind").put("type", "string");
            props.putObject("metadata").put("$ref", style.refPrefix + "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta");
            props.putObject("items").put("type", "array").putObject("items").put("$ref", style.refPrefix + kindName);
            definitions.put(listName, list);
        }
        gvk(definitions.get(kindName), t, t.kind());
        if (listName != null) {
            gvk(definitions.get(listName), t, t.listKind());
        }
        List<String> verbs = registry.verbs(t);
        String base = "/" + path(t) + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.plural();
        ObjectNode collection = F.objectNode();
        if (verbs.contains("list") && listName != null) {
            collection.set("get", operation(t, "list", style, null, listName));
        }
        if (verbs.contains("create")) {
            collection.set("post", operation(t, "post", style, kindName, kindName));
        }
        if (verbs.contains("deletecollection")) {
            collection.set("delete", operation(t, "deletecollection", style, null, null));
        }
        if (!collection.isEmpty()) {
            pathParameters(collection, t.namespaced(), false, style);
            paths.set(base, collection);
        }
        ObjectNode item = F.objectNode();
        if (verbs.contains("get")) {
            item.set("get", operation(t, "get", style, null, kindName));
        }
        if (verbs.contains("update")) {
            item.set("put", operation(t, "put", style, kindName, kindName));
        }
        if (verbs.contains("patch")) {
            item.set("patch", operation(t, "patch", style, "patch", kindName, builtIn.isPresent()));
        }
        if (verbs.contains("delete")) {
            item.set("delete", operation(t, "delete", style, null, null));
        }
        if (!item.isEmpty()) {
            pathParameters(item, t.namespaced(), true, style);
            paths.set(base + "/{name}", item);
        }
    }

    /** kube-apiserver's name of a custom kind's definition: the group reversed, {@code com.example.v1.Widget}. */
    private static String customName(ResourceType<?> t, String kind) {
        List<String> labels = new ArrayList<>(List.of(t.group().split("\\.")));
        java.util.Collections.reverse(labels);
        return String.join(".", labels) + "." + t.version() + "." + kind;
    }

    private static void gvk(ObjectNode definition, ResourceType<?> t, String kind) {
        if (definition == null) {
            return;
        }
        ArrayNode gvks = definition.putArray("x-kubernetes-group-version-kind");
        gvks.addObject().put("group", t.group()).put("kind", kind).put("version", t.version());
    }

    /**
     * One operation. {@code body}: the request body's definition, {@code "patch"} for a patch
     * document, null for none; {@code response}: the 200 response's definition, null for a Status.
     */
    private static ObjectNode operation(ResourceType<?> t, String action, OpenApiSchemas.Style style, String body, String response) {
        return operation(t, action, style, body, response, false);
    }

    /**
     * @param strategic the patch accepts a strategic merge patch (built-in kinds, whose schemas carry
     *                  the patch strategies; kubectl's client-side apply computes its patch from them)
     */
    private static ObjectNode operation(ResourceType<?> t, String action, OpenApiSchemas.Style style, String body, String response,
                                        boolean strategic) {
        ObjectNode op = F.objectNode();
        op.put("operationId", action + t.kind());
        op.put("x-kubernetes-action", action);
        op.putObject("x-kubernetes-group-version-kind").put("group", t.group()).put("kind", t.kind()).put("version", t.version());
        ArrayNode parameters = op.putArray("parameters");
        boolean write = body != null;
        if (write) {
            query(parameters, "dryRun", style);
            query(parameters, "fieldManager", style);
            query(parameters, "fieldValidation", style);
        }
        if (action.equals("list")) {
            for (String q : List.of("labelSelector", "fieldSelector", "resourceVersion", "continue", "limit", "watch")) {
                query(parameters, q, style);
            }
        }
        String responseRef = response == null ? TypeSchema.openApiName(STATUS) : response;
        if (style == OpenApiSchemas.Style.V2) {
            if (write) {
                ObjectNode p = parameters.addObject().put("name", "body").put("in", "body").put("required", true);
                p.set("schema", body.equals("patch") ? F.objectNode().put("type", "object") : ref(body, style));
            }
            ArrayNode consumes = op.putArray("consumes");
            if (body != null && body.equals("patch")) {
                patchTypes(strategic).forEach(consumes::add);
            } else {
                consumes.add("application/json");
            }
            op.putArray("produces").add("application/json").add("application/yaml");
            ObjectNode ok = op.putObject("responses").putObject("200").put("description", "OK");
            ok.set("schema", ref(responseRef, style));
        } else {
            if (write) {
                ObjectNode content = op.putObject("requestBody").put("required", true).putObject("content");
                if (body.equals("patch")) {
                    for (String ct : patchTypes(strategic)) {
                        content.putObject(ct).putObject("schema").put("type", "object");
                    }
                } else {
                    content.putObject("*/*").set("schema", ref(body, style));
                }
            }
            ObjectNode ok = op.putObject("responses").putObject("200").put("description", "OK");
            ok.putObject("content").putObject("application/json").set("schema", ref(responseRef, style));
        }
        return op;
    }

    /** The patch media types an operation accepts, as kube-apiserver lists them (strategic merge for built-in kinds only). */
    private static List<String> patchTypes(boolean strategic) {
        return strategic
                ? List.of("application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json",
                        "application/apply-patch+yaml")
                : List.of("application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml");
    }

    private static ObjectNode ref(String definition, OpenApiSchemas.Style style) {
        return F.objectNode().put("$ref", style.refPrefix + definition);
    }

    private static void query(ArrayNode parameters, String name, OpenApiSchemas.Style style) {
        ObjectNode p = parameters.addObject().put("name", name).put("in", "query");
        String type = name.equals("limit") ? "integer" : name.equals("watch") ? "boolean" : "string";
        if (style == OpenApiSchemas.Style.V2) {
            p.put("type", type);
        } else {
            p.putObject("schema").put("type", type);
        }
    }

    private static void pathParameters(ObjectNode pathItem, boolean namespaced, boolean named, OpenApiSchemas.Style style) {
        ArrayNode parameters = pathItem.putArray("parameters");
        if (named) {
            pathParameter(parameters, "name", style);
        }
        if (namespaced) {
            pathParameter(parameters, "namespace", style);
        }
    }

    private static void pathParameter(ArrayNode parameters, String name, OpenApiSchemas.Style style) {
        ObjectNode p = parameters.addObject().put("name", name).put("in", "path").put("required", true);
        if (style == OpenApiSchemas.Style.V2) {
            p.put("type", "string");
        } else {
            p.putObject("schema").put("type", "string");
        }
    }
}
