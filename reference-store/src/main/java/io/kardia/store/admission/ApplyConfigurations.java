package io.kardia.store.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.store.merge.Schema;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The check kube-apiserver makes on a MutatingAdmissionPolicy's apply configuration before merging
 * it: it may not set an atomic list, map or struct, since everything of it that the configuration
 * leaves out would be removed, rarely what the policy's author meant.
 */
final class ApplyConfigurations {
    private ApplyConfigurations() {
    }

    /** The paths (structured-merge-diff's form: {@code .spec.ports[0].x}) of atomic values {@code config} sets. */
    static List<String> atomics(JsonNode config, Schema schema) {
        List<String> out = new ArrayList<>();
        find("", schema, config, out);
        return out;
    }

    private static void find(String path, Schema s, JsonNode v, List<String> out) {
        if (s == null || s.kind() == Schema.Kind.UNTYPED || s.kind() == Schema.Kind.SCALAR) {
            return; // an untyped (schemaless) value has no atomicity to respect
        }
        if (v.isObject() && (s.kind() == Schema.Kind.STRUCT || s.kind() == Schema.Kind.MAP)) {
            if (s.atomic()) {
                out.add(path);
            }
            if (s.kind() == Schema.Kind.STRUCT) {
                for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (s.declares(e.getKey())) {
                        find(path + "." + e.getKey(), s.field(e.getKey()), e.getValue(), out);
                    }
                }
            }
        } else if (v.isArray() && s.kind() == Schema.Kind.LIST) {
            if (s.atomic()) {
                out.add(path);
            }
            for (int i = 0; i < v.size(); i++) {
                find(path + "[" + i + "]", s.element(), v.get(i), out);
            }
        }
    }
}
