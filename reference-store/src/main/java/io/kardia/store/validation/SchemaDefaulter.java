package io.kardia.store.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * kube-apiserver's structural defaulting of a custom object: a field whose schema has a
 * {@code default} gets a copy of it when the field is absent, or null where the schema does not
 * allow null; then the defaulting goes on inside every value, defaults included (so a defaulted
 * object gets its own fields' defaults). Runs after pruning, as in kube, so defaults are never
 * pruned away. Type and object metadata at the root and in embedded resources are left alone.
 */
public final class SchemaDefaulter {
    private static final Set<String> TYPE_AND_OBJECT_META = Set.of("apiVersion", "kind", "metadata");

    private SchemaDefaulter() {
    }

    /** Defaults a whole custom object in place against its CRD's {@code openAPIV3Schema}. */
    public static void defaultObject(ObjectNode object, JsonNode rootSchema) {
        defaultFields(object, rootSchema, true);
    }

    private static void defaultValue(JsonNode value, JsonNode schema) {
        if (value == null || schema == null || !schema.isObject()) {
            return;
        }
        if (value.isObject()) {
            defaultFields((ObjectNode) value, schema, schema.path("x-kubernetes-embedded-resource").asBoolean(false));
        } else if (value.isArray() && schema.path("items").isObject()) {
            JsonNode items = schema.get("items");
            ArrayNode array = (ArrayNode) value;
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isNull() && items.has("default") && !items.path("nullable").asBoolean(false)) {
                    array.set(i, items.get("default").deepCopy());
                }
                defaultValue(array.get(i), items);
            }
        }
    }

    private static void defaultFields(ObjectNode object, JsonNode schema, boolean skipTypeAndObjectMeta) {
        JsonNode properties = schema.path("properties");
        for (Iterator<Map.Entry<String, JsonNode>> props = properties.fields(); props.hasNext(); ) {
            Map.Entry<String, JsonNode> prop = props.next();
            JsonNode fallback = prop.getValue().get("default");
            if (fallback == null || (skipTypeAndObjectMeta && TYPE_AND_OBJECT_META.contains(prop.getKey()))) {
                continue;
            }
            JsonNode current = object.get(prop.getKey());
            if (current == null || (current.isNull() && !prop.getValue().path("nullable").asBoolean(false))) {
                object.set(prop.getKey(), fallback.deepCopy());
            }
        }
        JsonNode additional = schema.get("additionalProperties");
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (skipTypeAndObjectMeta && TYPE_AND_OBJECT_META.contains(field.getKey())) {
                continue;
            }
            JsonNode fieldSchema = properties.get(field.getKey());
            if (fieldSchema == null && additional != null && additional.isObject()) {
                fieldSchema = additional;
            }
            defaultValue(field.getValue(), fieldSchema);
        }
    }
}
