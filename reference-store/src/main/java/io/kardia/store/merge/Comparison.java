package io.kardia.store.merge;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.store.fieldpath.FieldSet;
import io.kardia.store.fieldpath.PathElement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What changed between two versions of an object, field by field, as structured-merge-diff's
 * {@code Compare} reports it: fields added, modified (a different value) and removed.
 *
 * <p>Deviation: structured-merge-diff also records a newly added nested struct itself when Go
 * serializes it as a pointer (so {@code f:rollingUpdate} gets a {@code ".": {}}); pointer-ness is
 * not in the published schemas, so here an added struct is never recorded itself, only its fields
 * (maps, list items and empty values are, as in kube-apiserver).
 *
 * <p>The root's {@code metadata.managedFields} is never compared: no manager owns it, so callers
 * need not copy objects to leave it out.
 */
public record Comparison(FieldSet added, FieldSet modified, FieldSet removed) {
    private static final PathElement METADATA = PathElement.field("metadata");
    private static final Predicate<String> ALL = k -> true;

    public static Comparison of(JsonNode before, JsonNode after, Schema schema) {
        return of(before, after, schema, ALL);
    }

    /**
     * As {@link #of(JsonNode, JsonNode, Schema)}, but only the root's fields that {@code rootFields}
     * accepts are compared: a caller that keeps only part of the answer (a status write looks at
     * {@code status} alone) need not walk the rest.
     */
    public static Comparison of(JsonNode before, JsonNode after, Schema schema, Predicate<String> rootFields) {
        Comparison c = new Comparison(new FieldSet(), new FieldSet(), new FieldSet());
        c.compare(before, after, schema, new ArrayList<>(), false, rootFields);
        return c;
    }

    /** Added and modified together: what the writer took. */
    public FieldSet changed() {
        return added.union(modified);
    }

    private void compare(JsonNode lhs, JsonNode rhs, Schema declared, List<PathElement> path, boolean ownedWhole,
                         Predicate<String> rootFields) {
        if (lhs == null && rhs == null) {
            return;
        }
        Schema ls = Schema.resolve(declared, lhs);
        Schema rs = Schema.resolve(declared, rhs);
        Schema s = rhs != null ? rs : ls;
        if (lhs != null && rhs != null && ls.kind() != rs.kind()) {
            leaf(lhs, rhs, path);
            return;
        }
        switch (s.kind()) {
            case STRUCT, MAP -> {
                boolean lEmpty = lhs == null || !lhs.isObject() || lhs.isEmpty();
                boolean rEmpty = rhs == null || !rhs.isObject() || rhs.isEmpty();
                if (s.atomic() || (lEmpty && rEmpty) || (lhs != null && !lhs.isObject()) || (rhs != null && !rhs.isObject())) {
                    leaf(lhs, rhs, path);
                    return;
                }
                Map<String, Boolean> keys = new LinkedHashMap<>();
                if (lhs != null) {
                    lhs.fieldNames().forEachRemaining(k -> keys.put(k, true));
                }
                if (rhs != null) {
                    rhs.fieldNames().forEachRemaining(k -> keys.put(k, true));
                }
                for (String k : keys.keySet()) {
                    if (k.equals("managedFields") && isRootMetadata(path)) {
                        continue; // never owned (FieldManager strips it): comparing it would only cost time
                    }
                    if (path.isEmpty() && !rootFields.test(k)) {
                        continue;
                    }
                    boolean whole = !(s.kind() == Schema.Kind.STRUCT && s.declares(k));
                    compare(lhs == null ? null : lhs.get(k), rhs == null ? null : rhs.get(k), s.field(k),
                            Paths.child(path, PathElement.field(k)), whole, ALL);
                }
                if (ownedWhole || s.kind() == Schema.Kind.MAP || rhs == null) {
                    mark(lhs, rhs, path);
                }
            }
            case LIST -> {
                boolean lEmpty = lhs == null || !lhs.isArray() || lhs.isEmpty();
                boolean rEmpty = rhs == null || !rhs.isArray() || rhs.isEmpty();
                if (s.atomic() || (lEmpty && rEmpty) || (lhs != null && !lhs.isArray()) || (rhs != null && !rhs.isArray())) {
                    leaf(lhs, rhs, path);
                    return;
                }
                String where = Paths.display(path);
                TreeMap<PathElement, JsonNode[]> items = new TreeMap<>();
                List<PathElement> order = new ArrayList<>();
                for (Items.Item i : Items.index(s, rhs, where, true)) {
                    items.put(i.element(), new JsonNode[] {null, i.value()});
                    order.add(i.element());
                }
                for (Items.Item i : Items.index(s, lhs, where, true)) {
                    JsonNode[] pair = items.get(i.element());
                    if (pair == null) {
                        items.put(i.element(), new JsonNode[] {i.value(), null});
                        order.add(i.element());
                    } else {
                        pair[0] = i.value();
                    }
                }
                for (PathElement pe : order) {
                    JsonNode[] pair = items.get(pe);
                    compare(pair[0], pair[1], s.element(), Paths.child(path, pe), true, ALL);
                }
                mark(lhs, rhs, path);
            }
            default -> leaf(lhs, rhs, path);
        }
    }

    private static boolean isRootMetadata(List<PathElement> path) {
        return path.size() == 1 && path.getFirst().equals(METADATA);
    }

    private void mark(JsonNode lhs, JsonNode rhs, List<PathElement> path) {
        if (lhs == null) {
            added.insert(path);
        } else if (rhs == null) {
            removed.insert(path);
        }
    }

    private void leaf(JsonNode lhs, JsonNode rhs, List<PathElement> path) {
        if (lhs == null) {
            added.insert(path);
        } else if (rhs == null) {
            removed.insert(path);
        } else if (!Equality.same(lhs, rhs)) {
            modified.insert(path);
        }
    }

    static Iterator<String> names(JsonNode o) {
        return o == null ? java.util.Collections.emptyIterator() : o.fieldNames();
    }
}
