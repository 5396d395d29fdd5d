package io.kardia.store.fieldpath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;

/**
 * The FieldsV1 encoding of a {@link FieldSet}, as kube-apiserver writes it: a JSON object per node
 * whose keys are {@link PathElement#serialize() serialized path elements} in structured-merge-diff
 * order; a member without children is {@code {}}, a member with children carries {@code ".": {}}
 * first.
 */
public final class FieldsV1 {
    private static final String SELF = ".";

    private FieldsV1() {
    }

    public static ObjectNode encode(FieldSet set) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        write(set, false, out);
        return out;
    }

    private static void write(FieldSet set, boolean self, ObjectNode out) {
        if (self) {
            out.putObject(SELF);
        }
        TreeSet<PathElement> all = new TreeSet<>();
        set.memberElements().forEach(all::add);
        all.addAll(set.childNodes().keySet());
        java.util.Set<PathElement> members = new TreeSet<>();
        set.memberElements().forEach(members::add);
        for (PathElement e : all) {
            ObjectNode node = out.putObject(e.serialize());
            FieldSet child = set.childNodes().get(e);
            if (child != null && !child.isEmpty()) {
                write(child, members.contains(e), node);
            }
        }
    }

    /**
     * Decodes FieldsV1 JSON.
     *
     * @throws IllegalArgumentException naming what is malformed
     */
    public static FieldSet decode(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("fieldsV1 must be a JSON object");
        }
        FieldSet s = new FieldSet();
        read((ObjectNode) json, s, 0);
        return s;
    }

    private static void read(ObjectNode json, FieldSet into, int depth) {
        if (depth > 200) {
            throw new IllegalArgumentException("fieldsV1 is nested too deeply");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().equals(SELF)) {
                continue;
            }
            PathElement pe = PathElement.parse(e.getKey());
            JsonNode v = e.getValue();
            if (!v.isObject()) {
                throw new IllegalArgumentException("fieldsV1 entry \"" + e.getKey() + "\" must be a JSON object");
            }
            if (v.isEmpty() || v.has(SELF)) {
                into.addMember(pe);
            }
            if (v.size() > (v.has(SELF) ? 1 : 0)) {
                read((ObjectNode) v, into.child(pe), depth + 1);
            }
        }
    }
}
