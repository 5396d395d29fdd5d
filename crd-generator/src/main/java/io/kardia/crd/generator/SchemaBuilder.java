package io.kardia.crd.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.kardia.core.json.Json;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Derives the structural OpenAPI v3 schema of a CRD version from Java records at compile time:
 * types, {@code required}, {@code nullable}, enums, numeric/string/list/map constraints (jakarta
 * validation's, Kardia's {@code io.kardia.core.crd} annotations and controller-runtime's
 * {@code @Schema}), defaults, {@code x-kubernetes-*} extensions and CEL rules. Anything it cannot
 * express fails with the type and field named.
 */
final class SchemaBuilder {
    private static final String CRD = "io.kardia.core.crd.";
    private static final String RUNTIME_SCHEMA = "io.kardia.runtime.schema.Schema";
    private static final long UNSET = Long.MIN_VALUE;

    private final Elements elements;
    private final Types types;
    private final Deque<TypeElement> stack = new ArrayDeque<>();
    private final Set<TypeElement> records = new LinkedHashSet<>();
    /** Each CEL rule with the type or field it was declared on, to name it in build errors. */
    private final Map<String, String> ruleOrigins = new LinkedHashMap<>();

    SchemaBuilder(ProcessingEnvironment env) {
        this.elements = env.getElementUtils();
        this.types = env.getTypeUtils();
    }

    /** Every record the schemas reached (for the builders). */
    Set<TypeElement> records() {
        return records;
    }

    Map<String, String> ruleOrigins() {
        return ruleOrigins;
    }

    /** The schema of a record type: an object with its components as properties. */
    Map<String, Object> recordSchema(TypeElement record, Element where, String field) {
        if (stack.contains(record)) {
            throw new GenerationException(where, field + ": unbounded recursive type: " + name(record) + " contains itself"
                    + " (through " + String.join(" -> ", stack.stream().map(SchemaBuilder::name).toList()) + " -> "
                    + name(record) + "); a CRD schema cannot describe it. Break the cycle, or give the field an"
                    + " Object/Map<String, Object> type annotated with @PreserveUnknownFields");
        }
        stack.push(record);
        records.add(record);
        try {
            Map<String, Object> properties = new LinkedHashMap<>();
            List<String> required = new ArrayList<>();
            for (RecordComponentElement component : record.getRecordComponents()) {
                Annotations a = Annotations.of(elements, component);
                if (a.hasSimpleName("JsonAnySetter") || a.hasSimpleName("JsonAnyGetter")
                        || a.hasSimpleName("JsonIgnore")) {
                    continue;
                }
                String json = jsonName(component, a);
                properties.put(json, componentSchema(component, a, required, json));
            }
            Map<String, Object> schema = new LinkedHashMap<>();
            schema.put("type", "object");
            Annotations typeAnnotations = Annotations.of(elements, record);
            typeAnnotations.find(CRD + "Description").ifPresent(d -> schema.put("description", d.get("value")));
            if (!properties.isEmpty()) {
                schema.put("properties", properties);
            }
            if (!required.isEmpty()) {
                schema.put("required", required);
            }
            if (typeAnnotations.has(CRD + "PreserveUnknownFields")) {
                schema.put("x-kubernetes-preserve-unknown-fields", true);
            }
            rules(typeAnnotations, schema, name(record));
            return schema;
        } finally {
            stack.pop();
        }
    }

    private static String jsonName(RecordComponentElement component, Annotations a) {
        Optional<Map<String, Object>> renamed = a.find("com.fasterxml.jackson.annotation.JsonProperty");
        if (renamed.isPresent() && !String.valueOf(renamed.get().get("value")).isEmpty()) {
            return String.valueOf(renamed.get().get("value"));
        }
        return component.getSimpleName().toString();
    }

