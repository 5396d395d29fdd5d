package io.kardia.store.merge;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.store.fieldpath.PathElement;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** How list items are named in field paths: by their key fields, by value (sets), or by position. */
final class Items {
    private Items() {
    }

    static PathElement element(Schema list, JsonNode item, int index, String where) {
        switch (list.listType()) {
            case ATOMIC -> {
                return new PathElement.Index(index);
            }
            case SET -> {
                if (item.isContainerNode()) {
                    throw new MergeException(where, "a set (x-kubernetes-list-type: set) holds scalars only, element "
                            + index + " is " + (item.isObject() ? "an object" : "a list"));
                }
                return new PathElement.Value(Paths.normalized(item));
            }
            default -> {
                if (list.keys().isEmpty()) {
                    if (item.isContainerNode()) {
                        throw new MergeException(where, "an associative list without keys holds scalars only");
                    }
                    return new PathElement.Value(Paths.normalized(item));
                }
                if (!item.isObject()) {
                    throw new MergeException(where, "element " + index + " of an associative list with keys must be an object");
                }
                SortedMap<String, JsonNode> keys = new TreeMap<>();
                for (String k : list.keys()) {
                    JsonNode v = item.get(k);
                    if (v == null || v.isNull()) {
                        v = list.keyDefault(k);
                        if (v == null) {
                            throw new MergeException(where, "associative list with keys has an element that omits key field \""
                                    + k + "\" (and doesn't have default value)");
                        }
                    }
                    if (v.isContainerNode()) {
                        throw new MergeException(where, "key field \"" + k + "\" of element " + index + " must be a scalar");
                    }
                    keys.put(k, Paths.normalized(v));
                }
                return new PathElement.Key(keys);
            }
        }
    }

    /**
     * The items of a non-atomic list with their path elements.
     *
     * @param allowDuplicates live objects may hold duplicates (the first one wins); applied configurations may not
     */
    static List<Item> index(Schema list, JsonNode array, String where, boolean allowDuplicates) {
        List<Item> out = new ArrayList<>();
        if (array == null || !array.isArray()) {
            return out;
        }
        TreeMap<PathElement, Boolean> seen = new TreeMap<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode item = array.get(i);
            PathElement pe = element(list, item, i, where);
            if (seen.put(pe, Boolean.TRUE) != null) {
                if (!allowDuplicates) {
                    throw new MergeException(where, "duplicate entries for key " + pe.display());
                }
                continue;
            }
            out.add(new Item(pe, item));
        }
        return out;
    }

    record Item(PathElement element, JsonNode value) {
    }
}
