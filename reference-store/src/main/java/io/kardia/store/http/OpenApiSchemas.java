package io.kardia.store.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.kubeapi.FieldSchema;
import io.kardia.kubeapi.FieldType;
import io.kardia.kubeapi.KubeApiCatalog;
import io.kardia.kubeapi.MergeMarkers;
import io.kardia.kubeapi.TypeDocs;
import io.kardia.kubeapi.TypeSchema;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * OpenAPI schemas of the Kubernetes API catalog's types, as kube-apiserver publishes them: one
 * definition per type ({@code io.k8s.api.apps.v1.DeploymentSpec}), fields referring to others by
 * {@code $ref}, the apimachinery special types inline (a Quantity is a string or a number, an
 * IntOrString has {@code x-kubernetes-int-or-string}).
 */
final class OpenApiSchemas {
    /** OpenAPI v2 ({@code #/definitions/}) or v3 ({@code #/components/schemas/}). */
    enum Style {
        V2("#/definitions/"), V3("#/components/schemas/");

        final String refPrefix;

        Style(String refPrefix) {
            this.refPrefix = refPrefix;
        }
    }

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final String OBJECT_META = "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta";

    private OpenApiSchemas() {
    }

    /**
     * Adds to {@code definitions} the schema of {@code protoName} and of every type it refers to,
     * each under its OpenAPI name.
     */
    static void addWithReferences(String protoName, Style style, Map<String, ObjectNode> definitions) {
        Deque<String> pending = new ArrayDeque<>();
        pending.add(protoName);
        while (!pending.isEmpty()) {
            String name = pending.poll();
            String openApiName = TypeSchema.openApiName(name);
            if (definitions.containsKey(openApiName)) {
                continue;
            }
            TypeSchema type = KubeApiCatalog.get().type(name).orElse(null);
            if (type == null) {
                definitions.put(openApiName, F.objectNode().put("type", "object"));
                continue;
            }
            TypeDocs docs = KubeApiCatalog.get().docs(name).orElse(null);
            ObjectNode def = F.objectNode();
            if (docs != null && !docs.description().isEmpty()) {
                def.put("description", docs.description());
            }
            def.put("type", "object");
            if (type.structType() != null) {
                def.put("x-kubernetes-map-type", type.structType());
            }
            if (docs != null && !docs.required().isEmpty()) {
                docs.required().stream().filter(type.fields()::containsKey).forEach(def.withArray("required")::add);
            }
            ObjectNode properties = def.putObject("properties");
            type.fields().forEach((json, field) -> {
                String description = docs == null ? null : docs.fields().get(json);
                if ((description == null || description.isEmpty()) && field.ref() != null) {
                    // The Java client's models drop the descriptions of fields that refer to another type: the type's own stands in.
                    description = KubeApiCatalog.get().docs(field.ref()).map(TypeDocs::description).orElse(null);
                }
                properties.set(json, withMarkers(described(field(field, style), description, style), field, style));
                if (field.ref() != null) {
                    pending.add(field.ref());
                }
                String special = SPECIAL_NAMES.get(field.type());
                if (special != null && !definitions.containsKey(special)) {
                    definitions.put(special, special(field.type(), style));
                }
            });
            definitions.put(openApiName, def);
        }
    }

    /**
     * A property with its description. A {@code $ref} takes no siblings in OpenAPI v3, so there
     * it is wrapped in {@code allOf}, as kube-apiserver does.
     */
    private static ObjectNode described(ObjectNode property, String description, Style style) {
        if (description == null || description.isEmpty()) {
            return property;
        }
        if (property.has("$ref") && style == Style.V3) {
            ObjectNode wrapped = F.objectNode();
            wrapped.putArray("allOf").add(property);
            wrapped.put("description", description);
            return wrapped;
        }
        property.put("description", description);
        return property;
    }

