package io.kardia.controllers.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.json.Json;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.PodTemplateSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The {@code pod-template-hash} of a Deployment's template, built as Kubernetes'
 * {@code controller.ComputeHash}: FNV-32a over the template, then the collision count as 8
 * little-endian bytes (only the low 4 set), and {@code rand.SafeEncodeString} of the decimal sum.
 * Go hashes the struct's {@code spew} dump, which Java cannot reproduce, so the hashed bytes are the
 * template's canonical JSON (keys sorted): values differ from Kubernetes', the properties (stable,
 * DNS-label-safe, changed by the collision count) are the same. Null and empty values are left out
 * before hashing, as Go's zero values are: a template read back from a client that writes
 * {@code "resources": {}} or {@code "creationTimestamp": null} (kubectl rollout undo does) hashes
 * like the original, so a rollback finds its old ReplicaSet.
 */
public final class TemplateHash {
    public static final String LABEL = "pod-template-hash";
    private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
    private static final int FNV_OFFSET = 0x811c9dc5;
    private static final int FNV_PRIME = 0x01000193;

    private TemplateHash() {
    }

    public static String compute(PodTemplateSpec template, Integer collisionCount) {
        return hashCanonical(canonicalJson(Json.toTree(template)), collisionCount);
    }

    /**
     * The same hash over any JSON value (a ControllerRevision's {@code data}): FNV-32a of its
     * {@link #canonicalJson canonical JSON}, the collision count, {@code SafeEncodeString}.
     */
    public static String hashJson(Object value, Integer collisionCount) {
        return hashCanonical(canonicalJson(value), collisionCount);
    }

    /** A value's JSON with keys sorted and Go's zero values (null, empty lists and objects) left out. */
    public static String canonicalJson(Object value) {
        return canonicalJson(Json.mapper().valueToTree(value));
    }

    private static String hashCanonical(String canonical, Integer collisionCount) {
        int hash = FNV_OFFSET;
        hash = fnv(hash, canonical.getBytes(StandardCharsets.UTF_8));
        if (collisionCount != null) {
            int c = collisionCount;
            byte[] bytes = {(byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24), 0, 0, 0, 0};
            hash = fnv(hash, bytes);
        }
        return safeEncode(Integer.toUnsignedString(hash));
    }

    static int fnv(int hash, byte[] data) {
        for (byte b : data) {
            hash ^= (b & 0xff);
            hash *= FNV_PRIME;
        }
        return hash;
    }

    /** {@code rand.SafeEncodeString}: maps each character onto consonants and digits that can't spell words. */
    static String safeEncode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            out.append(ALPHANUMS.charAt(s.charAt(i) % ALPHANUMS.length()));
        }
        return out.toString();
    }

    /** Whether two templates are equal once their {@code pod-template-hash} labels are ignored ({@code EqualIgnoreHash}). */
    public static boolean equalIgnoringHash(PodTemplateSpec a, PodTemplateSpec b) {
        PodTemplateSpec x = withoutHash(a);
        PodTemplateSpec y = withoutHash(b);
        if (x.equals(y)) {
            return true; // equal records (over frozen collections) have the same JSON: no need to build it
        }
        return sameCanonicalJson(Json.toTree(x), Json.toTree(y));
    }

    /**
     * Whether two trees have the same {@link #canonicalJson canonical JSON}, found without building
     * it (a rollout compares every old ReplicaSet's template on every sync): the same non-zero keys
     * with the same values, arrays element by element, other values as they print.
     */
    static boolean sameCanonicalJson(JsonNode a, JsonNode b) {
        if (a instanceof ObjectNode x) {
            if (!(b instanceof ObjectNode y)) {
                return false;
            }
            int kept = 0;
            for (Iterator<java.util.Map.Entry<String, JsonNode>> it = x.fields(); it.hasNext(); ) {
                java.util.Map.Entry<String, JsonNode> e = it.next();
                if (isZero(e.getValue())) {
                    continue;
                }
                kept++;
                JsonNode other = y.get(e.getKey());
                if (isZero(other) || !sameCanonicalJson(e.getValue(), other)) {
                    return false;
                }
            }
            for (JsonNode v : y) {
                if (!isZero(v)) {
                    kept--;
                }
            }
            return kept == 0;
        }
        if (a.isArray()) {
            if (!b.isArray() || a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!sameCanonicalJson(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (b.isObject() || b.isArray()) {
            return false;
        }
        if (a.isTextual() && b.isTextual()) {
            return a.textValue().equals(b.textValue());
        }
        return a.toString().equals(b.toString());
    }

    static PodTemplateSpec withoutHash(PodTemplateSpec t) {
        if (t == null) {
            return PodTemplateSpec.of(ObjectMeta.builder().build(), null);
        }
        ObjectMeta m = t.metadata() == null ? ObjectMeta.builder().build() : t.metadata();
        return t.withMetadata(m.toBuilder().removeLabel(LABEL).build());
    }

    private static String canonicalJson(JsonNode node) {
        StringBuilder sb = new StringBuilder();
        write(node, sb);
        return sb.toString();
    }

    private static void write(JsonNode node, StringBuilder sb) {
        if (node instanceof ObjectNode obj) {
            List<String> names = new ArrayList<>();
            Iterator<String> it = obj.fieldNames();
            it.forEachRemaining(name -> {
                if (!isZero(obj.get(name))) {
                    names.add(name);
                }
            });
            Collections.sort(names);
            sb.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(Json.toString(names.get(i))).append(':');
                write(obj.get(names.get(i)), sb);
            }
            sb.append('}');
        } else if (node.isArray()) {
            sb.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(node.get(i), sb);
            }
            sb.append(']');
        } else {
            sb.append(node.toString());
        }
    }

    /** Null, an empty array, or an object holding only such values: what Go's zero values are. */
    private static boolean isZero(JsonNode n) {
        if (n == null || n.isNull()) {
            return true;
        }
        if (n.isArray()) {
            return n.isEmpty();
        }
        if (n.isObject()) {
            for (JsonNode child : n) {
                if (!isZero(child)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }
}
