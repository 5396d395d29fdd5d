package io.kardia.store.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.store.fieldpath.FieldSet;
import io.kardia.store.fieldpath.PathElement;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes what an applier stopped applying: a field, list item or map entry goes when the
 * applier's previous apply set it, its new apply does not, and no manager owns it or anything
 * below it (structured-merge-diff's {@code prune}). A declared struct or map the applier only set
 * fields of goes as a whole once nobody owns anything in it; what nobody ever applied stays.
 */
public final class Prune {
    private Prune() {
    }

    /** Prunes {@code merged} in place. */
    public static void prune(JsonNode merged, Schema schema, FieldSet last, FieldSet owned) {
        if (last == null || last.isEmpty()) {
            return;
        }
        walk(merged, schema, new ArrayList<>(), last, owned);
    }

    private static void walk(JsonNode node, Schema declared, List<PathElement> path, FieldSet last, FieldSet owned) {
        Schema s = Schema.resolve(declared, node);
        switch (s.kind()) {
            case STRUCT, MAP -> {
                if (s.atomic() || !(node instanceof ObjectNode obj)) {
                    return;
                }
                List<String> names = new ArrayList<>();
                obj.fieldNames().forEachRemaining(names::add);
                for (String k : names) {
                    List<PathElement> child = Paths.child(path, PathElement.field(k));
                    boolean declaredField = s.kind() == Schema.Kind.STRUCT && s.declares(k);
                    if (removable(child, declaredField, last, owned)) {
                        obj.remove(k);
                    } else if (last.hasBelow(child)) {
                        walk(obj.get(k), s.field(k), child, last, owned);
                    }
                }
            }
            case LIST -> {
                if (s.atomic() || !(node instanceof ArrayNode arr)) {
                    return;
                }
                String where = Paths.display(path);
                for (int i = arr.size() - 1; i >= 0; i--) {
                    JsonNode item = arr.get(i);
                    PathElement pe = Items.element(s, item, i, where);
                    List<PathElement> child = Paths.child(path, pe);
                    if (removable(child, false, last, owned)) {
                        arr.remove(i);
                    } else if (last.hasBelow(child)) {
                        walk(item, s.element(), child, last, owned);
                    }
                }
            }
            default -> {
            }
        }
    }

    private static boolean removable(List<PathElement> p, boolean declaredField, FieldSet last, FieldSet owned) {
        boolean lastHad = last.has(p) || (declaredField && last.hasBelow(p));
        return lastHad && !owned.hasAtOrBelow(p);
    }
}