    private Map<String, Object> componentSchema(RecordComponentElement component, Annotations a, List<String> required,
                                                String json) {
        String field = name((TypeElement) component.getEnclosingElement()) + "." + component.getSimpleName();
        boolean preserve = a.has(CRD + "PreserveUnknownFields");
        Map<String, Object> schema = typeSchema(component.asType(), component, field, preserve);
        Constraints c = new Constraints(field, component);
        Optional<Map<String, Object>> legacy = a.find(RUNTIME_SCHEMA);
        if (a.has(CRD + "Required") || a.find(jakarta("NotNull")).isPresent() || a.find(jakarta("NotBlank")).isPresent()
                || a.find(jakarta("NotEmpty")).isPresent()
                || legacy.map(l -> Boolean.TRUE.equals(l.get("required"))).orElse(false)) {
            required.add(json);
        }
        if (a.hasSimpleName("Nullable")) {
            schema.put("nullable", true);
        }
        a.find(CRD + "Description").ifPresent(d -> c.put(schema, "description", d.get("value")));
        legacy.ifPresent(l -> {
            if (!String.valueOf(l.get("description")).isEmpty()) {
                c.put(schema, "description", l.get("description"));
            }
            if (!String.valueOf(l.get("defaultString")).isEmpty()) {
                c.put(schema, "default", l.get("defaultString"));
            }
            putIfSet(c, schema, "default", l.get("defaultInteger"));
            putIfSet(c, schema, "minimum", l.get("minimum"));
            putIfSet(c, schema, "maximum", l.get("maximum"));
            putIfSet(c, schema, lengthKeyword(schema, "min"), l.get("minLength"));
            putIfSet(c, schema, lengthKeyword(schema, "max"), l.get("maxLength"));
            putIfSet(c, schema, "maxProperties", l.get("maxProperties"));
            if (!String.valueOf(l.get("pattern")).isEmpty()) {
                c.put(schema, "pattern", l.get("pattern"));
            }
        });
        a.find(jakarta("Min")).ifPresent(m -> c.put(schema, "minimum", m.get("value")));
        a.find(jakarta("Max")).ifPresent(m -> c.put(schema, "maximum", m.get("value")));
        a.find(jakarta("DecimalMin")).ifPresent(m -> {
            c.put(schema, "minimum", decimal(m.get("value"), field));
            if (Boolean.FALSE.equals(m.get("inclusive"))) {
                c.put(schema, "exclusiveMinimum", true);
            }
        });
        a.find(jakarta("DecimalMax")).ifPresent(m -> {
            c.put(schema, "maximum", decimal(m.get("value"), field));
            if (Boolean.FALSE.equals(m.get("inclusive"))) {
                c.put(schema, "exclusiveMaximum", true);
            }
        });
        a.find(jakarta("Positive")).ifPresent(m -> {
            c.put(schema, "minimum", 0L);
            c.put(schema, "exclusiveMinimum", true);
        });
        a.find(jakarta("PositiveOrZero")).ifPresent(m -> c.put(schema, "minimum", 0L));
        a.find(jakarta("Negative")).ifPresent(m -> {
            c.put(schema, "maximum", 0L);
            c.put(schema, "exclusiveMaximum", true);
        });
        a.find(jakarta("NegativeOrZero")).ifPresent(m -> c.put(schema, "maximum", 0L));
        a.find(jakarta("Size")).ifPresent(m -> {
            int min = ((Number) m.get("min")).intValue();
            int max = ((Number) m.get("max")).intValue();
            if (min > 0) {
                c.put(schema, lengthKeyword(schema, "min"), (long) min);
            }
            if (max != Integer.MAX_VALUE) {
                c.put(schema, lengthKeyword(schema, "max"), (long) max);
            }
        });
        if (a.find(jakarta("NotBlank")).isPresent() || a.find(jakarta("NotEmpty")).isPresent()) {
            c.put(schema, lengthKeyword(schema, "min"), 1L);
        }
        a.find(jakarta("Pattern")).ifPresent(m -> c.put(schema, "pattern", m.get("regexp")));
        a.find(CRD + "Default").ifPresent(d -> c.put(schema, "default", defaultValue(schema, (String) d.get("value"), field,
                component)));
        a.find(CRD + "ListType").ifPresent(l -> {
            if (!"array".equals(schema.get("type"))) {
                throw new GenerationException(component, field + ": @ListType applies to lists, not to " + schema.get("type"));
            }
            String kind = (String) l.get("value");
            if (!Set.of("atomic", "set", "map").contains(kind)) {
                throw new GenerationException(component, field + ": @ListType(\"" + kind + "\") must be atomic, set or map");
            }
            schema.put("x-kubernetes-list-type", kind);
            List<?> keys = Annotations.list(l.get("keys"));
            if (kind.equals("map") == keys.isEmpty()) {
                throw new GenerationException(component, field + ": @ListType(\"map\") needs keys, and only map lists take them");
            }
            if (!keys.isEmpty()) {
                schema.put("x-kubernetes-list-map-keys", keys.stream().map(String::valueOf).toList());
            }
        });
        c.check(schema);
        rules(a, schema, field);
        return schema;
    }

