package io.kardia.kubeapi.generator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The structural schema of every message of the release: for each field its JSON name and JSON
 * type. Protobuf and JSON disagree on a few Kubernetes types (a Quantity is a message in protobuf
 * and a string in JSON); those are named by what they are in JSON.
 */
final class TypeSchemas {
    static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";
    /** Messages whose JSON form is a scalar or free-form value, by full protobuf name. */
    static final Map<String, String> SPECIAL = Map.ofEntries(
            Map.entry("k8s.io.apimachinery.pkg.api.resource.Quantity", "quantity"),
            Map.entry("k8s.io.apimachinery.pkg.util.intstr.IntOrString", "int-or-string"),
            Map.entry(META + "Time", "date-time"),
            Map.entry(META + "MicroTime", "micro-time"),
            Map.entry(META + "Duration", "duration"),
            Map.entry(META + "FieldsV1", "free-object"),
            Map.entry(META + "Fields", "free-object"),
            Map.entry("k8s.io.apimachinery.pkg.runtime.RawExtension", "any"),
            Map.entry("k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSON", "any"),
            Map.entry("k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray", "any"),
            Map.entry("k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool", "any"),
            Map.entry("k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray", "any"));
    /** Protobuf field names that differ from the JSON name (Go struct tags), per message. */
    private static final Map<String, String> JSON_SCHEMA_PROPS_NAMES = Map.of("ref", "$ref", "schema", "$schema");
    private static final String JSON_SCHEMA_PROPS = "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TypeSchemas() {
    }

    static ObjectNode all(List<FileDescriptor> files, Map<String, Set<String>> models, ProtoMarkers.All markers) {
        ObjectNode types = F.objectNode();
        for (FileDescriptor file : files) {
            for (Descriptor message : file.getMessageTypes()) {
                add(message, types, models, markers);
            }
        }
        return types;
    }

    private static void add(Descriptor message, ObjectNode types, Map<String, Set<String>> models, ProtoMarkers.All markers) {
        if (message.getOptions().getMapEntry() || SPECIAL.containsKey(message.getFullName())) {
            return;
        }
        ObjectNode type = types.putObject(message.getFullName());
        if (isStringList(message)) {
            type.put("jsonType", "string-list");
            return;
        }
        ProtoMarkers.Markers typeMarkers = markers.type(message.getFullName());
        // +structType on a struct, or +mapType on it (the older spelling): x-kubernetes-map-type of its definition
        String structType = typeMarkers.one("structType") != null ? typeMarkers.one("structType") : typeMarkers.one("mapType");
        if (structType != null) {
            type.put("structType", structType);
        }
        ObjectNode fields = type.putObject("fields");
        if (hasObjectMeta(message)) {
            // TypeMeta: on the wire in JSON, in the envelope in protobuf, so absent from the messages.
            fields.putObject("apiVersion").put("type", "string");
            fields.putObject("kind").put("type", "string");
        }
        addFields(message, fields, "", models, markers);
        for (Descriptor nested : message.getNestedTypes()) {
            add(nested, types, models, markers);
        }
    }

    /**
     * The JSON fields of a message; the fields of a struct Go embeds inline are the message's own
     * in JSON, marked with the protobuf field they come through ({@code inline}).
     */
    private static void addFields(Descriptor message, ObjectNode fields, String via, Map<String, Set<String>> models,
                                  ProtoMarkers.All markers) {
        Set<String> json = ModelFields.fieldsOf(message.getFile().getPackage(), message.getName(), models);
        for (FieldDescriptor field : message.getFields()) {
            if (json != null && isInline(field, json, models)) {
                addFields(field.getMessageType(), fields, via + field.getName() + ".", models, markers);
                continue;
            }
            String jsonName = jsonName(message, field);
            if (json != null && !json.contains(jsonName)) {
                // a few protobuf names differ from the JSON name in case only (Webhooks, uID, aPIGroup)
                for (String j : json) {
                    if (j.equalsIgnoreCase(jsonName)) {
                        jsonName = j;
                    }
                }
            }
            ObjectNode f = fields.putObject(jsonName);
            f.put("proto", field.getNumber());
            if (!via.isEmpty()) {
                f.put("inline", via.substring(0, via.length() - 1));
            }
            if (field.isMapField()) {
                f.put("map", true);
                describe(field.getMessageType().findFieldByName("value"), f);
            } else {
                if (field.isRepeated()) {
                    f.put("array", true);
                }
                describe(field, f);
            }
            addMarkers(markers.field(message.getFullName(), field.getName()), f);
        }
    }

    /** A field's merge markers, as kube-apiserver's OpenAPI extensions carry them. */
    private static void addMarkers(ProtoMarkers.Markers m, ObjectNode f) {
        if (m.one("listType") != null) {
            f.put("listType", m.one("listType"));
        }
        if (!m.all("listMapKey").isEmpty()) {
            m.all("listMapKey").forEach(f.putArray("listMapKeys")::add);
        }
        String mapType = m.one("mapType") != null ? m.one("mapType") : m.one("structType");
        if (mapType != null) {
            f.put("mapType", mapType);
        }
        if (m.one("patchStrategy") != null) {
            f.put("patchStrategy", m.one("patchStrategy"));
        }
        if (m.one("patchMergeKey") != null) {
            f.put("patchMergeKey", m.one("patchMergeKey"));
        }
        String value = m.one("default");
        if (value != null) {
            try {
                f.set("default", JSON.readTree(value));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                // +default=ref(...) names a Go constant: not a literal, and no key field uses one
            }
        }
    }

    private static boolean isInline(FieldDescriptor field, Set<String> json, Map<String, Set<String>> models) {
        if (field.getType() != FieldDescriptor.Type.MESSAGE || field.isRepeated() || json.contains(field.getName())
                || SPECIAL.containsKey(field.getMessageType().getFullName())) {
            return false;
        }
        for (FieldDescriptor nested : field.getMessageType().getFields()) {
            if (json.contains(nested.getName())) {
                return true;
            }
        }
        return false;
    }

    private static void describe(FieldDescriptor field, ObjectNode f) {
        switch (field.getJavaType()) {
            case STRING -> f.put("type", "string");
            case BYTE_STRING -> f.put("type", "bytes");
            case BOOLEAN -> f.put("type", "boolean");
            case INT -> f.put("type", "integer").put("format", "int32");
            case LONG -> f.put("type", "integer").put("format", "int64");
            case FLOAT, DOUBLE -> f.put("type", "number").put("format", "double");
            case MESSAGE -> {
                String name = field.getMessageType().getFullName();
                String special = SPECIAL.get(name);
                if (special != null) {
                    f.put("type", special);
                } else if (isStringList(field.getMessageType())) {
                    f.put("type", "string-list");
                } else {
                    f.put("type", "object").put("ref", name);
                }
            }
            default -> f.put("type", "string");
        }
    }

    /** Go {@code []string} types that protobuf wraps in a message ({@code ExtraValue}, {@code Verbs}). */
    static boolean isStringList(Descriptor message) {
        List<FieldDescriptor> fields = message.getFields();
        return fields.size() == 1 && fields.get(0).getName().equals("items") && fields.get(0).isRepeated()
                && fields.get(0).getType() == FieldDescriptor.Type.STRING;
    }

    static boolean hasObjectMeta(Descriptor message) {
        FieldDescriptor meta = message.findFieldByName("metadata");
        return meta != null && meta.getType() == FieldDescriptor.Type.MESSAGE
                && (meta.getMessageType().getFullName().equals(META + "ObjectMeta")
                || meta.getMessageType().getFullName().equals(META + "ListMeta"));
    }

    /** The JSON name: the protobuf name, except where the Go struct tag is not a protobuf identifier. */
    static String jsonName(Descriptor message, FieldDescriptor field) {
        String name = field.getName();
        if (message.getFullName().equals(JSON_SCHEMA_PROPS)) {
            String renamed = JSON_SCHEMA_PROPS_NAMES.get(name);
            if (renamed != null) {
                return renamed;
            }
            if (name.startsWith("xKubernetes")) {
                // xKubernetesPreserveUnknownFields -> x-kubernetes-preserve-unknown-fields
                return "x" + name.substring(1).replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
            }
        }
        return name;
    }
}
