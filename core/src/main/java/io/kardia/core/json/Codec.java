package io.kardia.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes API objects from JSON or YAML bytes into the Java type their {@code apiVersion} and
 * {@code kind} designate: the built-in model classes of {@link ResourceTypes}, types added with
 * {@link #with(ResourceType)}, and {@link GenericObject} for every other kind. Immutable and
 * thread-safe.
 */
public final class Codec {
    private static final Codec BUILT_INS = new Codec(index(ResourceTypes.builtIns()));

    private final Map<String, ResourceType<?>> types;

    private Codec(Map<String, ResourceType<?>> types) {
        this.types = Map.copyOf(types);
    }

    /** The codec for the built-in kinds. */
    public static Codec builtIns() {
        return BUILT_INS;
    }

    /** A codec that also decodes this kind to its Java type (e.g. a typed custom resource class). */
    public Codec with(ResourceType<?> type) {
        Map<String, ResourceType<?>> copy = new HashMap<>(types);
        copy.put(key(type.apiVersion(), type.kind()), type);
        return new Codec(copy);
    }

    private static Map<String, ResourceType<?>> index(Iterable<ResourceType<?>> all) {
        Map<String, ResourceType<?>> m = new HashMap<>();
        all.forEach(t -> m.put(key(t.apiVersion(), t.kind()), t));
        return m;
    }

    private static String key(String apiVersion, String kind) {
        return apiVersion + "\u0000" + kind;
    }

    /** The class objects of this apiVersion and kind decode to ({@link GenericObject} if unknown). */
    public Class<? extends KubeObject> javaType(String apiVersion, String kind) {
        ResourceType<?> t = types.get(key(apiVersion, kind));
        return t == null ? GenericObject.class : t.javaType();
    }

    /** True when the first non-blank byte opens a JSON object or array; YAML otherwise. */
    public static boolean looksLikeJson(byte[] bytes) {
        int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB
                && (bytes[2] & 0xff) == 0xBF ? 3 : 0; // UTF-8 byte order mark
        for (int i = start; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                continue;
            }
            return b == '{' || b == '[';
        }
        return false;
    }

    /** Exactly one object from JSON or YAML. */
    public KubeObject decode(byte[] bytes) {
        return fromTree(singleTree(bytes));
    }

    /**
     * One object decoded as {@code type}; if the input names a different kind it is rejected
     * rather than silently misread.
     */
    public <T extends KubeObject> T decode(byte[] bytes, Class<T> type) {
        JsonNode tree = singleTree(bytes);
        if (type != GenericObject.class) {
            String apiVersion = tree.path("apiVersion").asText("");
            String kind = tree.path("kind").asText("");
            if (!kind.isEmpty()) {
                Class<? extends KubeObject> actual = javaType(apiVersion, kind);
                if (actual != type) {
                    throw new CodecException("expected " + type.getSimpleName() + " but the input is "
                            + (apiVersion.isEmpty() ? "" : apiVersion + " ") + kind);
                }
            }
        }
        return Json.fromTree(requireObject(tree), type);
    }

    /**
     * Every object in the input: the documents of a YAML stream, or one JSON value; {@code List}
     * kinds ({@code v1 List}, {@code PodList}...) are flattened into their items, as kubectl does.
     */
    public List<KubeObject> decodeAll(byte[] bytes) {
        List<JsonNode> docs = looksLikeJson(bytes) ? List.of(Json.tree(bytes)) : Yaml.trees(bytes);
        List<KubeObject> out = new ArrayList<>();
        for (JsonNode doc : docs) {
            if (doc.isArray()) {
                doc.forEach(item -> out.add(fromTree(item)));
            } else if (doc.path("kind").asText("").endsWith("List") && doc.path("items").isArray()) {
                doc.path("items").forEach(item -> out.add(fromTree(item)));
            } else {
                out.add(fromTree(doc));
            }
        }
        return out;
    }

    /** An object from a tree that has {@code apiVersion} and {@code kind}. */
    public KubeObject fromTree(JsonNode tree) {
        requireObject(tree);
        String apiVersion = tree.path("apiVersion").asText("");
        String kind = tree.path("kind").asText("");
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            throw new CodecException("object has no " + (kind.isEmpty() ? "\"kind\"" : "\"apiVersion\"")
                    + ": every API object needs apiVersion and kind (e.g. apiVersion: v1, kind: Pod)");
        }
        return Json.fromTree(tree, javaType(apiVersion, kind));
    }

    public byte[] toJson(KubeObject object) {
        return Json.toBytes(object);
    }

    public String toYaml(KubeObject object) {
        return Yaml.write(object);
    }

    private static JsonNode singleTree(byte[] bytes) {
        return looksLikeJson(bytes) ? Json.tree(bytes) : Yaml.tree(bytes);
    }

    private static JsonNode requireObject(JsonNode tree) {
        if (tree == null || !tree.isObject()) {
            throw new CodecException("expected an object (a JSON/YAML mapping), found "
                    + (tree == null ? "nothing" : tree.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        return tree;
    }
}
