package io.kardia.runtime.schema;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Derives a structural OpenAPI v3 schema (the CRD's {@code openAPIV3Schema} dialect) from Java
 * records, so a custom resource's Java class and its CRD cannot drift apart. Supports records,
 * String, int/Integer, long/Long, boolean/Boolean, Instant, enums, {@code List<X>} and
 * {@code Map<String, X>}; the {@link JsonAnyGetter} component (unknown fields) is left out.
 */
public final class SchemaGenerator {

    private SchemaGenerator() {
    }

    /** The object schema of a record class, components in declaration order. */
    public static Map<String, Object> objectSchema(Class<? extends Record> type) {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (RecordComponent component : type.getRecordComponents()) {
            if (component.getAccessor().isAnnotationPresent(JsonAnyGetter.class)
                    || component.getAccessor().isAnnotationPresent(JsonIgnore.class)) {
                continue;
            }
            Map<String, Object> schema = schemaOf(component.getGenericType(), type.getName() + "." + component.getName());
            Schema constraints = component.getAnnotation(Schema.class);
            if (constraints != null) {
                apply(constraints, schema);
                if (constraints.required()) {
                    required.add(component.getName());
                }
            }
            properties.put(component.getName(), schema);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "object");
        out.put("properties", properties);
        if (!required.isEmpty()) {
            out.put("required", required);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> schemaOf(Type type, String where) {
        if (type instanceof Class<?> c) {
            if (c == String.class) {
                return typed("string");
            }
            if (c == Integer.class || c == int.class) {
                return withFormat("integer", "int32");
            }
            if (c == Long.class || c == long.class) {
                return withFormat("integer", "int64");
            }
            if (c == Boolean.class || c == boolean.class) {
                return typed("boolean");
            }
            if (c == Instant.class) {
                return withFormat("string", "date-time");
            }
            if (c.isEnum()) {
                Map<String, Object> s = typed("string");
                s.put("enum", Arrays.stream(c.getEnumConstants()).map(e -> ((Enum<?>) e).name()).toList());
                return s;
            }
            if (c.isRecord()) {
                return objectSchema((Class<? extends Record>) c);
            }
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
            Type[] args = p.getActualTypeArguments();
            if (List.class.isAssignableFrom(raw)) {
                Map<String, Object> s = typed("array");
                s.put("items", schemaOf(args[0], where + "[]"));
                return s;
            }
            if (Map.class.isAssignableFrom(raw) && args[0] == String.class) {
                Map<String, Object> s = typed("object");
                s.put("additionalProperties", schemaOf(args[1], where + "{}"));
                return s;
            }
        }
        throw new IllegalArgumentException("no OpenAPI schema for " + type.getTypeName() + " at " + where
                + " (supported: records, String, Integer, Long, Boolean, Instant, enums, List<X>, Map<String, X>)");
    }

    private static void apply(Schema c, Map<String, Object> schema) {
        if (!c.description().isEmpty()) {
            schema.put("description", c.description());
        }
        if (!c.defaultString().isEmpty()) {
            schema.put("default", c.defaultString());
        }
        putIfSet(schema, "default", c.defaultInteger());
        putIfSet(schema, "minimum", c.minimum());
        putIfSet(schema, "maximum", c.maximum());
        putIfSet(schema, "minLength", c.minLength());
        putIfSet(schema, "maxLength", c.maxLength());
        putIfSet(schema, "maxProperties", c.maxProperties());
        if (!c.pattern().isEmpty()) {
            schema.put("pattern", c.pattern());
        }
    }

    private static void putIfSet(Map<String, Object> schema, String key, long value) {
        if (value != Schema.UNSET) {
            schema.put(key, value);
        }
    }

    private static Map<String, Object> typed(String type) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", type);
        return s;
    }

    private static Map<String, Object> withFormat(String type, String format) {
        Map<String, Object> s = typed(type);
        s.put("format", format);
        return s;
    }
}
