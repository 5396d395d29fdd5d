package io.kardia.store.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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

    /**
     * The paths ({@code spec.items[0].foo}) of the fields pruning would drop from a whole custom
     * object: what kube-apiserver's strict field validation calls unknown fields. Leaves the object as is.
     */
    public static List<String> unknownFields(JsonNode object, JsonNode rootSchema) {
        List<String> out = new ArrayList<>();
        if (object != null && object.isObject()) {
            collect(object, rootSchema, true, "", out);
        }
        return out;
    }

    private static void collectValue(JsonNode value, JsonNode schema, String path, List<String> out) {
        if (value == null || schema == null || !schema.isObject()) {
            return;
        }
        if (value.isObject()) {
            collect(value, schema, schema.path("x-kubernetes-embedded-resource").asBoolean(false), path, out);
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                collectValue(value.get(i), schema.get("items"), path + "[" + i + "]", out);
            }
        }
    }

    private static void collect(JsonNode object, JsonNode schema, boolean keepTypeAndObjectMeta, String path, List<String> out) {
        boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            String at = path.isEmpty() ? name : path + "." + name;
            if (keepTypeAndObjectMeta && TYPE_AND_OBJECT_META.contains(name)) {
                continue;
            }
            if (properties.has(name)) {
                collectValue(field.getValue(), properties.get(name), at, out);
            } else if (additional != null && additional.isObject()) {
                collectValue(field.getValue(), additional, at, out);
            } else if (!preserve && !(additional != null && additional.asBoolean(false)) && !name.startsWith("$")) {
                out.add(at);
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
