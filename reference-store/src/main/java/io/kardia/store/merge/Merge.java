package io.kardia.store.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.store.fieldpath.PathElement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Merges an applied configuration into the live object by the schema, as structured-merge-diff's
 * {@code Merge} does: the configuration's scalars, atomic lists, atomic maps and atomic structs
 * replace the live ones; maps and structs merge key by key; sets and associative lists merge item
 * by item (by value, by key fields), keeping the live order of the items the configuration leaves
 * out and the configuration's order of the ones it names. A {@code null} in the configuration
 * removes the field.
 */
public final class Merge {
    private Merge() {
    }

    /**
     * @throws MergeException when the configuration names an associative list item twice or leaves out its key
     */
    public static JsonNode merge(JsonNode live, JsonNode config, Schema schema) {
        return merge(live, config, schema, new ArrayList<>());
    }

    private static JsonNode merge(JsonNode lhs, JsonNode rhs, Schema declared, List<PathElement> path) {
        if (rhs == null) {
            return lhs == null ? null : lhs.deepCopy();
        }
        if (lhs == null || rhs.isNull()) {
            // still validate the configuration's associative lists
            FieldSets.of(rhs, declared);
            return rhs.deepCopy();
        }
        Schema s = Schema.resolve(declared, rhs);
        switch (s.kind()) {
            case STRUCT, MAP -> {
                if (s.atomic() || !rhs.isObject() || !lhs.isObject()) {
                    FieldSets.of(rhs, s);
                    return rhs.deepCopy();
                }
                ObjectNode out = ((ObjectNode) lhs).deepCopy();
                for (Iterator<Map.Entry<String, JsonNode>> it = rhs.fields(); it.hasNext(); ) {
                    var e = it.next();
                    JsonNode merged = merge(lhs.get(e.getKey()), e.getValue(), s.field(e.getKey()),
                            Paths.child(path, PathElement.field(e.getKey())));
                    if (merged == null || merged.isNull()) {
                        out.remove(e.getKey());
                    } else {
                        out.set(e.getKey(), merged);
                    }
                }
                return out;
            }
            case LIST -> {
                if (s.atomic() || !rhs.isArray() || !lhs.isArray()) {
                    FieldSets.of(rhs, s);
                    return rhs.deepCopy();
                }
                return mergeList(lhs, rhs, s, path);
            }
            default -> {
                return rhs.deepCopy();
            }
        }
    }

    /** structured-merge-diff's list merge: live-only items stay where they are, shared and new ones follow the configuration. */
    private static ArrayNode mergeList(JsonNode lhs, JsonNode rhs, Schema s, List<PathElement> path) {
        String where = Paths.display(path);
        List<Items.Item> rItems = Items.index(s, rhs, where, false);
        List<Items.Item> lItems = Items.index(s, lhs, where, true);
        TreeMap<PathElement, JsonNode> rByPe = new TreeMap<>();
        rItems.forEach(i -> rByPe.put(i.element(), i.value()));
        TreeMap<PathElement, JsonNode> lByPe = new TreeMap<>();
        lItems.forEach(i -> lByPe.put(i.element(), i.value()));
        List<PathElement> sharedOrder = new ArrayList<>();
        for (Items.Item r : rItems) {
            if (lByPe.containsKey(r.element())) {
                sharedOrder.add(r.element());
            }
        }
        int nextShared = 0;
        TreeSet<PathElement> merged = new TreeSet<>();
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        int li = 0;
        int ri = 0;
        while (li < lItems.size() || ri < rItems.size()) {
            if (li < lItems.size() && ri < rItems.size()) {
                PathElement pe = lItems.get(li).element();
                if (pe.compareTo(rItems.get(ri).element()) == 0) {
                    merged.add(pe);
                    out.add(item(lByPe.get(pe), rByPe.get(pe), s, path, pe));
                    li++;
                    ri++;
                    if (nextShared < sharedOrder.size() && sharedOrder.get(nextShared).compareTo(pe) == 0) {
                        nextShared++;
                    }
                    continue;
                }
                if (rByPe.containsKey(pe) && nextShared < sharedOrder.size() && sharedOrder.get(nextShared).compareTo(pe) != 0) {
                    li++; // a shared item, but not the one due now: it comes when the configuration names it
                    continue;
                }
            }
            if (li < lItems.size()) {
                PathElement pe = lItems.get(li).element();
                if (!rByPe.containsKey(pe)) {
                    out.add(lItems.get(li).value().deepCopy());
                    li++;
                    continue;
                }
                if (merged.contains(pe)) {
                    li++;
                    continue;
                }
            }
            if (ri < rItems.size()) {
                PathElement pe = rItems.get(ri).element();
                merged.add(pe);
                out.add(item(lByPe.get(pe), rByPe.get(pe), s, path, pe));
                ri++;
                if (nextShared < sharedOrder.size() && sharedOrder.get(nextShared).compareTo(pe) == 0) {
                    nextShared++;
                }
            }
        }
        return out;
    }

    private static JsonNode item(JsonNode l, JsonNode r, Schema list, List<PathElement> path, PathElement pe) {
        JsonNode m = merge(l, r, list.element(), Paths.child(path, pe));
        return m == null ? JsonNodeFactory.instance.nullNode() : m;
    }
}
