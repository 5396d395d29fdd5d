package io.kardia.store.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.common.primitives.UnsignedLong;
import com.google.protobuf.ByteString;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.common.values.CelValueProvider;
import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelFunctionBinding;
import io.kardia.store.cel.KubeCel;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The CEL environment of MutatingAdmissionPolicy expressions, as kube-apiserver declares it: the
 * admission variables, object initialisers typed {@code Object}, {@code Object.spec},
 * {@code Object.spec.template} ... with any field (kube's unstructured object types), the
 * {@code JSONPatch{op, path, from, value}} type and {@code jsonpatch.escapeKey}. Initialisers
 * evaluate to {@link TypedObject}s, plain maps that remember their type name so that
 * {@link #typeNameErrors} can check the names follow the field path, as kube checks them.
 */
final class MutationCel {
    static final String OBJECT = "Object";
    static final String JSON_PATCH = "JSONPatch";

    /** Parses expressions, to find the fields their initialisers set. */
    private static final KubeCel PARSER = env(Map.of());

    private MutationCel() {
    }

    /** A value made by an {@code Object...{}} or {@code JSONPatch{}} initialiser: its fields, and its type's name. */
    static final class TypedObject extends LinkedHashMap<String, Object> {
        final String typeName;

        TypedObject(String typeName, Map<String, Object> fields) {
            super(fields);
            this.typeName = typeName;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TypedObject t && t.typeName.equals(typeName) && super.equals(o);
        }

        @Override
        public int hashCode() {
            return super.hashCode() * 31 + typeName.hashCode();
        }
    }

    private static KubeCel env(Map<String, Set<String>> initialisedFields) {
        return KubeCel.of(variables(), new Types(initialisedFields), MutationCel::newValue, functions(), bindings());
    }

    /**
     * Compiles {@code expression}. cel-java's struct types declare their field names, so the
     * environment is made for the expression: each {@code Object...} initialiser type declares the
     * fields the expression sets on it (kube's unstructured object types allow any field).
     */
    static KubeCel.Compiled compile(String expression, PolicyEnvironment policy) {
        Map<String, Set<String>> fields = new HashMap<>();
        PARSER.parse(expression).ifPresent(ast -> collect(ast.getExpr(), fields));
        return KubeCel.of(policy.declarations(), io.kardia.store.cel.CombinedCelTypes.of(new Types(fields), policy.types()),
                MutationCel::newValue, functions(), bindings()).compile(expression, null, null);
    }

    private static void collect(CelExpr e, Map<String, Set<String>> out) {
        switch (e.getKind()) {
            case STRUCT -> {
                String name = e.struct().messageName().startsWith(".") ? e.struct().messageName().substring(1) : e.struct().messageName();
                Set<String> names = out.computeIfAbsent(name, k -> new HashSet<>());
                for (CelExpr.CelStruct.Entry entry : e.struct().entries()) {
                    names.add(entry.fieldKey());
                    collect(entry.value(), out);
                }
            }
            case SELECT -> collect(e.select().operand(), out);
            case CALL -> {
                e.call().target().ifPresent(t -> collect(t, out));
                e.call().args().forEach(a -> collect(a, out));
            }
            case LIST -> e.list().elements().forEach(x -> collect(x, out));
            case MAP -> e.map().entries().forEach(x -> {
                collect(x.key(), out);
                collect(x.value(), out);
            });
            case COMPREHENSION -> {
                CelExpr.CelComprehension c = e.comprehension();
                for (CelExpr x : List.of(c.iterRange(), c.accuInit(), c.loopCondition(), c.loopStep(), c.result())) {
                    collect(x, out);
                }
            }
            default -> { }
        }
    }

    private static Map<String, CelType> variables() {
        Map<String, CelType> v = new LinkedHashMap<>();
        for (String n : List.of("object", "oldObject", "request", "params", "namespaceObject")) {
            v.put(n, SimpleType.DYN);
        }
        v.put("variables", MapType.create(SimpleType.STRING, SimpleType.DYN));
        v.putAll(io.kardia.store.cel.AuthorizerLibrary.variables());
        return v;
    }

    /** {@code Object} and every {@code Object.<path>} take the fields the expression sets (dyn); {@code JSONPatch} has its four. */
    private static final class Types implements CelTypeProvider {
        private final Map<String, Set<String>> fields;

        Types(Map<String, Set<String>> fields) {
            this.fields = fields;
        }

        private static final StructType PATCH = StructType.create(JSON_PATCH, ImmutableSet.of("op", "path", "from", "value"),
                f -> switch (f) {
                    case "op", "path", "from" -> Optional.of(SimpleType.STRING);
                    case "value" -> Optional.of(SimpleType.DYN);
                    default -> Optional.empty();
                });

        @Override
        public ImmutableList<CelType> types() {
            return ImmutableList.of(PATCH, objectType(OBJECT));
        }

        @Override
        public Optional<CelType> findType(String name) {
            if (name.equals(JSON_PATCH)) {
                return Optional.of(PATCH);
            }
            if (name.equals(OBJECT) || name.startsWith(OBJECT + ".")) {
                return Optional.of(objectType(name));
            }
            return Optional.empty();
        }

        private StructType objectType(String name) {
            return StructType.create(name, ImmutableSet.copyOf(fields.getOrDefault(name, Set.of())), f -> Optional.of(SimpleType.DYN));
        }
    }

    private static Optional<Object> newValue(String typeName, Map<String, Object> fields) {
        if (typeName.equals(JSON_PATCH) || typeName.equals(OBJECT) || typeName.startsWith(OBJECT + ".")) {
            return Optional.of(new TypedObject(typeName, fields));
        }
        return Optional.empty();
    }

    private static List<CelFunctionDecl> functions() {
        return List.of(CelFunctionDecl.newFunctionDeclaration("jsonpatch.escapeKey",
                CelOverloadDecl.newGlobalOverload("jsonpatch_escape_key_string", SimpleType.STRING, SimpleType.STRING)));
    }

    private static List<CelFunctionBinding> bindings() {
        // RFC 6901: '~' becomes '~0' first, then '/' becomes '~1'
        return List.of(CelFunctionBinding.from("jsonpatch_escape_key_string", String.class,
                (String k) -> k.replace("~", "~0").replace("/", "~1")));
    }

    /** True when {@code type} (an expression's result type) is the root {@code Object} type. */
    static boolean isObjectType(CelType type) {
        return type instanceof StructType s && s.name().equals(OBJECT);
    }

    /** True when {@code type} is {@code list(JSONPatch)}. */
    static boolean isPatchListType(CelType type) {
        return type instanceof ListType l && l.elemType() instanceof StructType s && s.name().equals(JSON_PATCH);
    }

    /**
     * kube's CheckTypeNamesMatchFieldPathNames: every initialiser below field {@code f} of an
     * initialiser named {@code N} must be named {@code N.f} (lists and maps in between add nothing).
     */
    static List<String> typeNameErrors(Object value, String expected) {
        List<String> errors = new ArrayList<>();
        check(value, expected, errors);
        return errors;
    }

    private static void check(Object value, String expected, List<String> errors) {
        if (value instanceof TypedObject t) {
            if (!t.typeName.equals(expected)) {
                errors.add("unexpected type name \"" + t.typeName + "\", expected \"" + expected
                        + "\", which matches field name path from root Object type");
            }
            t.forEach((k, v) -> check(v, expected + "." + k, errors));
        } else if (value instanceof Map<?, ?> m) {
            m.values().forEach(v -> check(v, expected, errors));
        } else if (value instanceof Collection<?> c) {
            c.forEach(v -> check(v, expected, errors));
        }
    }

    /** A CEL value as JSON; what has no JSON form (a type, an opaque value) is an error naming it. */
    static JsonNode toJson(Object v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v == null || v instanceof NullValue) {
            return f.nullNode();
        }
        if (v instanceof Optional<?> o) {
            return o.isPresent() ? toJson(o.get()) : f.nullNode();
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode out = f.objectNode();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String k)) {
                    throw new IllegalArgumentException("map key " + e.getKey() + " is not a string");
                }
                out.set(k, toJson(e.getValue()));
            }
            return out;
        }
        if (v instanceof Collection<?> c) {
            ArrayNode out = f.arrayNode();
            c.forEach(e -> out.add(toJson(e)));
            return out;
        }
        return switch (v) {
            case String s -> f.textNode(s);
            case Boolean b -> f.booleanNode(b);
            case Long l -> f.numberNode(l);
            case Integer i -> f.numberNode(i.longValue());
            case Double d -> f.numberNode(d);
            case UnsignedLong u -> f.numberNode(u.bigIntegerValue());
            case ByteString b -> f.textNode(Base64.getEncoder().encodeToString(b.toByteArray()));
            default -> throw new IllegalArgumentException("a value of type " + v.getClass().getSimpleName() + " has no JSON form");
        };
    }
}
