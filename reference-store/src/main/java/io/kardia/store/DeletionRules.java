package io.kardia.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.model.Status;
import io.kardia.store.ReferenceStore.Outcome;
import io.kardia.store.ReferenceStore.Resolved;
import io.kardia.store.admission.AdmissionRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * kube-apiserver's generic delete rules, whatever the kind: preconditions, grace periods,
 * propagation and cleanup finalizers, marking an object deleted (deletionTimestamp) while
 * finalizers or a grace period keep it, and removing it once nothing does. Per-kind decisions come
 * from the kind's strategy; the store commits the outcome.
 */
final class DeletionRules {
    private final ReferenceStore store;
    private final StoreOptions options;

    DeletionRules(ReferenceStore store, StoreOptions options) {
        this.store = store;
        this.options = options;
    }

    /** What a DELETE does to the newest version {@code cur}: remove it, mark it deleted, or nothing (already marked). */
    Outcome delete(Resolved r, String name, StoredObject cur, DeleteOptions o) {
        if (cur == null) {
            throw KubeApiException.of(Status.notFound(r.type().named(name)));
        }
        JsonNode meta = cur.tree().path("metadata");
        if (o.preconditionUid() != null && !o.preconditionUid().isEmpty() && !o.preconditionUid().equals(meta.path("uid").asText())) {
            throw StoreErrors.uidPrecondition(r.type(), name, o.preconditionUid(), meta.path("uid").asText());
        }
        if (o.preconditionResourceVersion() != null && !o.preconditionResourceVersion().isEmpty()
                && !o.preconditionResourceVersion().equals(cur.resourceVersion())) {
            throw StoreErrors.resourceVersionPrecondition(r.type(), name, o.preconditionResourceVersion(), cur.resourceVersion());
        }
        AdmissionRequest admission = new AdmissionRequest(AdmissionRequest.Operation.DELETE, r.type(), "", cur.namespace(), name,
                null, cur.tree(), o.dryRun());
        store.admission.mutate(admission); // mutating webhooks may refuse a delete; there is nothing to patch
        store.admission.validate(admission);
        long grace = r.strategy().gracePeriodSeconds(cur.tree(), o.gracePeriodSeconds());
        boolean held = !meta.path("finalizers").isEmpty() || r.strategy().keepsDeletedObject(cur.tree());
        if (meta.hasNonNull("deletionTimestamp")) {
            long current = meta.path("deletionGracePeriodSeconds").asLong(0);
            if (grace == 0 && !held) {
                return new Outcome.Remove(ReferenceStore.deletionDraft(cur.json()));
            }
            if (grace < current) {
                return new Outcome.Put(ReferenceStore.deletionDraft(markDeleted(cur.json(), grace, List.of())), StoreEvent.Type.MODIFIED);
            }
            return new Outcome.NoOp(cur);
        }
        List<String> adds = new ArrayList<>();
        String propagationFinalizer = o.propagationPolicy() == null ? null : switch (o.propagationPolicy()) {
            case Foreground -> "foregroundDeletion";
            case Orphan -> "orphan";
            case Background -> null;
        };
        // Without the in-store lifecycle, a CRD waits for the CRD cleanup controller.
        String cleanupFinalizer = options.inStoreLifecycle() ? null : r.strategy().cleanupFinalizer();
        for (String f : Arrays.asList(propagationFinalizer, cleanupFinalizer)) {
            if (f != null && !containsText(meta.path("finalizers"), f)) {
                adds.add(f);
            }
        }
        if (held || !adds.isEmpty() || grace > 0) {
            ObjectNode deleted = markDeleted(cur.json(), grace, adds);
            r.strategy().prepareForDeletion(deleted, store.now());
            return new Outcome.Put(ReferenceStore.deletionDraft(deleted), StoreEvent.Type.MODIFIED);
        }
        return new Outcome.Remove(ReferenceStore.deletionDraft(cur.json()));
    }

    /** kube-apiserver's BeforeDelete: deletionTimestamp = now + grace, generation + 1. */
    ObjectNode markDeleted(ObjectNode obj, long grace, List<String> addFinalizers) {
        ObjectNode meta = RequestChecks.metadataOf(obj);
        meta.put("deletionTimestamp", ReferenceStore.format(options.clock().instant().plusSeconds(grace)));
        meta.put("deletionGracePeriodSeconds", grace);
        if (meta.path("generation").asLong(0) > 0) {
            meta.put("generation", meta.path("generation").asLong(0) + 1);
        }
        addFinalizers.forEach(meta.withArray("finalizers")::add);
        return obj;
    }

    /**
     * A namespace's spec finalizers changed to {@code next}: a Terminating namespace with no
     * finalizer left is removed, as in kube-apiserver; an unchanged one is a no-op.
     */
    Outcome namespaceFinalizersChanged(Resolved r, StoredObject cur, ObjectNode next) {
        JsonNode meta = next.path("metadata");
        if (meta.hasNonNull("deletionTimestamp") && meta.path("finalizers").isEmpty() && !r.strategy().keepsDeletedObject(next)) {
            return new Outcome.Remove(ReferenceStore.deletionDraft(next));
        }
        ObjectNode canonical = Draft.canonical(next);
        if (canonical.equals(cur.tree())) {
            return new Outcome.NoOp(cur);
        }
        return new Outcome.Put(store.draft(r, canonical), StoreEvent.Type.MODIFIED);
    }

    private static boolean containsText(JsonNode array, String value) {
        for (JsonNode n : array) {
            if (n.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }
}
