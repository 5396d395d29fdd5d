package io.kardia.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * An object ready to be stored except for its revision. It is serialized outside the write lock
 * with a fixed-width placeholder resourceVersion; {@link #seal} splices the real revision into
 * the bytes (a copy, no re-serialization) so the critical section stays short.
 */
final class Draft {
    private static final String PLACEHOLDER = "0000000000000000000";
    private static final byte[] MARKER = ("\"resourceVersion\":\"" + PLACEHOLDER + "\"").getBytes(StandardCharsets.UTF_8);
    private static final int MARKER_PREFIX = "\"resourceVersion\":\"".length();
    private static final List<String> META_ORDER = List.of("name", "generateName", "namespace", "uid",
            "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
            "labels", "annotations", "ownerReferences", "finalizers");

    private final ObjectNode tree;
    private final byte[] bytes;
    private final int offset;

    private Draft(ObjectNode tree, byte[] bytes, int offset) {
        this.tree = tree;
        this.bytes = bytes;
        this.offset = offset;
    }

    /** Takes ownership of {@code tree} (canonicalizes it in place) and serializes it. */
    static Draft of(ObjectNode tree) {
        JsonNode meta = tree.get("metadata");
        if (!(meta instanceof ObjectNode)) {
            meta = tree.putObject("metadata");
        }
        // Placed before canonicalizing so it sits at its fixed position, ahead of labels and annotations
        // (whose values could spell the marker): the first match is always ours.
        ((ObjectNode) meta).put("resourceVersion", PLACEHOLDER);
        ObjectNode canonical = canonical(tree);
        byte[] bytes = Json.toBytes(canonical);
        int at = indexOf(bytes, MARKER);
        if (at < 0) {
            throw new IllegalStateException("resourceVersion placeholder not found in serialized object");
        }
        return new Draft(canonical, bytes, at + MARKER_PREFIX);
    }

    int size() {
        return bytes.length - PLACEHOLDER.length() + 1;
    }

    /** The would-be object without a resourceVersion (dry run). */
    StoredObject unsealed() {
        return unsealed(null);
    }

    /** As {@link #unsealed()}, carrying {@code resourceVersion} (null: none). */
    StoredObject unsealed(String resourceVersion) {
        ObjectNode copy = tree.deepCopy();
        ObjectNode meta = (ObjectNode) copy.get("metadata");
        if (resourceVersion == null) {
            meta.remove("resourceVersion");
        } else {
            meta.put("resourceVersion", resourceVersion);
        }
        return new StoredObject(0, copy, Json.toBytes(copy));
    }

    /** Read-only view of the draft's tree (its resourceVersion is the placeholder). */
    ObjectNode tree() {
        return tree;
    }

    /** Called once, under the write lock. */
    StoredObject seal(long revision) {
        byte[] digits = Long.toString(revision).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[bytes.length - PLACEHOLDER.length() + digits.length];
        System.arraycopy(bytes, 0, out, 0, offset);
        System.arraycopy(digits, 0, out, offset, digits.length);
        int rest = offset + PLACEHOLDER.length();
        System.arraycopy(bytes, rest, out, offset + digits.length, bytes.length - rest);
        ((ObjectNode) tree.get("metadata")).put("resourceVersion", Long.toString(revision));
        return new StoredObject(revision, tree, out);
    }

    /** apiVersion, kind, metadata (in Kubernetes' field order) first, then the rest as given. */
    static ObjectNode canonical(ObjectNode in) {
        ObjectNode out = Json.mapper().createObjectNode();
        copyIfPresent(in, out, "apiVersion");
        copyIfPresent(in, out, "kind");
        JsonNode meta = in.get("metadata");
        ObjectNode m = out.putObject("metadata");
        if (meta instanceof ObjectNode mo) {
            for (String f : META_ORDER) {
                JsonNode v = mo.get(f);
                if (v != null && !isEmpty(v)) {
                    m.set(f, v);
                }
            }
            List<String> rest = new ArrayList<>();
            mo.fieldNames().forEachRemaining(rest::add);
            for (String f : rest) {
                JsonNode v = mo.get(f);
                if (!META_ORDER.contains(f) && v != null && !v.isNull()) {
                    m.set(f, v);
                }
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
            var e = it.next();
            String k = e.getKey();
            if (!k.equals("apiVersion") && !k.equals("kind") && !k.equals("metadata") && !e.getValue().isNull()) {
                out.set(k, e.getValue());
            }
        }
        return out;
    }

    private static boolean isEmpty(JsonNode v) {
        return v.isNull() || ((v.isObject() || v.isArray()) && v.isEmpty()) || (v.isTextual() && v.asText().isEmpty());
    }

    private static void copyIfPresent(ObjectNode in, ObjectNode out, String field) {
        JsonNode v = in.get(field);
        if (v != null && !v.isNull()) {
            out.set(field, v);
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
