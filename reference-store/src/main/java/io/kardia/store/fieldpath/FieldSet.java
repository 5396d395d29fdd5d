package io.kardia.store.fieldpath;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A set of field paths, kept as structured-merge-diff keeps it: a tree whose nodes have
 * <em>members</em> (paths in the set that end here) and <em>children</em> (subtrees). A path can be
 * both a member and a prefix of other members (a list item owned as a whole and field by field),
 * which FieldsV1 writes as a {@code ".": {}} entry.
 *
 * <p>Mutable; {@link #copy()} before sharing.
 */
public final class FieldSet {
    private final TreeSet<PathElement> members = new TreeSet<>();
    private final TreeMap<PathElement, FieldSet> children = new TreeMap<>();

    public static FieldSet of(List<List<PathElement>> paths) {
        FieldSet s = new FieldSet();
        paths.forEach(s::insert);
        return s;
    }

    public FieldSet copy() {
        FieldSet c = new FieldSet();
        c.members.addAll(members);
        children.forEach((k, v) -> c.children.put(k, v.copy()));
        return c;
    }

    public boolean isEmpty() {
        if (!members.isEmpty()) {
            return false;
        }
        for (FieldSet c : children.values()) {
            if (!c.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Adds {@code path} as a member (an empty path adds nothing). */
    public void insert(List<PathElement> path) {
        if (path.isEmpty()) {
            return;
        }
        FieldSet node = this;
        for (int i = 0; i < path.size() - 1; i++) {
            node = node.children.computeIfAbsent(path.get(i), k -> new FieldSet());
        }
        node.members.add(path.get(path.size() - 1));
    }

    /** Whether {@code path} is a member. */
    public boolean has(List<PathElement> path) {
        FieldSet node = nodeAt(path.subList(0, Math.max(0, path.size() - 1)));
        return node != null && !path.isEmpty() && node.members.contains(path.get(path.size() - 1));
    }

    /** Whether {@code path} or any path below it is a member. */
    public boolean hasAtOrBelow(List<PathElement> path) {
        if (path.isEmpty()) {
            return !isEmpty();
        }
        if (has(path)) {
            return true;
        }
        FieldSet below = nodeAt(path);
        return below != null && !below.isEmpty();
    }

    /** Whether some member lies strictly below {@code path}. */
    public boolean hasBelow(List<PathElement> path) {
        FieldSet below = nodeAt(path);
        return below != null && !below.isEmpty();
    }

    /** The subtree below {@code path} (paths relative to it), or an empty set. */
    public FieldSet below(List<PathElement> path) {
        FieldSet n = nodeAt(path);
        return n == null ? new FieldSet() : n.copy();
    }

    private FieldSet nodeAt(List<PathElement> path) {
        FieldSet node = this;
        for (PathElement e : path) {
            node = node.children.get(e);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    public FieldSet union(FieldSet other) {
        FieldSet out = copy();
        out.addAll(other);
        return out;
    }

    private void addAll(FieldSet other) {
        members.addAll(other.members);
        other.children.forEach((k, v) -> children.computeIfAbsent(k, x -> new FieldSet()).addAll(v));
    }

    /** The members of this set that are not members of {@code other}. */
    public FieldSet difference(FieldSet other) {
        FieldSet out = new FieldSet();
        for (PathElement m : members) {
            if (!other.members.contains(m)) {
                out.members.add(m);
            }
        }
        children.forEach((k, v) -> {
            FieldSet o = other.children.get(k);
            FieldSet d = o == null ? v.copy() : v.difference(o);
            if (!d.isEmpty()) {
                out.children.put(k, d);
            }
        });
        return out;
    }

    /** The members of this set that are also members of {@code other}. */
    public FieldSet intersection(FieldSet other) {
        FieldSet out = new FieldSet();
        for (PathElement m : members) {
            if (other.members.contains(m)) {
                out.members.add(m);
            }
        }
        children.forEach((k, v) -> {
            FieldSet o = other.children.get(k);
            if (o != null) {
                FieldSet i = v.intersection(o);
                if (!i.isEmpty()) {
                    out.children.put(k, i);
                }
            }
        });
        return out;
    }

    /** The members of this set that are neither in {@code other} nor below a member of it. */
    public FieldSet recursiveDifference(FieldSet other) {
        FieldSet out = new FieldSet();
        for (PathElement m : members) {
            if (!other.members.contains(m)) {
                out.members.add(m);
            }
        }
        children.forEach((k, v) -> {
            if (other.members.contains(k)) {
                return;
            }
            FieldSet o = other.children.get(k);
            FieldSet d = o == null ? v.copy() : v.recursiveDifference(o);
            if (!d.isEmpty()) {
                out.children.put(k, d);
            }
        });
        return out;
    }

    /** Only the members at or below the given top-level fields. */
    public FieldSet onlyUnder(PathElement top) {
        FieldSet out = new FieldSet();
        if (members.contains(top)) {
            out.members.add(top);
        }
        FieldSet c = children.get(top);
        if (c != null) {
            out.children.put(top, c.copy());
        }
        return out;
    }

    /**
     * This set cut at {@code levels} path elements: a path below is owned through its ancestor at
     * that depth. Keeps managedFields of very deep objects within the store's nesting limit.
     */
    public FieldSet truncated(int levels) {
        FieldSet out = new FieldSet();
        out.members.addAll(members);
        children.forEach((k, v) -> {
            if (v.isEmpty()) {
                return;
            }
            if (levels <= 1) {
                out.members.add(k);
            } else {
                out.children.put(k, v.truncated(levels - 1));
            }
        });
        return out;
    }

    /** Every member path, in order. */
    public void forEachPath(Consumer<List<PathElement>> action) {
        walk(new ArrayList<>(), action);
    }

    public List<List<PathElement>> paths() {
        List<List<PathElement>> out = new ArrayList<>();
        forEachPath(out::add);
        return out;
    }

    private void walk(List<PathElement> prefix, Consumer<List<PathElement>> action) {
        TreeSet<PathElement> all = new TreeSet<>(members);
        all.addAll(children.keySet());
        for (PathElement e : all) {
            prefix.add(e);
            if (members.contains(e)) {
                action.accept(List.copyOf(prefix));
            }
            FieldSet c = children.get(e);
            if (c != null) {
                c.walk(prefix, action);
            }
            prefix.remove(prefix.size() - 1);
        }
    }

    Iterable<PathElement> memberElements() {
        return Collections.unmodifiableSet(members);
    }

    Map<PathElement, FieldSet> childNodes() {
        return Collections.unmodifiableMap(children);
    }

    void addMember(PathElement e) {
        members.add(e);
    }

    FieldSet child(PathElement e) {
        return children.computeIfAbsent(e, k -> new FieldSet());
    }

    /**
     * Equal when the two sets encode to the same FieldsV1 JSON, decided without building it: the
     * same keys at every level; a key without (non-empty) children encodes as {@code {}} whether it
     * is a member or not; a key with children must also agree on membership (the {@code "."}).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSet f && sameEncoding(this, f);
    }

    private static boolean sameEncoding(FieldSet a, FieldSet b) {
        if (!sameKeys(a, b) || !sameKeys(b, a)) {
            return false;
        }
        for (Map.Entry<PathElement, FieldSet> e : a.children.entrySet()) {
            FieldSet ca = e.getValue();
            FieldSet cb = b.children.get(e.getKey());
            boolean aHas = !ca.isEmpty();
            boolean bHas = cb != null && !cb.isEmpty();
            if (aHas != bHas) {
                return false;
            }
            if (aHas && (a.members.contains(e.getKey()) != b.members.contains(e.getKey()) || !sameEncoding(ca, cb))) {
                return false;
            }
        }
        for (Map.Entry<PathElement, FieldSet> e : b.children.entrySet()) {
            if (!a.children.containsKey(e.getKey()) && !e.getValue().isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Whether every key of {@code a} (member or child) is a key of {@code b}. */
    private static boolean sameKeys(FieldSet a, FieldSet b) {
        for (PathElement m : a.members) {
            if (!b.members.contains(m) && !b.children.containsKey(m)) {
                return false;
            }
        }
        for (PathElement k : a.children.keySet()) {
            if (!b.members.contains(k) && !b.children.containsKey(k)) {
                return false;
            }
        }
        return true;
    }

    /** Over the top-level keys only (equal sets have the same ones): cheap, and consistent with {@link #equals}. */
    @Override
    public int hashCode() {
        TreeSet<PathElement> keys = new TreeSet<>(members);
        keys.addAll(children.keySet());
        return keys.hashCode();
    }

    /** Whether every member of {@code other} is a member of this set (their {@link #union} is this set). */
    public boolean containsAll(FieldSet other) {
        if (!members.containsAll(other.members)) {
            return false;
        }
        for (Map.Entry<PathElement, FieldSet> e : other.children.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            FieldSet mine = children.get(e.getKey());
            if (mine == null || !mine.containsAll(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** Whether some member of this set is a member of {@code other} (their {@link #intersection} is not empty). */
    public boolean intersects(FieldSet other) {
        for (PathElement m : members) {
            if (other.members.contains(m)) {
                return true;
            }
        }
        for (Map.Entry<PathElement, FieldSet> e : children.entrySet()) {
            FieldSet o = other.children.get(e.getKey());
            if (o != null && e.getValue().intersects(o)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        forEachPath(p -> b.append(PathElement.display(p)).append('\n'));
        return b.toString();
    }
}
