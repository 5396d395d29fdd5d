package io.kardia.store.cel;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CEL types of a structural schema, as kube-apiserver declares them for {@code self}: an object
 * with properties is a struct (its properties escaped as CEL identifiers: {@code foo-bar} is
 * {@code foo__dash__bar}), an object with additionalProperties a {@code map(string, V)}, arrays
 * lists, int-or-string and schemaless fields {@code dyn}. At the root, {@code apiVersion},
 * {@code kind} and {@code metadata.name} / {@code metadata.generateName} are visible, nothing else
 * of metadata. Also converts JSON values to the CEL values of those types.
 */
public final class SchemaCelTypes implements CelTypeProvider {
    private static final Set<String> RESERVED = Set.of("true", "false", "null", "in", "as", "break", "const", "continue",
            "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while");
    private static final Pattern EXPAND = Pattern.compile("(__|[-./]|[^a-zA-Z0-9-./_])");
    private static final JsonNode EMPTY = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();

    private final Map<String, StructType> structs = new LinkedHashMap<>();
    /** By schema node (identity): each node's type is made once, so every rule sees the same struct types. */
    private final Map<JsonNode, CelType> bySchema = new IdentityHashMap<>();
    /** The type of {@code metadata} at the root; null: only name and generateName (CRD rules). */
    private final CelType rootMetadata;

    SchemaCelTypes() {
        this(null);
    }

    private SchemaCelTypes(CelType rootMetadata) {
        this.rootMetadata = rootMetadata;
    }

    /**
     * The types of a custom resource's objects as its published OpenAPI has them (what
     * kube-apiserver's policy type checker reads): {@code metadata} is the whole ObjectMeta.
     */
    public static Rooted forPublishedSchema(JsonNode openApiV3Schema, CelType objectMeta) {
        SchemaCelTypes t = new SchemaCelTypes(objectMeta);
        return new Rooted(t.typeOf(openApiV3Schema, true), t);
    }

    /** The type of a schema's root values, and the provider that knows its struct types. */
    public record Rooted(CelType root, CelTypeProvider types) {
    }

    /** The CEL type of values of {@code schema} ({@code root}: the object's top level). */
    CelType typeOf(JsonNode schema, boolean root) {
        if (schema != null && bySchema.containsKey(schema)) {
            return bySchema.get(schema);
        }
        CelType t = newType(schema, root);
        if (schema != null) {
            bySchema.put(schema, t);
        }
        return t;
    }

    /**
     * A struct type's name: never a path a rule could spell ({@code self.spec} would make the
     * checker read {@code self.spec} as a type name).
     */
    private String structName() {
        return "kardia.schema.object" + structs.size();
    }

    private CelType newType(JsonNode schema, boolean root) {
        if (schema == null || !schema.isObject()) {
            return SimpleType.DYN;
        }
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            return SimpleType.DYN;
        }
        String type = schema.path("type").asText("");
        return switch (type) {
            case "object" -> objectType(schema, root);
            case "array" -> ListType.create(typeOf(schema.get("items"), false));
            case "string" -> SimpleType.STRING;
            case "integer" -> SimpleType.INT;
            case "number" -> SimpleType.DOUBLE;
            case "boolean" -> SimpleType.BOOL;
            default -> SimpleType.DYN;
        };
    }

    private CelType objectType(JsonNode schema, boolean root) {
        JsonNode props = schema.path("properties");
        boolean embedded = schema.path("x-kubernetes-embedded-resource").asBoolean(false);
        if (!root && !embedded && props.isEmpty()) {
            JsonNode additional = schema.get("additionalProperties");
            if (additional != null && additional.isObject()) {
                return MapType.create(SimpleType.STRING, typeOf(additional, false));
            }
            if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                return SimpleType.DYN;
            }
        }
        Map<String, CelType> fields = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = props.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> p = it.next();
            String escaped = escape(p.getKey());
            if (escaped != null && !(root && p.getKey().equals("metadata"))) {
                fields.put(escaped, typeOf(p.getValue(), false));
            }
        }
        if (root || embedded) {
            fields.putIfAbsent("apiVersion", SimpleType.STRING);
            fields.putIfAbsent("kind", SimpleType.STRING);
            fields.put("metadata", metadataType(root));
        }
        String name = structName();
        StructType s = StructType.create(name, ImmutableSet.copyOf(fields.keySet()), f -> Optional.ofNullable(fields.get(f)));
        structs.put(name, s);
        return s;
    }

    private CelType metadataType(boolean root) {
        if (!root) {
            return SimpleType.DYN;
        }
        if (rootMetadata != null) {
            return rootMetadata;
        }
        String name = structName();
        StructType s = StructType.create(name, ImmutableSet.of("name", "generateName"), f -> Optional.of(SimpleType.STRING));
        structs.put(name, s);
        return s;
    }

    @Override
    public ImmutableCollection<CelType> types() {
        return ImmutableList.copyOf(structs.values());
    }

    @Override
    public Optional<CelType> findType(String typeName) {
        return Optional.ofNullable(structs.get(typeName));
    }

    /** Escaped schema property names (bounded: only names schemas declare are escaped on the hot path). */
    private static final Map<String, Optional<String>> ESCAPED = new java.util.concurrent.ConcurrentHashMap<>();

    /** kube's escaping of property names into CEL identifiers; null when a name cannot be one. */
    static String escape(String ident) {
        Optional<String> e = ESCAPED.get(ident);
        if (e == null) {
            e = Optional.ofNullable(escapeUncached(ident));
            if (ESCAPED.size() < 100_000) {
                ESCAPED.put(ident, e);
            }
        }
        return e.orElse(null);
    }

    private static String escapeUncached(String ident) {
        if (ident.isEmpty() || Character.isDigit(ident.charAt(0))) {
            return null;
        }
        if (RESERVED.contains(ident)) {
            return "__" + ident + "__";
        }
        Matcher m = EXPAND.matcher(ident);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String r = switch (m.group()) {
                case "__" -> "__underscores__";
                case "." -> "__dot__";
                case "-" -> "__dash__";
                case "/" -> "__slash__";
                default -> null;
            };
            if (r == null) {
                return null;
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(r));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
