package io.kardia.operators.examples.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks a value against the subset of OpenAPI v3 that {@link SchemaGenerator} emits: type
 * (object, array, string, integer, number, boolean), format int32, properties, required,
 * additionalProperties, items, enum, minimum, maximum, minLength, maxLength, maxProperties and
 * pattern. Fields the schema does not declare are ignored, as kube-apiserver prunes them.
 * Messages follow kube-apiserver's {@code path: Invalid value: ...} wording.
 *
 * <p>The reference store (like kube-apiserver) refuses writes that break the CRD's schema; this
 * check remains for sites stored before the schema tightened. It is not a general OpenAPI validator.
 */
public final class SchemaValidator {
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    private final JsonNode schema;

    private SchemaValidator(JsonNode schema) {
        this.schema = schema;
    }

    /** A validator for a schema given as a JSON-like tree (e.g. a CRD's {@code openAPIV3Schema}). */
    public static SchemaValidator of(Map<String, Object> schema) {
        return new SchemaValidator(Json.mapper().valueToTree(schema));
    }

    /** Every violation in {@code value}, whose location is {@code path} (e.g. {@code spec}); empty when valid. */
    public List<String> validate(String path, Object value) {
        JsonNode node = value instanceof JsonNode n ? n : Json.mapper().valueToTree(value);
        List<String> errors = new ArrayList<>();
        check(path, node, schema, errors);
        return List.copyOf(errors);
    }

    private static void check(String path, JsonNode value, JsonNode schema, List<String> errors) {
        if (value == null || value.isMissingNode()) {
            return;
        }
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false)) {
                errors.add(path + ": Invalid value: \"null\": " + path + " in body must be of type "
                        + schema.path("type").asText("any"));
            }
            return;
        }
        String type = schema.path("type").asText("");
        if (!type.isEmpty() && !hasType(value, type, schema.path("format").asText(""))) {
            errors.add(path + ": Invalid value: \"" + kindOf(value) + "\": " + path + " in body must be of type "
                    + type + (schema.has("format") && type.equals("integer") ? " (" + schema.get("format").asText() + ")" : ""));
            return;
        }
        checkEnum(path, value, schema, errors);
        if (value.isNumber()) {
            checkBounds(path, value, schema, errors);
        } else if (value.isTextual()) {
            checkString(path, value.asText(), schema, errors);
        } else if (value.isObject()) {
            checkObject(path, value, schema, errors);
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(path + "[" + i + "]", value.get(i), schema.get("items"), errors);
            }
        }
    }

    private static boolean hasType(JsonNode value, String type, String format) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "boolean" -> value.isBoolean();
            case "number" -> value.isNumber();
            case "integer" -> value.isIntegralNumber() && (!format.equals("int32") || value.canConvertToInt())
                    || value.isFloatingPointNumber() && value.asDouble() == Math.rint(value.asDouble())
                    && (!format.equals("int32") || value.canConvertToInt());
            default -> true;
        };
    }

    private static String kindOf(JsonNode value) {
        if (value.isObject()) {
            return "object";
        }
        if (value.isArray()) {
            return "array";
        }
        return value.asText();
    }

    private static void checkEnum(String path, JsonNode value, JsonNode schema, List<String> errors) {
        JsonNode allowed = schema.get("enum");
        if (allowed == null) {
            return;
        }
        for (JsonNode a : allowed) {
            if (a.equals(value) || a.isTextual() && value.isTextual() && a.asText().equals(value.asText())) {
                return;
            }
        }
        errors.add(path + ": Unsupported value: \"" + value.asText() + "\": supported values: " + allowed);
    }

    private static void checkBounds(String path, JsonNode value, JsonNode schema, List<String> errors) {
        if (schema.has("minimum") && value.decimalValue().compareTo(schema.get("minimum").decimalValue()) < 0) {
            errors.add(path + ": Invalid value: " + value + ": " + path + " in body should be greater than or equal to "
                    + schema.get("minimum"));
        }
        if (schema.has("maximum") && value.decimalValue().compareTo(schema.get("maximum").decimalValue()) > 0) {
            errors.add(path + ": Invalid value: " + value + ": " + path + " in body should be less than or equal to "
                    + schema.get("maximum"));
        }
    }

    private static void checkString(String path, String s, JsonNode schema, List<String> errors) {
        int length = s.codePointCount(0, s.length());
        if (schema.has("minLength") && length < schema.get("minLength").asLong()) {
            errors.add(path + ": Invalid value: \"" + s + "\": " + path + " in body should be at least "
                    + schema.get("minLength") + " chars long");
        }
        if (schema.has("maxLength") && length > schema.get("maxLength").asLong()) {
            errors.add(path + ": Too long: may not be longer than " + schema.get("maxLength"));
        }
        if (schema.has("pattern")) {
            String regex = schema.get("pattern").asText();
            if (!pattern(regex).matcher(s).find()) {
                errors.add(path + ": Invalid value: \"" + s + "\": " + path + " in body should match '" + regex + "'");
            }
        }
    }

    private static void checkObject(String path, JsonNode value, JsonNode schema, List<String> errors) {
        for (JsonNode name : schema.path("required")) {
            if (!value.has(name.asText()) || value.get(name.asText()).isNull()) {
                errors.add(path + "." + name.asText() + ": Required value");
            }
        }
        if (schema.has("maxProperties") && value.size() > schema.get("maxProperties").asLong()) {
            errors.add(path + ": Too many: " + value.size() + ": must have at most " + schema.get("maxProperties")
                    + " items");
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String child = path + "." + field.getKey();
            if (properties.has(field.getKey())) {
                check(child, field.getValue(), properties.get(field.getKey()), errors);
            } else if (additional != null && additional.isObject()) {
                check(path + "[" + field.getKey() + "]", field.getValue(), additional, errors);
            }
        }
    }

    private static Pattern pattern(String regex) {
        return PATTERNS.computeIfAbsent(regex, r -> {
            try {
                return Pattern.compile(r);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("the schema's pattern '" + r + "' is not a valid regular expression", e);
            }
        });
    }
}
