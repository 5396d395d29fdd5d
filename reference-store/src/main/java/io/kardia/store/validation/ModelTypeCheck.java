package io.kardia.store.validation;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.kardia.core.json.CodecException;
import io.kardia.core.json.Json;
import io.kardia.kubeapi.FieldSchema;
import io.kardia.kubeapi.FieldType;
import io.kardia.kubeapi.KubeApiCatalog;
import io.kardia.kubeapi.TypeSchema;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Checks a JSON object against the typed model core decodes it to (ConfigMap, Pod, ObjectMeta of
 * every kind...), strictly, as kube-apiserver's decoder does: a string where a string is declared,
 * an integer where an integer is, an object for a map or a struct, an array for a list. Values of
 * types with their own decoder (timestamps, quantities, int-or-string) are decoded by it. Fields
 * the model does not declare are accepted (the model keeps them). So the store never stores an
 * object its own clients and informers cannot decode.
 *
 * <p>Kinds without a typed model (StatefulSet, Service, Role...) are checked the same way against
 * their structural schema from {@link KubeApiCatalog}, Kubernetes' own types of the pinned release.
 *
 * <p>Messages are worded like Go's {@code encoding/json}, which kube-apiserver passes through:
 * {@code json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string}.
 */
public final class ModelTypeCheck {
    private static final ClassValue<Map<String, Type>> FIELDS = new ClassValue<>() {
        @Override
        protected Map<String, Type> computeValue(Class<?> record) {
            Map<String, Type> out = new HashMap<>();
            for (RecordComponent c : record.getRecordComponents()) {
                Field f = field(c);
                if (f != null && f.isAnnotationPresent(JsonAnySetter.class)) {
                    continue; // unknown fields go here: anything is accepted
                }
                JsonProperty renamed = f == null ? null : f.getAnnotation(JsonProperty.class);
                out.put(renamed != null && !renamed.value().isEmpty() ? renamed.value() : c.getName(), c.getGenericType());
            }
            return out;
        }
    };

    private ModelTypeCheck() {
    }

    /** Null when {@code tree} decodes as {@code model}; otherwise what is wrong, worded as Go's decoder does. */
    public static String firstMismatch(JsonNode tree, Class<?> model) {
        return check(tree, model, model.getSimpleName(), "", null, null, null);
    }

    /**
     * As {@link #firstMismatch(JsonNode, Class)}, and in the same walk reports to {@code unknown}
     * (when not null) the paths of the fields the Kubernetes type {@code schema} does not declare
     * ({@code spec.containers[0].foo}), for {@code fieldValidation}. Fields the model keeps as
     * free-form content are walked against the schema for that too.
     */
    public static String firstMismatch(JsonNode tree, Class<?> model, TypeSchema schema, Consumer<String> unknown) {
        return check(tree, model, model.getSimpleName(), "", schema, unknown, unknown == null ? null : "");
    }

    /** Null when {@code tree} decodes as the Kubernetes type {@code schema}; otherwise what is wrong, worded as Go's decoder does. */
    public static String firstMismatch(JsonNode tree, TypeSchema schema) {
        return firstMismatch(tree, schema, null);
    }

    /**
     * As {@link #firstMismatch(JsonNode, TypeSchema)}, and in the same walk reports to {@code unknown}
     * (when not null) the paths of the fields the schema does not declare ({@code spec.containers[0].foo}).
     */
    public static String firstMismatch(JsonNode tree, TypeSchema schema, Consumer<String> unknown) {
        if (!tree.isObject()) {
            return mismatch(tree, shortName(schema.name()), "", goName(schema.name()));
        }
        return checkFields(tree, schema, "", unknown, unknown == null ? null : "");
    }

