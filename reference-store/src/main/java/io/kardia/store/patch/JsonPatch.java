package io.kardia.store.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** RFC 6902 JSON patch: add, remove, replace, move, copy, test, with RFC 6901 pointers. */
public final class JsonPatch {
    private JsonPatch() {
    }

    /** Returns the patched document; {@code target} is not modified. */
    public static JsonNode apply(JsonNode target, JsonNode patch) {
        if (!patch.isArray()) {
            throw new PatchException("a JSON patch must be an array of operations", true);
        }
        JsonNode doc = target.deepCopy();
        int i = 0;
        for (JsonNode op : patch) {
            if (!op.isObject() || !op.path("op").isTextual() || !op.path("path").isTextual()) {
                throw new PatchException("JSON patch operation " + i + " needs \"op\" and \"path\" strings", true);
            }
            String path = op.get("path").asText();
            doc = switch (op.get("op").asText()) {
                case "add" -> add(doc, path, value(op, i));
                case "remove" -> remove(doc, path);
                case "replace" -> add(remove(doc, path), path, value(op, i));
                case "move" -> {
                    String from = from(op, i);
                    JsonNode v = get(doc, from);
                    yield add(remove(doc, from), path, v);
                }
                case "copy" -> add(doc, path, get(doc, from(op, i)).deepCopy());
                case "test" -> {
                    if (!get(doc, path).equals(value(op, i))) {
                        throw new PatchException("testing value " + path + " failed", false);
                    }
                    yield doc;
                }
                default -> throw new PatchException("unknown JSON patch operation \"" + op.get("op").asText() + "\"", true);
            };
            i++;
        }
        return doc;
    }

    private static JsonNode value(JsonNode op, int i) {
        if (!op.has("value")) {
            throw new PatchException("JSON patch operation " + i + " (" + op.get("op").asText() + ") needs a \"value\"", true);
        }
        return op.get("value");
    }

    private static String from(JsonNode op, int i) {
        if (!op.path("from").isTextual()) {
            throw new PatchException("JSON patch operation " + i + " (" + op.get("op").asText() + ") needs a \"from\"", true);
        }
        return op.get("from").asText();
    }

    static List<String> tokens(String pointer) {
        if (pointer.isEmpty()) {
            return List.of();
        }
        if (!pointer.startsWith("/")) {
            throw new PatchException("invalid JSON pointer \"" + pointer + "\": must start with '/'", true);
        }
        List<String> out = new ArrayList<>();
        for (String t : pointer.substring(1).split("/", -1)) {
            out.add(t.replace("~1", "/").replace("~0", "~"));
        }
        return out;
    }

    private static JsonNode get(JsonNode doc, String pointer) {
        JsonNode cur = doc;
        for (String t : tokens(pointer)) {
            cur = child(cur, t, pointer);
        }
        return cur;
    }

    private static JsonNode child(JsonNode node, String token, String pointer) {
        JsonNode next = null;
        if (node.isObject()) {
            next = node.get(token);
        } else if (node.isArray()) {
            next = node.get(index(token, node.size() - 1, pointer));
        }
        if (next == null) {
            throw new PatchException("path " + pointer + " does not exist", false);
        }
        return next;
    }

    private static int index(String token, int max, String pointer) {
        if (!token.matches("0|[1-9][0-9]*")) {
            throw new PatchException("invalid array index \"" + token + "\" in " + pointer, false);
        }
        int i = Integer.parseInt(token);
        if (i > max) {
            throw new PatchException("array index " + i + " out of bounds in " + pointer, false);
        }
        return i;
    }

    private static JsonNode add(JsonNode doc, String pointer, JsonNode value) {
        List<String> t = tokens(pointer);
        if (t.isEmpty()) {
            return value.deepCopy();
        }
        JsonNode parent = doc;
        for (int i = 0; i < t.size() - 1; i++) {
            parent = child(parent, t.get(i), pointer);
        }
        String last = t.get(t.size() - 1);
        if (parent.isObject()) {
            ((ObjectNode) parent).set(last, value.deepCopy());
        } else if (parent.isArray()) {
            ArrayNode a = (ArrayNode) parent;
            if (last.equals("-")) {
                a.add(value.deepCopy());
            } else {
                a.insert(index(last, a.size(), pointer), value.deepCopy());
            }
        } else {
            throw new PatchException("cannot add at " + pointer + ": parent is not an object or array", false);
        }
        return doc;
    }

    private static JsonNode remove(JsonNode doc, String pointer) {
        List<String> t = tokens(pointer);
        if (t.isEmpty()) {
            throw new PatchException("cannot remove the whole document", false);
        }
        JsonNode parent = doc;
        for (int i = 0; i < t.size() - 1; i++) {
            parent = child(parent, t.get(i), pointer);
        }
        String last = t.get(t.size() - 1);
        if (parent.isObject() && parent.has(last)) {
            ((ObjectNode) parent).remove(last);
        } else if (parent.isArray()) {
            ((ArrayNode) parent).remove(index(last, parent.size() - 1, pointer));
        } else {
            throw new PatchException("path " + pointer + " does not exist", false);
        }
        return doc;
    }
}
