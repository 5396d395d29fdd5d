package io.kardia.store.merge;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.store.fieldpath.FieldSet;
import io.kardia.store.fieldpath.PathElement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The fields an object sets, as structured-merge-diff counts them (its {@code ToFieldSet}):
 * scalars, atomic lists, maps and structs, list items (as themselves and field by field), map
 * entries whose key is not a declared field, and empty or null values.
 */
public final class FieldSets {
    private FieldSets() {
    }

    /**
     * @throws MergeException for a duplicate or keyless item of an associative list
     */
    public static FieldSet of(JsonNode object, Schema schema) {
        FieldSet out = new FieldSet();
        walk(object, schema, new ArrayList<>(), out);
        return out;
    }

    private static void walk(JsonNode v, Schema declared, List<PathElement> path, FieldSet out) {
        Schema s = Schema.resolve(declared, v);
        switch (s.kind()) {
            case STRUCT, MAP -> {
                if (s.atomic() || !v.isObject()) {
                    out.insert(path);
                    return;
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                    var e = it.next();
                    List<PathElement> child = Paths.child(path, PathElement.field(e.getKey()));
                    JsonNode cv = e.getValue();
                    boolean declaredField = s.kind() == Schema.Kind.STRUCT && s.declares(e.getKey());
                    walk(cv, s.field(e.getKey()), child, out);
                    if (cv.isNull() || (cv.isObject() && cv.isEmpty()) || !declaredField) {
                        out.insert(child);
                    }
                }
            }
            case LIST -> {
                if (s.atomic() || !v.isArray()) {
                    out.insert(path);
                    return;
                }
                for (Items.Item item : Items.index(s, v, Paths.display(path), false)) {
                    List<PathElement> child = Paths.child(path, item.element());
                    walk(item.value(), s.element(), child, out);
                    out.insert(child);
                }
            }
            default -> out.insert(path);
        }
    }
}