    /**
     * @param unknownPath where the unknown-field reports of this object start ({@code spec.containers[0]});
     *                    only built when {@code unknown} is not null, so a plain type check pays nothing for it
     */
    private static String checkFields(JsonNode object, TypeSchema schema, String path, Consumer<String> unknown,
                                      String unknownPath) {
        String struct = shortName(schema.name());
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            FieldSchema f = schema.fields().get(e.getKey());
            if (f == null) {
                if (unknown != null) {
                    unknown.accept(join(unknownPath, e.getKey()));
                }
                continue;
            }
            String m = checkField(e.getValue(), f, struct, path + "." + e.getKey(), unknown,
                    unknown == null ? null : join(unknownPath, e.getKey()));
            if (m != null) {
                return m;
            }
        }
        return null;
    }

    private static String join(String parent, String field) {
        return parent.isEmpty() ? field : parent + "." + field;
    }

    private static String checkField(JsonNode n, FieldSchema f, String struct, String path, Consumer<String> unknown,
                                     String unknownPath) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (f.array() || f.map()) {
            if (f.array() ? !n.isArray() : !n.isObject()) {
                return mismatch(n, struct, path, (f.array() ? "[]" : "map[string]") + goName(f));
            }
            if (f.array()) {
                for (int i = 0; i < n.size(); i++) {
                    String m = checkValue(n.get(i), f, struct, path, unknown, unknown == null ? null : unknownPath + "[" + i + "]");
                    if (m != null) {
                        return m;
                    }
                }
                return null;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String m = checkValue(e.getValue(), f, struct, path, unknown, unknown == null ? null : join(unknownPath, e.getKey()));
                if (m != null) {
                    return m;
                }
            }
            return null;
        }
        return checkValue(n, f, struct, path, unknown, unknownPath);
    }

    private static String checkValue(JsonNode n, FieldSchema f, String struct, String path, Consumer<String> unknown,
                                     String unknownPath) {
        if (n == null || n.isNull()) {
            return null;
        }
        boolean ok = switch (f.type()) {
            case STRING, DURATION -> n.isTextual();
            case BYTES -> n.isTextual() && isBase64(n.asText());
            case BOOLEAN -> n.isBoolean();
            case INTEGER -> n.isIntegralNumber() && ("int32".equals(f.format()) ? n.canConvertToInt() : n.canConvertToLong());
            case NUMBER -> n.isNumber();
            case OBJECT, FREE_OBJECT -> n.isObject();
            case INT_OR_STRING -> n.isTextual() || (n.isIntegralNumber() && n.canConvertToInt());
            case STRING_LIST -> n.isArray() && allText(n);
            case ANY -> true;
            case QUANTITY, DATE_TIME, MICRO_TIME -> n.isTextual() || (f.type() == FieldType.QUANTITY && n.isNumber());
        };
        if (!ok) {
            return mismatch(n, struct, path, goName(f));
        }
        if (f.type() == FieldType.QUANTITY || f.type() == FieldType.DATE_TIME || f.type() == FieldType.MICRO_TIME) {
            // Types with their own decoder: core's decodes the same text as Go's does.
            return check(n, f.type() == FieldType.QUANTITY ? io.kardia.core.model.Quantity.class : java.time.Instant.class,
                    struct, path, null, null, null);
        }
        if (f.type() == FieldType.OBJECT && f.ref() != null) {
            TypeSchema nested = KubeApiCatalog.get().type(f.ref()).orElse(null);
            return nested == null ? null : checkFields(n, nested, path, unknown, unknownPath);
        }
        return null;
    }

    /** The catalog type of a field's values (its struct), or null for scalars and free-form fields. */
    private static TypeSchema nestedSchema(TypeSchema schema, String field) {
        FieldSchema f = schema == null ? null : schema.fields().get(field);
        if (f == null || f.type() != FieldType.OBJECT || f.ref() == null) {
            return null;
        }
        return KubeApiCatalog.get().type(f.ref()).orElse(null);
    }

    /** Whether the model's field is a list where the schema's is, a map where it is, a struct where it is. */
    private static boolean sameShape(Class<?> model, FieldSchema f) {
        if (model == Object.class || JsonNode.class.isAssignableFrom(model)) {
            return false;
        }
        if (Collection.class.isAssignableFrom(model)) {
            return f.array();
        }
        if (Map.class.isAssignableFrom(model)) {
            return f.map();
        }
        return !f.array() && !f.map();
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode e : array) {
            if (!e.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBase64(String s) {
        try {
            java.util.Base64.getDecoder().decode(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code StatefulSetSpec} of {@code k8s.io.api.apps.v1.StatefulSetSpec}. */
    private static String shortName(String protoName) {
        return protoName.substring(protoName.lastIndexOf('.') + 1);
    }

    /** Go's name of a type: {@code v1.StatefulSetSpec}, {@code resource.Quantity}. */
    private static String goName(String protoName) {
        String pkg = protoName.substring(0, protoName.lastIndexOf('.'));
        return pkg.substring(pkg.lastIndexOf('.') + 1) + "." + shortName(protoName);
    }

    private static String goName(FieldSchema f) {
        return switch (f.type()) {
            case STRING -> "string";
            case BYTES -> "[]uint8";
            case BOOLEAN -> "bool";
            case INTEGER -> "int32".equals(f.format()) ? "int32" : "int64";
            case NUMBER -> "float64";
            case OBJECT -> f.ref() == null ? "map[string]interface {}" : goName(f.ref());
            case FREE_OBJECT -> "v1.FieldsV1";
            case QUANTITY -> "resource.Quantity";
            case INT_OR_STRING -> "intstr.IntOrString";
            case DATE_TIME -> "v1.Time";
            case MICRO_TIME -> "v1.MicroTime";
            case DURATION -> "v1.Duration";
            case ANY -> "interface {}";
            case STRING_LIST -> "[]string";
        };
    }

    /**
     * @param schema      the catalog type of {@code n} (or of its elements or values), null when unknown
     *                    fields are not looked for or the type has none
     * @param unknown     where unknown fields are reported; null: not looked for
     * @param unknownPath the path of {@code n} in unknown-field reports; null when {@code unknown} is
     */
    private static String check(JsonNode n, Type type, String struct, String path, TypeSchema schema,
                                Consumer<String> unknown, String unknownPath) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null; // null decodes to the zero value, as in Go
        }
        Class<?> raw = raw(type);
        if (raw == Object.class || JsonNode.class.isAssignableFrom(raw)) {
            if (unknown != null && schema != null && n.isObject()) {
                checkFields(n, schema, "", unknown, unknownPath); // a free-form element of a typed list or map
            }
            return null;
        }
        if (raw == String.class) {
            return n.isTextual() ? null : mismatch(n, struct, path, "string");
        }
        if (raw == Long.class || raw == long.class) {
            return n.isIntegralNumber() && n.canConvertToLong() ? null : mismatch(n, struct, path, "int64");
        }
        if (raw == Integer.class || raw == int.class) {
            return n.isIntegralNumber() && n.canConvertToInt() ? null : mismatch(n, struct, path, "int32");
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return n.isBoolean() ? null : mismatch(n, struct, path, "bool");
        }
        if (raw == Double.class || raw == double.class || raw == Float.class || raw == float.class) {
            return n.isNumber() ? null : mismatch(n, struct, path, "float64");
        }
        if (Collection.class.isAssignableFrom(raw)) {
            Type element = argument(type, 0);
            if (!n.isArray()) {
                return mismatch(n, struct, path, "[]" + goName(element));
            }
            for (int i = 0; i < n.size(); i++) {
                String m = check(n.get(i), element, struct, path, schema, unknown, unknown == null ? null : unknownPath + "[" + i + "]");
                if (m != null) {
                    return m;
                }
            }
            return null;
        }
        if (Map.class.isAssignableFrom(raw)) {
            Type value = argument(type, 1);
            if (!n.isObject()) {
                return mismatch(n, struct, path, "map[string]" + goName(value));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String m = check(e.getValue(), value, struct, path, schema, unknown,
                        unknown == null ? null : join(unknownPath, e.getKey()));
                if (m != null) {
                    return m;
                }
            }
            return null;
        }
        if (raw.isRecord() && !raw.isAnnotationPresent(JsonDeserialize.class)) {
            if (!n.isObject()) {
                return mismatch(n, struct, path, goName(raw));
            }
            Map<String, Type> fields = FIELDS.get(raw);
            boolean lookForUnknown = unknown != null && schema != null;
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Type t = fields.get(e.getKey());
                TypeSchema nested = null;
                String at = null;
                boolean alongside = false;
                if (lookForUnknown) {
                    at = join(unknownPath, e.getKey());
                    FieldSchema f = schema.fields().get(e.getKey());
                    if (f == null) {
                        unknown.accept(at);
                        continue;
                    }
                    nested = nestedSchema(schema, e.getKey());
                    alongside = nested != null && t != null && sameShape(raw(t), f);
                    if (nested != null && !alongside) {
                        // the model keeps this field free-form (or shaped otherwise): the schema alone finds its unknown fields
                        checkField(e.getValue(), f, raw.getSimpleName(), path + "." + e.getKey(), unknown, at);
                    }
                }
                if (t != null) {
                    String m = check(e.getValue(), t, raw.getSimpleName(), path + "." + e.getKey(), alongside ? nested : null,
                            alongside ? unknown : null, alongside ? at : null);
                    if (m != null) {
                        return m;
                    }
                }
            }
            return null;
        }
        // A type with its own decoder (Instant, Quantity, IntOrString, enums): let it decide.
        try {
            Json.fromTree(n, raw);
            return null;
        } catch (CodecException | IllegalArgumentException e) {
            return "json: cannot unmarshal " + kind(n) + " into Go struct field " + struct + path + " of type "
                    + goName(raw) + ": " + firstLine(e.getMessage());
        }
    }

    private static String mismatch(JsonNode n, String struct, String path, String goType) {
        String where = path.isEmpty() ? "Go value" : "Go struct field " + struct + path;
        return "json: cannot unmarshal " + kind(n) + " into " + where + " of type " + goType;
    }

    private static String kind(JsonNode n) {
        if (n.isTextual()) {
            return "string";
        }
        if (n.isNumber()) {
            return "number";
        }
        if (n.isBoolean()) {
            return "bool";
        }
        if (n.isArray()) {
            return "array";
        }
        return n.isObject() ? "object" : n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String goName(Type t) {
        Class<?> raw = raw(t);
        if (raw == String.class) {
            return "string";
        }
        if (raw == Long.class || raw == long.class) {
            return "int64";
        }
        if (raw == Integer.class || raw == int.class) {
            return "int32";
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return "bool";
        }
        if (raw == Double.class || raw == double.class || raw == Float.class || raw == float.class) {
            return "float64";
        }
        if (Collection.class.isAssignableFrom(raw)) {
            return "[]" + goName(argument(t, 0));
        }
        if (Map.class.isAssignableFrom(raw)) {
            return "map[string]" + goName(argument(t, 1));
        }
        if (raw == Object.class) {
            return "interface {}";
        }
        return raw.getPackageName().equals("io.kardia.core.model") ? "v1." + raw.getSimpleName() : raw.getSimpleName();
    }

    private static Class<?> raw(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        if (t instanceof WildcardType w && w.getUpperBounds().length > 0) {
            return raw(w.getUpperBounds()[0]);
        }
        return Object.class;
    }

    private static Type argument(Type t, int i) {
        if (t instanceof ParameterizedType p && p.getActualTypeArguments().length > i) {
            return p.getActualTypeArguments()[i];
        }
        return Object.class;
    }

    private static Field field(RecordComponent c) {
        try {
            return c.getDeclaringRecord().getDeclaredField(c.getName());
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
