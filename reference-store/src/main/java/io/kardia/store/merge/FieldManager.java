package io.kardia.store.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kardia.store.fieldpath.FieldSet;
import io.kardia.store.fieldpath.ManagedFieldsEntry;
import io.kardia.store.fieldpath.PathElement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Field ownership through writes, as kube-apiserver's field manager keeps it.
 *
 * <ul>
 *   <li>An <b>update</b> (create, PUT, any non-apply patch) gives its manager the fields it added or
 *       changed (merged into the manager's entry for the same operation, subresource and
 *       apiVersion), takes them from every other manager, and drops removed fields from everyone.</li>
 *   <li>An <b>apply</b> makes its manager own exactly the fields of its configuration, merges the
 *       configuration into the object, removes what the manager applied before and no longer
 *       applies (unless another manager owns it), and fails with the conflicts when it would change
 *       fields others own, unless forced (the others then lose them).</li>
 * </ul>
 * The object's own identity fields (apiVersion, kind, name, namespace, uid, ...) are never owned.
 */
public final class FieldManager {
    /** Who writes, in which version, through which subresource, at what time (RFC 3339, seconds). */
    public record Writer(String manager, String apiVersion, String subresource, String time) {
    }

    /** Which part of the object a write may own: everything, all but status, or status alone. */
    public enum Scope { WHOLE, WITHOUT_STATUS, STATUS_ONLY }

    /** The result of an apply: the merged object (without managedFields) and the new ownership. */
    public record Applied(JsonNode object, List<ManagedFieldsEntry> managers) {
    }

    private static final FieldSet STRIPPED = FieldSet.of(List.of(
            List.of(PathElement.field("apiVersion")),
            List.of(PathElement.field("kind")),
            List.of(PathElement.field("metadata")),
            meta("name"), meta("namespace"), meta("creationTimestamp"), meta("selfLink"), meta("uid"),
            meta("clusterName"), meta("generation"), meta("managedFields"), meta("resourceVersion")));
    private static final PathElement STATUS = PathElement.field("status");
    /** The manager kube-apiserver gives the fields of an object that had no managed fields when first applied to. */
    public static final String BEFORE_FIRST_APPLY = "before-first-apply";

    private FieldManager() {
    }

    private static List<PathElement> meta(String f) {
        return List.of(PathElement.field("metadata"), PathElement.field(f));
    }

    /** The ownership after a non-apply write of {@code next} over {@code live} (null on create). */
    public static List<ManagedFieldsEntry> update(JsonNode live, JsonNode next, Schema schema, List<ManagedFieldsEntry> managers,
                                                  Writer w, Scope scope) {
        Comparison cmp = Comparison.of(live == null ? JsonNodeFactory.instance.objectNode() : live, next, schema,
                inScope(scope));
        FieldSet changed = scoped(cmp.changed(), scope).difference(STRIPPED);
        FieldSet removed = scoped(cmp.removed(), scope);
        List<ManagedFieldsEntry> out = new ArrayList<>();
        ManagedFieldsEntry previous = null;
        ManagedFieldsEntry.ManagerKey key = new ManagedFieldsEntry(w.manager(), ManagedFieldsEntry.UPDATE, w.apiVersion(), null,
                w.subresource(), new FieldSet()).key();
        for (ManagedFieldsEntry m : managers) {
            boolean writers = m.key().equals(key);
            // Untouched entries stay the same instances (their stored encoding is reused): another
            // manager's that the write does not touch, and the writer's own when it already owns
            // every changed field (taking them away and giving them back gives the same set).
            ManagedFieldsEntry kept = removed.intersects(m.fields())
                    || (writers ? !m.fields().containsAll(changed) : changed.intersects(m.fields()))
                    ? m.withFields(m.fields().difference(changed).difference(removed))
                    : m;
            if (writers) {
                previous = kept;
            } else {
                out.add(kept);
            }
        }
        if (!changed.isEmpty()) {
            FieldSet mine = previous == null ? changed
                    : previous.fields().containsAll(changed) ? previous.fields() : previous.fields().union(changed);
            out.add(new ManagedFieldsEntry(w.manager(), ManagedFieldsEntry.UPDATE, w.apiVersion(), w.time(), w.subresource(), mine));
        } else if (previous != null) {
            out.add(previous);
        }
        return nonEmpty(out);
    }

