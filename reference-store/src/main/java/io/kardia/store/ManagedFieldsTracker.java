package io.kardia.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.kubeapi.KubeApiCatalog;
import io.kardia.store.fieldpath.FieldSet;
import io.kardia.store.fieldpath.ManagedFieldsCodec;
import io.kardia.store.fieldpath.ManagedFieldsEntry;
import io.kardia.store.merge.BuiltInSchemas;
import io.kardia.store.merge.CrdSchemas;
import io.kardia.store.merge.FieldManager;
import io.kardia.store.merge.MergeException;
import io.kardia.store.merge.Schema;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records field ownership on every create, update and non-apply patch, as kube-apiserver's field
 * manager does: the managed fields a client sends are taken as the starting point when they
 * decode (else the stored ones are, so clients unaware of the field cannot drop it); a list of
 * one empty entry ({@code [{}]}) strips them; an object that has none is not tracked again until
 * the next apply.
 */
final class ManagedFieldsTracker {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedFieldsTracker.class);

    private final TypeRegistry types;
    /** Built-in kinds' schemas by apiVersion/kind (a catalog search otherwise on every write). */
    private final java.util.Map<String, Schema> builtIn = new java.util.concurrent.ConcurrentHashMap<>();

    ManagedFieldsTracker(TypeRegistry types) {
        this.types = types;
    }

    /** The schema server-side apply merges the kind by: the catalog's for built-ins, the CRD's for custom kinds. */
    Schema schemaFor(ReferenceStore.Resolved r) {
        return schemaFor(r.type());
    }

    /** The merge schema of {@code type} (its storage version). */
    Schema schemaFor(io.kardia.core.model.ResourceType<?> type) {
        if (types.isBuiltIn(type.groupResource())) {
            return builtIn.computeIfAbsent(type.apiVersion() + "/" + type.kind(), k ->
                    KubeApiCatalog.get().resourceForKind(type.group(), type.version(), type.kind())
                            .flatMap(a -> BuiltInSchemas.forType(a.type()))
                            .orElse(Schema.UNTYPED));
        }
        return CrdSchemas.root(types.customSchema(type).orElse(null));
    }

    static FieldManager.Scope scope(ReferenceStore.Resolved r, String subresource) {
        if (subresource.equals("status")) {
            return FieldManager.Scope.STATUS_ONLY;
        }
        return r.type().hasStatus() ? FieldManager.Scope.WITHOUT_STATUS : FieldManager.Scope.WHOLE;
    }

    /** Sets {@code next}'s managed fields for a non-apply write over the stored {@code cur} (null on create). */
    void track(ReferenceStore.Resolved r, StoredObject cur, ObjectNode next, Ownership who, String now) {
        ObjectNode old = cur == null ? null : cur.tree();
        ObjectNode meta = RequestChecks.metadataOf(next);
        JsonNode sent = meta.get("managedFields");
        if (isReset(sent)) {
            meta.remove("managedFields");
            return;
        }
        JsonNode storedList = old == null ? null : old.path("metadata").get("managedFields");
        List<ManagedFieldsEntry> base = null;
        boolean fromStore = false;
        if (who.subresource().isEmpty()) {
            if (sent != null && sent.equals(storedList)) {
                base = cur.managedFields(); // sent back as read: the stored entries, decoded once per version
                fromStore = true;
            } else {
                base = decodeOrNull(sent);
            }
        }
        if (base == null || base.isEmpty()) {
            base = old == null ? List.of() : cur.managedFields();
            fromStore = true;
        }
        if (base == null || (base.isEmpty() && old != null)) {
            // nothing tracked (or stored ones unreadable): stays untracked until the next apply
            meta.remove("managedFields");
            return;
        }
        try {
            List<ManagedFieldsEntry> after = FieldManager.update(old, next,
                    schemaFor(r), base, new FieldManager.Writer(who.manager(), r.type().apiVersion(), who.subresource(), now),
                    scope(r, who.subresource()));
            set(meta, after, fromStore ? storedEncodings(base, storedList) : f -> null);
        } catch (MergeException e) {
            // As kube-apiserver: ownership that cannot be computed is dropped, never half-written.
            LOG.warn("managed fields of {} {} dropped: {}", r.qualifiedKind(), meta.path("name").asText(), e.getMessage());
            meta.remove("managedFields");
        }
    }

    static void set(ObjectNode meta, List<ManagedFieldsEntry> entries) {
        set(meta, entries, e -> null);
    }

    /** As {@link #set(ObjectNode, List)}, taking the FieldsV1 JSON of field sets {@code known} has (shared: stored JSON, never changed) instead of encoding them again. */
    private static void set(ObjectNode meta, List<ManagedFieldsEntry> entries, Function<FieldSet, JsonNode> known) {
        ArrayNode encoded = ManagedFieldsCodec.encode(entries, known);
        if (encoded.isEmpty()) {
            meta.remove("managedFields");
        } else {
            meta.set("managedFields", encoded);
        }
    }

    /**
     * The stored FieldsV1 JSON of each field set decoded from the stored list, by set (identity): a
     * set a write leaves untouched is the same instance afterwards (FieldManager keeps it), and its
     * stored JSON (which this class encoded) is what encoding it again would give. Nothing when the
     * entries were not read from the store.
     */
    private static Function<FieldSet, JsonNode> storedEncodings(List<ManagedFieldsEntry> decoded, JsonNode storedList) {
        if (storedList == null || !storedList.isArray() || storedList.size() != decoded.size()) {
            return f -> null;
        }
        Map<FieldSet, JsonNode> bySet = new IdentityHashMap<>();
        for (int i = 0; i < decoded.size(); i++) {
            bySet.put(decoded.get(i).fields(), storedList.get(i).get("fieldsV1"));
        }
        return bySet::get;
    }

    /** The stored entries, or empty when there are none or they do not decode. */
    static List<ManagedFieldsEntry> stored(JsonNode object) {
        List<ManagedFieldsEntry> d = object == null ? List.of() : decodeOrNull(object.path("metadata").get("managedFields"));
        return d == null ? List.of() : d;
    }

    static List<ManagedFieldsEntry> decodeOrNull(JsonNode list) {
        try {
            return ManagedFieldsCodec.decode(list);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static boolean isReset(JsonNode sent) {
        return ManagedFieldsCodec.isReset(sent);
    }

    static JsonNode withoutManagedFields(ObjectNode o) {
        if (o == null) {
            return null;
        }
        if (!o.path("metadata").has("managedFields")) {
            return o;
        }
        ObjectNode c = o.deepCopy();
        ((ObjectNode) c.get("metadata")).remove("managedFields");
        return c;
    }
}
