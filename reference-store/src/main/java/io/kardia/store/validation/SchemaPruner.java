package io.kardia.store.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * kube-apiserver's pruning of a custom object: fields its structural schema does not specify are
 * dropped (not rejected), except under {@code x-kubernetes-preserve-unknown-fields: true} and, at
 * the root and in embedded resources, {@code apiVersion}, {@code kind} and {@code metadata}.
 */
public final class SchemaPruner {
    private static final Set<String> TYPE_AND_OBJECT_META = Set.of("apiVersion", "kind", "metadata");

    private SchemaPruner() {
    }

    /** Prunes a whole custom object in place against its CRD's {@code openAPIV3Schema}. */
    public static void pruneObject(ObjectNode object, JsonNode rootSchema) {
        pruneFields(object, rootSchema, true);
    }

    /** Prunes {@code value} (one field's value) in place against its schema. */
    public static void prune(JsonNode value, JsonNode schema) {
        if (value == null || schema == null || !schema.isObject()) {
            return;
        }
        if (value.isObject()) {
            pruneFields((ObjectNode) value, schema, schema.path("x-kubernetes-embedded-resource").asBoolean(false));
        } else if (value.isArray() && schema.has("items")) {
            for (JsonNode item : value) {
                prune(item, schema.get("items"));
            }
        }
    }

    private static void pruneFields(ObjectNode object, JsonNode schema, boolean keepTypeAndObjectMeta) {
        boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (keepTypeAndObjectMeta && TYPE_AND_OBJECT_META.contains(name)) {
                continue;
            }
            if (properties.has(name)) {
                prune(field.getValue(), properties.get(name));
            } else if (additional != null && additional.isObject()) {
                prune(field.getValue(), additional);
            } else if (!preserve && !(additional != null && additional.asBoolean(false))) {
                fields.remove();
            }
        }
    }
}