    /**
     * Applies {@code config} over {@code live} (an empty object on create).
     *
     * @param lastApplied for manager {@code kubectl}: the object's client-side-apply annotation, parsed (else null);
     *                    conflicts on fields it still holds unchanged are taken over, as kube-apiserver does when
     *                    kubectl moves from client-side to server-side apply
     * @throws ApplyConflictException when not forced and other managers own fields the apply changes
     * @throws MergeException         when the configuration does not fit the schema's lists
     */
    public static Applied apply(JsonNode live, JsonNode config, Schema schema, List<ManagedFieldsEntry> current, Writer w,
                                boolean force, Scope scope, JsonNode lastApplied) {
        FieldSet applied = scoped(FieldSets.of(config, schema), scope);
        List<ManagedFieldsEntry> managers = current;
        if (managers.isEmpty() && live.isObject() && !live.isEmpty()) {
            // As kube-apiserver: what the object held before its first tracked write belongs to "before-first-apply".
            managers = update(JsonNodeFactory.instance.objectNode(), live, schema, List.of(),
                    new Writer(BEFORE_FIRST_APPLY, w.apiVersion(), "", w.time()), Scope.WHOLE);
        }
        ManagedFieldsEntry mine = new ManagedFieldsEntry(w.manager(), ManagedFieldsEntry.APPLY, w.apiVersion(), w.time(),
                w.subresource(), applied);
        FieldSet last = null;
        List<ManagedFieldsEntry> others = new ArrayList<>();
        for (ManagedFieldsEntry m : managers) {
            if (m.key().equals(mine.key())) {
                last = m.fields();
            } else {
                others.add(m);
            }
        }
        JsonNode merged = Merge.merge(live, config, schema);
        FieldSet owned = applied;
        for (ManagedFieldsEntry m : others) {
            owned = owned.union(m.fields());
        }
        Prune.prune(merged, schema, last, owned);
        Comparison cmp = Comparison.of(live, merged, schema, inScope(scope));
        FieldSet changed = scoped(cmp.changed(), scope);
        FieldSet removed = scoped(cmp.removed(), scope);
        List<Conflict> conflicts = new ArrayList<>();
        for (ManagedFieldsEntry m : others) {
            m.fields().intersection(changed).forEachPath(p -> conflicts.add(new Conflict(m, p)));
        }
        if (!conflicts.isEmpty() && !force) {
            List<Conflict> remaining = notAllowedByLastApplied(conflicts, lastApplied, live, schema);
            if (!remaining.isEmpty()) {
                throw new ApplyConflictException(remaining);
            }
        }
        List<ManagedFieldsEntry> out = new ArrayList<>();
        for (ManagedFieldsEntry m : others) {
            out.add(m.withFields(m.fields().difference(changed).difference(removed)));
        }
        FieldSet kept = applied.difference(STRIPPED);
        boolean same = last != null && last.equals(kept);
        String time = same && changed.isEmpty() && removed.isEmpty() ? previousTime(managers, mine) : w.time();
        out.add(new ManagedFieldsEntry(w.manager(), ManagedFieldsEntry.APPLY, w.apiVersion(), time, w.subresource(), kept));
        return new Applied(merged, nonEmpty(out));
    }

    private static String previousTime(List<ManagedFieldsEntry> managers, ManagedFieldsEntry mine) {
        for (ManagedFieldsEntry m : managers) {
            if (m.key().equals(mine.key())) {
                return m.time() == null ? mine.time() : m.time();
            }
        }
        return mine.time();
    }

    /**
     * kube-apiserver's client-side-apply upgrade: conflicts on fields that kubectl's last-applied
     * annotation holds, with the value the object still has, are not conflicts for kubectl.
     */
    private static List<Conflict> notAllowedByLastApplied(List<Conflict> conflicts, JsonNode lastApplied, JsonNode live,
                                                          Schema schema) {
        if (lastApplied == null || !lastApplied.isObject()) {
            return conflicts;
        }
        FieldSet allowed;
        try {
            Comparison cmp = Comparison.of(lastApplied, live, schema);
            allowed = FieldSets.of(lastApplied, schema).difference(cmp.modified()).difference(cmp.removed());
        } catch (MergeException e) {
            return conflicts;
        }
        List<Conflict> out = new ArrayList<>();
        for (Conflict c : conflicts) {
            if (!allowed.has(c.path())) {
                out.add(c);
            }
        }
        return out;
    }

    /** The root fields whose changes {@link #scoped} can keep: the others need not be compared. */
    private static Predicate<String> inScope(Scope scope) {
        return switch (scope) {
            case WHOLE -> k -> true;
            case WITHOUT_STATUS -> k -> !k.equals("status");
            case STATUS_ONLY -> k -> k.equals("status");
        };
    }

    private static FieldSet scoped(FieldSet s, Scope scope) {
        return switch (scope) {
            case WHOLE -> s;
            case WITHOUT_STATUS -> s.recursiveDifference(FieldSet.of(List.of(List.of(STATUS))));
            case STATUS_ONLY -> s.onlyUnder(STATUS);
        };
    }

    private static List<ManagedFieldsEntry> nonEmpty(List<ManagedFieldsEntry> entries) {
        List<ManagedFieldsEntry> out = new ArrayList<>();
        for (ManagedFieldsEntry e : entries) {
            if (!STRIPPED.intersects(e.fields())) {
                if (!e.fields().isEmpty()) {
                    out.add(e);
                }
                continue;
            }
            FieldSet f = e.fields().difference(STRIPPED);
            if (!f.isEmpty()) {
                out.add(e.withFields(f));
            }
        }
        return out;
    }
}
