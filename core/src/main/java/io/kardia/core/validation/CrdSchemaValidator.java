package io.kardia.core.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks a JSON value against a CRD's structural OpenAPI v3 schema, wording each violation as
 * kube-apiserver does ({@code spec.replicas: Invalid value: 50: spec.replicas in body should be
 * less than or equal to 10}). Supports type, nullable, x-kubernetes-int-or-string, properties,
 * required, additionalProperties, items, enum, minimum/maximum (and exclusive), minLength/maxLength,
 * pattern, minItems/maxItems, minProperties/maxProperties. Unknown fields are not errors: the
 * store prunes them first ({@link SchemaPruner}). Other keywords (allOf/anyOf/oneOf/not, format,
 * uniqueItems, CEL rules) are ignored.
 */
public final class CrdSchemaValidator {
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    private CrdSchemaValidator() {
    }

    /** Adds a cause for every violation in {@code value}, found at {@code path} (e.g. {@code spec}). */
    public static void validate(String path, JsonNode value, JsonNode schema, Causes c) {
        if (value == null || value.isMissingNode() || schema == null || !schema.isObject()) {
            return;
        }
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false) && isTyped(schema)) {
                typeError(path, "null", expectedType(schema), c);
            }
            return;
        }
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            if (!value.isTextual() && !isInteger(value)) {
                typeError(path, typeName(value), "integer or string", c);
                return;
            }
        } else {
            String type = schema.path("type").asText("");
            if (!type.isEmpty() && !hasType(value, type)) {
                typeError(path, typeName(value), type, c);
                return;
            }
        }
        checkEnum(path, value, schema, c);
        if (value.isNumber()) {
            checkBounds(path, value, schema, c);
        } else if (value.isTextual()) {
            checkString(path, value.asText(), schema, c);
        } else if (value.isObject()) {
            checkObject(path, value, schema, c);
        } else if (value.isArray()) {
            checkArray(path, value, schema, c);
        }
    }

    private static boolean isTyped(JsonNode schema) {
        return schema.hasNonNull("type") || schema.path("x-kubernetes-int-or-string").asBoolean(false);
    }

    private static String expectedType(JsonNode schema) {
        return schema.path("x-kubernetes-int-or-string").asBoolean(false) ? "integer or string" : schema.path("type").asText();
    }

    private static void typeError(String path, String actual, String expected, Causes c) {
        c.invalid(path, actual, path + " in body must be of type " + expected + ": \"" + actual + "\"");
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "boolean" -> value.isBoolean();
            case "number" -> value.isNumber();
            case "integer" -> isInteger(value);
            default -> true;
        };
    }

    // As kube-openapi: a JSON number with an integral value (e.g. 3.0) is an integer.
    private static boolean isInteger(JsonNode value) {
        return value.isIntegralNumber()
                || value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0;
    }

    private static String typeName(JsonNode value) {
        if (value.isObject()) {
            return "object";
        }
        if (value.isArray()) {
            return "array";
        }
        if (value.isTextual()) {
            return "string";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        return isInteger(value) ? "integer" : "number";
    }

    private static void checkEnum(String path, JsonNode value, JsonNode schema, Causes c) {
        JsonNode allowed = schema.get("enum");
        if (allowed == null || !allowed.isArray()) {
            return;
        }
        List<String> supported = new ArrayList<>();
        for (JsonNode a : allowed) {
            if (a.equals(value) || a.isNumber() && value.isNumber() && a.decimalValue().compareTo(value.decimalValue()) == 0) {
                return;
            }
            supported.add(a.isTextual() ? a.asText() : a.toString());
        }
        c.notSupported(path, value, supported);
    }

    private static void checkBounds(String path, JsonNode value, JsonNode schema, Causes c) {
        JsonNode min = schema.get("minimum");
        if (min != null && min.isNumber()) {
            boolean exclusive = schema.path("exclusiveMinimum").asBoolean(false);
            int cmp = value.decimalValue().compareTo(min.decimalValue());
            if (cmp < 0 || exclusive && cmp == 0) {
                c.invalid(path, value, path + " in body should be greater than " + (exclusive ? "" : "or equal to ") + min);
            }
        }
        JsonNode max = schema.get("maximum");
        if (max != null && max.isNumber()) {
            boolean exclusive = schema.path("exclusiveMaximum").asBoolean(false);
            int cmp = value.decimalValue().compareTo(max.decimalValue());
            if (cmp > 0 || exclusive && cmp == 0) {
                c.invalid(path, value, path + " in body should be less than " + (exclusive ? "" : "or equal to ") + max);
            }
        }
    }

    private static void checkString(String path, String s, JsonNode schema, Causes c) {
        int length = s.codePointCount(0, s.length());
        if (schema.has("minLength") && length < schema.get("minLength").asLong()) {
            c.invalid(path, s, path + " in body should be at least " + schema.get("minLength").asLong() + " chars long");
        }
        if (schema.has("maxLength") && length > schema.get("maxLength").asLong()) {
            c.tooLong(path, "may not be longer than " + schema.get("maxLength").asLong());
        }
        if (schema.hasNonNull("pattern")) {
            String regex = schema.get("pattern").asText();
            Pattern p = pattern(regex);
            if (p == null) {
                c.invalid(path, s, path + " in body has an invalid pattern in its schema: '" + regex + "'");
            } else if (!p.matcher(s).find()) {
                c.invalid(path, s, path + " in body should match '" + regex + "'");
            }
        }
    }

    private static void checkArray(String path, JsonNode value, JsonNode schema, Causes c) {
        if (schema.has("minItems") && value.size() < schema.get("minItems").asLong()) {
            c.invalid(path, value.size(), path + " in body should have at least " + schema.get("minItems").asLong() + " items");
        }
        if (schema.has("maxItems") && value.size() > schema.get("maxItems").asLong()) {
            c.tooMany(path, value.size(), schema.get("maxItems").asLong());
        }
        JsonNode items = schema.get("items");
        if (items != null) {
            for (int i = 0; i < value.size(); i++) {
                validate(path + "[" + i + "]", value.get(i), items, c);
            }
        }
    }

    private static void checkObject(String path, JsonNode value, JsonNode schema, Causes c) {
        for (JsonNode name : schema.path("required")) {
            JsonNode field = value.get(name.asText());
            if (field == null || field.isNull()) {
                c.required(child(path, name.asText()), null);
            }
        }
        if (schema.has("minProperties") && value.size() < schema.get("minProperties").asLong()) {
            c.invalid(path, value.size(), path + " in body should have at least " + schema.get("minProperties").asLong()
                    + " properties");
        }
        if (schema.has("maxProperties") && value.size() > schema.get("maxProperties").asLong()) {
            c.tooMany(path, value.size(), schema.get("maxProperties").asLong());
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (properties.has(field.getKey())) {
                validate(child(path, field.getKey()), field.getValue(), properties.get(field.getKey()), c);
            } else if (additional != null && additional.isObject()) {
                validate(path + "[" + field.getKey() + "]", field.getValue(), additional, c);
            }
        }
    }

    static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** @return the compiled pattern, or null when the schema's pattern is not a valid regular expression */
    private static Pattern pattern(String regex) {
        Pattern p = PATTERNS.get(regex);
        if (p != null) {
            return p;
        }
        try {
            p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            return null;
        }
        if (PATTERNS.size() < 4096) {
            PATTERNS.put(regex, p);
        }
        return p;
    }
}