    private static String jakarta(String simpleName) {
        return "jakarta.validation.constraints." + simpleName;
    }

    /** minLength/minItems/minProperties by the schema's type. */
    private static String lengthKeyword(Map<String, Object> schema, String minOrMax) {
        return minOrMax + switch (String.valueOf(schema.get("type"))) {
            case "array" -> "Items";
            case "object" -> "Properties";
            default -> "Length";
        };
    }

    private static void putIfSet(Constraints c, Map<String, Object> schema, String key, Object value) {
        if (value instanceof Long l && l != UNSET) {
            c.put(schema, key, l);
        }
    }

    private static Object decimal(Object value, String field) {
        try {
            return new java.math.BigDecimal(String.valueOf(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": not a number: " + value);
        }
    }

    private Object defaultValue(Map<String, Object> schema, String json, String field, Element where) {
        Object type = schema.get("type");
        Object value;
        try {
            value = Json.mapper().readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            if (!"string".equals(type)) {
                throw new GenerationException(where, field + ": @Default(\"" + json + "\") is not JSON");
            }
            value = json; // a bare word for a string field
        }
        if ("string".equals(type) && !(value instanceof String)) {
            value = json;
        }
        boolean fits = switch (String.valueOf(type)) {
            case "string" -> value instanceof String;
            case "integer" -> value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger;
            case "number" -> value instanceof Number;
            case "boolean" -> value instanceof Boolean;
            case "array" -> value instanceof List<?>;
            case "object" -> value instanceof Map<?, ?>;
            default -> true;
        };
        if (!fits) {
            throw new GenerationException(where, field + ": @Default(\"" + json + "\") is not a " + type);
        }
        if (schema.get("enum") instanceof List<?> allowed && !allowed.contains(value)) {
            throw new GenerationException(where, field + ": @Default(\"" + json + "\") is not one of " + allowed);
        }
        return value;
    }

    private void rules(Annotations a, Map<String, Object> schema, String origin) {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> v : a.all(CRD + "Validation", CRD + "Validation.List")) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("rule", v.get("rule"));
            for (String key : List.of("message", "messageExpression", "reason", "fieldPath")) {
                if (!String.valueOf(v.get(key)).isEmpty()) {
                    rule.put(key, v.get(key));
                }
            }
            rules.add(rule);
            ruleOrigins.putIfAbsent(String.valueOf(v.get("rule")), origin);
        }
        if (!rules.isEmpty()) {
            schema.put("x-kubernetes-validations", rules);
        }
    }

    /** The schema of a Java type (before the field's own constraints). */
    private Map<String, Object> typeSchema(TypeMirror type, Element where, String field, boolean preserve) {
        Map<String, Object> s = new LinkedHashMap<>();
        switch (type.getKind()) {
            case BOOLEAN -> s.put("type", "boolean");
            case INT, SHORT, BYTE -> format(s, "integer", "int32");
            case LONG -> format(s, "integer", "int64");
            case FLOAT -> format(s, "number", "float");
            case DOUBLE -> format(s, "number", "double");
            case CHAR -> s.put("type", "string");
            case ARRAY -> {
                TypeMirror item = ((ArrayType) type).getComponentType();
                if (item.getKind() == TypeKind.BYTE) {
                    format(s, "string", "byte");
                } else {
                    s.put("type", "array");
                    s.put("items", typeSchema(item, where, field + "[]", false));
                }
            }
            case DECLARED -> declared((DeclaredType) type, where, field, preserve, s);
            default -> throw unsupported(type, where, field);
        }
        if (preserve && !s.containsKey("x-kubernetes-preserve-unknown-fields")) {
            if (!"object".equals(s.get("type"))) {
                throw new GenerationException(where, field + ": @PreserveUnknownFields applies to objects, not to "
                        + s.get("type"));
            }
            s.put("x-kubernetes-preserve-unknown-fields", true);
        }
        return s;
    }

    private void declared(DeclaredType type, Element where, String field, boolean preserve, Map<String, Object> s) {
        TypeElement element = (TypeElement) type.asElement();
        String name = element.getQualifiedName().toString();
        switch (name) {
            case "java.lang.String", "java.lang.Character", "java.time.Duration" -> s.put("type", "string");
            case "java.lang.Boolean" -> s.put("type", "boolean");
            case "java.lang.Integer", "java.lang.Short", "java.lang.Byte" -> format(s, "integer", "int32");
            case "java.lang.Long" -> format(s, "integer", "int64");
            case "java.math.BigInteger" -> s.put("type", "integer");
            case "java.lang.Float" -> format(s, "number", "float");
            case "java.lang.Double" -> format(s, "number", "double");
            case "java.math.BigDecimal" -> s.put("type", "number");
            case "java.time.Instant", "java.time.OffsetDateTime", "java.time.ZonedDateTime" -> format(s, "string", "date-time");
            case "java.time.LocalDate" -> format(s, "string", "date");
            case "io.kardia.core.model.IntOrString" -> s.put("x-kubernetes-int-or-string", true);
            case "io.kardia.core.model.ObjectMeta" -> s.put("type", "object");
            case "java.lang.Object", "com.fasterxml.jackson.databind.JsonNode",
                 "com.fasterxml.jackson.databind.node.ObjectNode" -> {
                requirePreserve(preserve, where, field, name);
                if (!name.equals("java.lang.Object") && !name.endsWith("JsonNode")) {
                    s.put("type", "object");
                }
                s.put("x-kubernetes-preserve-unknown-fields", true);
            }
            default -> {
                if (element.getKind() == ElementKind.ENUM) {
                    s.put("type", "string");
                    s.put("enum", element.getEnclosedElements().stream()
                            .filter(e -> e.getKind() == ElementKind.ENUM_CONSTANT)
                            .map(e -> e.getSimpleName().toString()).toList());
                } else if (element.getKind() == ElementKind.RECORD) {
                    s.putAll(recordSchema(element, where, field));
                } else if (isA(type, "java.util.Map")) {
                    List<? extends TypeMirror> args = mapArguments(type);
                    if (args.isEmpty() || !isA(args.get(0), "java.lang.String")) {
                        throw new GenerationException(where, field + ": " + type + " has keys that are not Strings;"
                                + " JSON object keys are strings, use Map<String, V>");
                    }
                    s.put("type", "object");
                    if (args.get(1).getKind() == TypeKind.WILDCARD || (args.get(1) instanceof DeclaredType d
                            && ((TypeElement) d.asElement()).getQualifiedName().contentEquals("java.lang.Object"))) {
                        requirePreserve(preserve, where, field, type.toString());
                        s.put("x-kubernetes-preserve-unknown-fields", true);
                    } else {
                        s.put("additionalProperties", typeSchema(args.get(1), where, field + "{}", false));
                    }
                } else if (isA(type, "java.util.Collection")) {
                    List<? extends TypeMirror> args = type.getTypeArguments();
                    if (args.size() != 1) {
                        throw unsupported(type, where, field);
                    }
                    s.put("type", "array");
                    Map<String, Object> items = typeSchema(args.get(0), where, field + "[]", false);
                    s.put("items", items);
                    if (isA(type, "java.util.Set")) {
                        if ("object".equals(items.get("type")) || "array".equals(items.get("type"))) {
                            throw new GenerationException(where, field + ": a Set of " + items.get("type") + "s cannot"
                                    + " be a set list (its items must be scalars); use a List with"
                                    + " @ListType(value = \"map\", keys = ...)");
                        }
                        s.put("x-kubernetes-list-type", "set");
                    }
                } else {
                    throw unsupported(type, where, field);
                }
            }
        }
    }

    private static void requirePreserve(boolean preserve, Element where, String field, String type) {
        if (!preserve) {
            throw new GenerationException(where, field + ": " + type + " is free-form; annotate the field with"
                    + " @PreserveUnknownFields so the API server keeps its content, or give it a record type");
        }
    }

    /** The type arguments of a Map, resolved through subtypes (e.g. a TreeMap field). */
    private List<? extends TypeMirror> mapArguments(DeclaredType type) {
        TypeElement map = elements.getTypeElement("java.util.Map");
        for (TypeMirror t = type; t != null; ) {
            if (t instanceof DeclaredType d && ((TypeElement) d.asElement()).equals(map)) {
                return d.getTypeArguments();
            }
            List<? extends TypeMirror> supers = types.directSupertypes(t);
            t = supers.stream().filter(x -> isA(x, "java.util.Map")).findFirst().orElse(null);
        }
        return List.of();
    }

    private boolean isA(TypeMirror type, String qualifiedName) {
        TypeElement target = elements.getTypeElement(qualifiedName);
        return target != null && types.isAssignable(types.erasure(type), types.erasure(target.asType()));
    }

    private static GenerationException unsupported(TypeMirror type, Element where, String field) {
        return new GenerationException(where, field + ": no CRD schema for type " + type + " (supported: records, enums,"
                + " String, boolean, int, long, float, double and their boxes, BigDecimal, BigInteger, Instant,"
                + " OffsetDateTime, LocalDate, Duration, IntOrString, List/Set/Collection<X>, Map<String, X>, byte[],"
                + " and Object/JsonNode/Map<String, Object> with @PreserveUnknownFields)");
    }

    private static void format(Map<String, Object> s, String type, String format) {
        s.put("type", type);
        s.put("format", format);
    }

    /** {@code Outer.Inner}: the type's name without its package. */
    static String name(TypeElement type) {
        StringBuilder out = new StringBuilder(type.getSimpleName());
        for (Element e = type.getEnclosingElement(); e instanceof TypeElement outer; e = outer.getEnclosingElement()) {
            out.insert(0, outer.getSimpleName() + ".");
        }
        return out.toString();
    }

    /** Keyword values from several annotations on one field, checked for conflicts and for the field's type. */
    private static final class Constraints {
        private final String field;
        private final Element where;

        Constraints(String field, Element where) {
            this.field = field;
            this.where = where;
        }

        void put(Map<String, Object> schema, String key, Object value) {
            Object previous = schema.get(key);
            if (previous != null && !same(previous, value) && !"description".equals(key)) {
                throw new GenerationException(where, field + ": conflicting constraints: " + key + " is both "
                        + previous + " and " + value);
            }
            schema.put(key, value);
        }

        private static boolean same(Object a, Object b) {
            if (a instanceof Number x && b instanceof Number y) {
                return new java.math.BigDecimal(x.toString()).compareTo(new java.math.BigDecimal(y.toString())) == 0;
            }
            return a.equals(b);
        }

        void check(Map<String, Object> s) {
            String type = String.valueOf(s.get("type"));
            boolean numeric = type.equals("integer") || type.equals("number");
            for (String k : List.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")) {
                if (s.containsKey(k) && !numeric) {
                    throw new GenerationException(where, field + ": " + k + " applies to numbers, not to " + type);
                }
            }
            for (String k : List.of("minLength", "maxLength", "pattern")) {
                if (s.containsKey(k) && !type.equals("string")) {
                    throw new GenerationException(where, field + ": " + k + " applies to strings, not to " + type);
                }
            }
            range(s, "minimum", "maximum");
            range(s, "minLength", "maxLength");
            range(s, "minItems", "maxItems");
            range(s, "minProperties", "maxProperties");
            if (s.get("pattern") instanceof String p) {
                try {
                    Pattern.compile(p);
                } catch (PatternSyntaxException e) {
                    throw new GenerationException(where, field + ": pattern " + p + " is not a regular expression: "
                            + e.getDescription());
                }
            }
            if (s.get("default") instanceof Number d && s.get("minimum") instanceof Number min
                    && new java.math.BigDecimal(d.toString()).compareTo(new java.math.BigDecimal(min.toString())) < 0) {
                throw new GenerationException(where, field + ": conflicting constraints: default " + d + " is below minimum " + min);
            }
            if (s.get("default") instanceof Number d && s.get("maximum") instanceof Number max
                    && new java.math.BigDecimal(d.toString()).compareTo(new java.math.BigDecimal(max.toString())) > 0) {
                throw new GenerationException(where, field + ": conflicting constraints: default " + d + " is above maximum " + max);
            }
        }

        private void range(Map<String, Object> s, String min, String max) {
            if (s.get(min) instanceof Number lo && s.get(max) instanceof Number hi
                    && new java.math.BigDecimal(lo.toString()).compareTo(new java.math.BigDecimal(hi.toString())) > 0) {
                throw new GenerationException(where, field + ": conflicting constraints: " + min + " " + lo
                        + " is greater than " + max + " " + hi);
            }
        }
    }
}
