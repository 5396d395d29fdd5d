package io.kardia.store.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes' strategic merge patch: a merge patch where lists with a merge key are merged
 * element by element, lists of scalars tagged {@code merge} are merged as sets, and the directives
 * {@code $patch: replace|delete|merge}, {@code $retainKeys}, {@code $deleteFromPrimitiveList/<field>}
 * and {@code $setElementOrder/<field>} (accepted, order not enforced) apply; an object whose patch
 * strategy is {@code replace} takes the patch's value whole.
 */
public final class StrategicMergePatch {
    private static final String PATCH = "$patch";
    private static final String RETAIN_KEYS = "$retainKeys";
    private static final String DELETE_FROM_PRIMITIVE = "$deleteFromPrimitiveList/";
    private static final String SET_ORDER = "$setElementOrder/";

    private final Map<String, String> mergeKeys;
    private final Set<String> replaced;

    public StrategicMergePatch(Map<String, String> mergeKeys) {
        this(mergeKeys, Set.of());
    }

    /** @param replaced paths of objects whose patch strategy is {@code replace}: the patch's value replaces them whole */
    public StrategicMergePatch(Map<String, String> mergeKeys, Set<String> replaced) {
        this.mergeKeys = mergeKeys;
        this.replaced = replaced;
    }

    /** Returns the patched object; {@code target} is not modified. */
    public JsonNode apply(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            throw new PatchException("a strategic merge patch must be a JSON object", true);
        }
        JsonNode out = mergeObject(target, (ObjectNode) patch, "");
        return out == null ? JsonNodeFactory.instance.objectNode() : out;
    }

    /** @return the merged object, or null if the patch deletes it */
    private JsonNode mergeObject(JsonNode original, ObjectNode patch, String path) {
        String directive = patch.path(PATCH).asText("");
        if (directive.equals("delete")) {
            return null;
        }
        if (directive.equals("replace")) {
            ObjectNode copy = patch.deepCopy();
            copy.remove(PATCH);
            return copy;
        }
        if (!directive.isEmpty() && !directive.equals("merge")) {
            throw new PatchException("unknown patch directive \"" + directive + "\" at " + display(path), true);
        }
        ObjectNode result = original != null && original.isObject() ? ((ObjectNode) original).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        JsonNode retain = patch.get(RETAIN_KEYS);
        if (retain != null) {
            if (!retain.isArray()) {
                throw new PatchException("$retainKeys at " + display(path) + " must be a list of field names", true);
            }
            Set<String> keep = new HashSet<>();
            retain.forEach(k -> keep.add(k.asText()));
            result.retain(keep);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            var e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            if (k.equals(PATCH) || k.equals(RETAIN_KEYS) || k.startsWith(SET_ORDER)) {
                continue;
            }
            if (k.startsWith(DELETE_FROM_PRIMITIVE)) {
                String field = k.substring(DELETE_FROM_PRIMITIVE.length());
                JsonNode list = result.get(field);
                if (list instanceof ArrayNode a && v.isArray()) {
                    Set<JsonNode> drop = new HashSet<>();
                    v.forEach(drop::add);
                    ArrayNode kept = a.arrayNode();
                    a.forEach(x -> {
                        if (!drop.contains(x)) {
                            kept.add(x);
                        }
                    });
                    result.set(field, kept);
                }
                continue;
            }
            String childPath = path.isEmpty() ? k : path + "." + k;
            if (v.isNull()) {
                result.remove(k);
            } else if (v.isObject() && replaced.contains(childPath)) {
                result.set(k, v.deepCopy());
            } else if (v.isObject()) {
                JsonNode merged = mergeObject(result.get(k), (ObjectNode) v, childPath);
                if (merged == null) {
                    result.remove(k);
                } else {
                    result.set(k, merged);
                }
            } else if (v.isArray()) {
                result.set(k, mergeList(result.get(k), (ArrayNode) v, childPath));
            } else {
                result.set(k, v.deepCopy());
            }
        }
        return result;
    }

    private JsonNode mergeList(JsonNode original, ArrayNode patch, String path) {
        String key = mergeKeys.get(path);
        for (JsonNode el : patch) {
            if (el.isObject() && el.path(PATCH).asText("").equals("replace")) {
                ArrayNode replaced = patch.arrayNode();
                patch.forEach(x -> {
                    if (x != el) {
                        replaced.add(stripDirectives(x));
                    }
                });
                return replaced;
            }
        }
        if (key == null || !(original instanceof ArrayNode orig)) {
            ArrayNode copy = patch.arrayNode();
            patch.forEach(x -> {
                if (!(x.isObject() && x.path(PATCH).asText("").equals("delete"))) {
                    copy.add(stripDirectives(x));
                }
            });
            return copy;
        }
        ArrayNode result = orig.deepCopy();
        if (key.isEmpty()) {
            Set<JsonNode> present = new HashSet<>();
            result.forEach(present::add);
            for (JsonNode x : patch) {
                if (present.add(x)) {
                    result.add(x.deepCopy());
                }
            }
            return result;
        }
        for (JsonNode el : patch) {
            if (!el.isObject()) {
                throw new PatchException("list " + display(path) + " holds objects merged by \"" + key + "\", got " + el, true);
            }
            JsonNode keyValue = el.get(key);
            int at = -1;
            for (int i = 0; keyValue != null && i < result.size(); i++) {
                if (keyValue.equals(result.get(i).get(key))) {
                    at = i;
                    break;
                }
            }
            boolean delete = el.path(PATCH).asText("").equals("delete");
            if (delete) {
                if (at >= 0) {
                    result.remove(at);
                }
            } else if (at >= 0) {
                JsonNode merged = mergeObject(result.get(at), (ObjectNode) el, path);
                if (merged == null) {
                    result.remove(at);
                } else {
                    result.set(at, merged);
                }
            } else {
                result.add(stripDirectives(el));
            }
        }
        return result;
    }

    private static JsonNode stripDirectives(JsonNode x) {
        if (!x.isObject()) {
            return x.deepCopy();
        }
        ObjectNode copy = ((ObjectNode) x).deepCopy();
        copy.remove(PATCH);
        copy.remove(RETAIN_KEYS);
        return copy;
    }

    private static String display(String path) {
        return path.isEmpty() ? "the top level" : path;
    }
}
