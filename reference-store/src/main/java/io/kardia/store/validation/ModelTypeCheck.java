package io.kardia.store.validation;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.kardia.core.json.CodecException;
import io.kardia.core.json.Json;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Checks a JSON object against the typed model core decodes it to (ConfigMap, Pod, ObjectMeta of
 * every kind...), strictly, as kube-apiserver's decoder does: a string where a string is declared,
 * an integer where an integer is, an object for a map or a struct, an array for a list. Values of
 * types with their own decoder (timestamps, quantities, int-or-string) are decoded by it. Fields
 * the model does not declare are accepted (the model keeps them). So the store never stores an
 * object its own clients and informers cannot decode.
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
        return check(tree, model, model.getSimpleName(), "");
    }

    private static String check(JsonNode n, Type type, String struct, String path) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null; // null decodes to the zero value, as in Go
        }
        Class<?> raw = raw(type);
        if (raw == Object.class || JsonNode.class.isAssignableFrom(raw)) {
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
            for (JsonNode e : n) {
                String m = check(e, element, struct, path);
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
            for (JsonNode v : n) {
                String m = check(v, value, struct, path);
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
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Type t = fields.get(e.getKey());
                if (t != null) {
                    String m = check(e.getValue(), t, raw.getSimpleName(), path + "." + e.getKey());
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
