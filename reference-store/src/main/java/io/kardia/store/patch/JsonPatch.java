package io.kardia.store.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * RFC 6902 JSON patch: add, remove, replace, move, copy, test, with RFC 6901 pointers.
 *
 * <p>Application is bounded (kube-apiserver bounds it too): at most {@link #MAX_OPERATIONS}
 * operations, and a {@link Budget} on the JSON nodes the operations add and on how deep they nest
 * them, checked before each copy is made. Without it, a small patch of {@code copy} operations that
 * each copy a subtree into itself doubles the document with every operation and exhausts the heap.
 */
public final class JsonPatch {
    /** kube-apiserver's maxJSONPatchOperations. */
    public static final int MAX_OPERATIONS = 10_000;

    /**
     * What one patch may add: {@code maxNewNodes} JSON nodes in all (values and copies; strings are
     * shared, not copied, so nodes measure what the copies cost) and values placed at most
     * {@code maxDepth} levels deep (the document itself is level 1).
     */
    public record Budget(long maxNewNodes, int maxDepth) {
        /** The budget of a store with default limits (1.5 MiB objects, 96 levels). */
        public static final Budget DEFAULT = new Budget(1_572_864 / 2, 96);
    }

    private JsonPatch() {
    }

    /** Returns the patched document within {@link Budget#DEFAULT}; {@code target} is not modified. */
    public static JsonNode apply(JsonNode target, JsonNode patch) {
        return apply(target, patch, Budget.DEFAULT);
    }

    /**
     * Returns the patched document; {@code target} is not modified.
     *
     * @throws PatchException (not malformed) when the patch would exceed {@code budget}
     */
    public static JsonNode apply(JsonNode target, JsonNode patch, Budget budget) {
        if (!patch.isArray()) {
            throw new PatchException("a JSON patch must be an array of operations", true);
        }
        if (patch.size() > MAX_OPERATIONS) {
            throw new PatchTooLargeException("The allowed maximum operations in a JSON patch is " + MAX_OPERATIONS
                    + ", got " + patch.size());
        }
        Spending spending = new Spending(budget);
        JsonNode doc = target.deepCopy();
        int i = 0;
        for (JsonNode op : patch) {
            if (!op.isObject() || !op.path("op").isTextual() || !op.path("path").isTextual()) {
                throw new PatchException("JSON patch operation " + i + " needs \"op\" and \"path\" strings", true);
            }
            String path = op.get("path").asText();
            doc = switch (op.get("op").asText()) {
                case "add" -> add(doc, path, spending.place(path, value(op, i), i));
                case "remove" -> remove(doc, path);
                case "replace" -> add(remove(doc, path), path, spending.place(path, value(op, i), i));
                case "move" -> {
                    String from = from(op, i);
                    JsonNode v = get(doc, from);
                    yield add(remove(doc, from), path, spending.place(path, v, i));
                }
                case "copy" -> add(doc, path, spending.place(path, get(doc, from(op, i)), i));
                case "test" -> {
                    if (!get(doc, path).equals(value(op, i))) {
                        throw new PatchTestFailedException("testing value " + path + " failed");
                    }
                    yield doc;
                }
                default -> throw new PatchException("unknown JSON patch operation \"" + op.get("op").asText() + "\"", true);
            };
            i++;
        }
        return doc;
    }

    /** Nodes added so far, against the budget; checked before a value is placed (and copied). */
    private static final class Spending {
        private final Budget budget;
        private long added;

        Spending(Budget budget) {
            this.budget = budget;
        }

        JsonNode place(String path, JsonNode value, int op) {
            int at = tokens(path).size() + 1;
            long left = budget.maxNewNodes() - added;
            long nodes = countUpTo(value, left + 1, at, budget.maxDepth(), path, op);
            if (nodes > left) {
                throw new PatchException("JSON patch operation " + op + " would add more than the limit of "
                        + budget.maxNewNodes() + " JSON nodes one patch may add (each copy counts in full)", false);
            }
            added += nodes;
            return value;
        }

        /** Counts nodes of {@code n} placed at level {@code depth}, stopping at {@code stop} (never walks further). */
        private static long countUpTo(JsonNode n, long stop, int depth, int maxDepth, String path, int op) {
            if (n.isContainerNode() && depth > maxDepth) {
                throw new PatchException("JSON patch operation " + op + " would nest the document deeper than the limit of "
                        + maxDepth + " levels at " + path, false);
            }
            long count = 1;
            if (n.isContainerNode()) {
                for (Iterator<JsonNode> it = n.elements(); it.hasNext() && count < stop; ) {
                    count += countUpTo(it.next(), stop - count, depth + 1, maxDepth, path, op);
                }
            }
            return count;
        }
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