    /**
     * The release's merge markers as kube-apiserver publishes them ({@code x-kubernetes-list-type},
     * {@code -list-map-keys}, {@code -map-type}, {@code -patch-strategy}, {@code -patch-merge-key},
     * {@code default}): kubectl's client-side apply reads the patch strategies from here.
     */
    private static ObjectNode withMarkers(ObjectNode property, FieldSchema f, Style style) {
        MergeMarkers m = f.merge();
        if (m.equals(MergeMarkers.NONE) && f.defaultValue() == null) {
            return property;
        }
        ObjectNode out = property;
        if (property.has("$ref") && style == Style.V3) {
            out = F.objectNode();
            out.putArray("allOf").add(property);
        }
        if (f.defaultValue() != null) {
            out.set("default", f.defaultValue());
        }
        if (m.listType() != null) {
            out.put("x-kubernetes-list-type", m.listType());
        }
        if (!m.listMapKeys().isEmpty()) {
            m.listMapKeys().forEach(out.putArray("x-kubernetes-list-map-keys")::add);
        }
        if (m.mapType() != null) {
            out.put("x-kubernetes-map-type", m.mapType());
        }
        if (m.patchMergeKey() != null) {
            out.put("x-kubernetes-patch-merge-key", m.patchMergeKey());
        }
        if (m.patchStrategy() != null) {
            out.put("x-kubernetes-patch-strategy", m.patchStrategy());
        }
        return out;
    }

    private static ObjectNode field(FieldSchema f, Style style) {
        ObjectNode element = element(f, style);
        if (f.array()) {
            ObjectNode a = F.objectNode().put("type", "array");
            a.set("items", element);
            return a;
        }
        if (f.map()) {
            ObjectNode m = F.objectNode().put("type", "object");
            m.set("additionalProperties", element);
            return m;
        }
        return element;
    }

    /** The definitions kube-apiserver publishes for the apimachinery special types, which fields refer to. */
    private static final Map<FieldType, String> SPECIAL_NAMES = Map.of(
            FieldType.QUANTITY, "io.k8s.apimachinery.pkg.api.resource.Quantity",
            FieldType.INT_OR_STRING, "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
            FieldType.DATE_TIME, "io.k8s.apimachinery.pkg.apis.meta.v1.Time",
            FieldType.MICRO_TIME, "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime",
            FieldType.FREE_OBJECT, "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1",
            FieldType.ANY, "io.k8s.apimachinery.pkg.runtime.RawExtension");

    private static ObjectNode element(FieldSchema f, Style style) {
        String special = SPECIAL_NAMES.get(f.type());
        if (special != null) {
            return F.objectNode().put("$ref", style.refPrefix + special);
        }
        return special(f.type(), f, style);
    }

    private static ObjectNode special(FieldType type, Style style) {
        return special(type, null, style);
    }

    private static ObjectNode special(FieldType type, FieldSchema f, Style style) {
        ObjectNode n = F.objectNode();
        switch (type) {
            case STRING, DURATION -> n.put("type", "string");
            case BYTES -> n.put("type", "string").put("format", "byte");
            case BOOLEAN -> n.put("type", "boolean");
            case INTEGER -> n.put("type", "integer").put("format", f == null ? "int64" : f.format());
            case NUMBER -> n.put("type", "number").put("format", "double");
            case OBJECT -> {
                if (f == null || f.ref() == null) {
                    n.put("type", "object");
                } else {
                    n.put("$ref", style.refPrefix + TypeSchema.openApiName(f.ref()));
                }
            }
            case FREE_OBJECT -> n.put("type", "object");
            case QUANTITY -> {
                if (style == Style.V3) {
                    n.putArray("oneOf").add(F.objectNode().put("type", "string")).add(F.objectNode().put("type", "number"));
                } else {
                    n.put("type", "string");
                }
            }
            case INT_OR_STRING -> n.put("type", "string").put("format", "int-or-string").put("x-kubernetes-int-or-string", true);
            case DATE_TIME, MICRO_TIME -> n.put("type", "string").put("format", "date-time");
            case ANY -> n.put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
            case STRING_LIST -> {
                n.put("type", "array");
                n.putObject("items").put("type", "string");
            }
        }
        return n;
    }

    /** A CRD version's {@code openAPIV3Schema} as a definition: type and object metadata made explicit, as kube-apiserver does. */
    static ObjectNode customResource(JsonNode openApiV3Schema, Style style) {
        ObjectNode def = openApiV3Schema == null || !openApiV3Schema.isObject()
                ? F.objectNode().put("type", "object").put("x-kubernetes-preserve-unknown-fields", true)
                : ((ObjectNode) openApiV3Schema).deepCopy();
        ObjectNode properties = def.has("properties") && def.get("properties").isObject()
                ? (ObjectNode) def.get("properties") : def.putObject("properties");
        properties.putObject("apiVersion").put("type", "string");
        properties.putObject("kind").put("type", "string");
        properties.putObject("metadata").put("$ref", style.refPrefix + TypeSchema.openApiName(OBJECT_META));
        return def;
    }
}
