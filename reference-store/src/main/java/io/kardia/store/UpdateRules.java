package io.kardia.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.model.Status;
import io.kardia.store.ReferenceStore.Outcome;
import io.kardia.store.ReferenceStore.Resolved;
import io.kardia.store.admission.AdmissionRequest;
import io.kardia.store.validation.Validators;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * kube-apiserver's generic update rules, whatever the kind (PUT and PATCH, main resource or
 * status): the request checks, resourceVersion and uid preconditions, system fields kept as
 * stored, status written only through its subresource, no new finalizers on an object being
 * deleted, generation, validation, no-op detection, and removal once an object being deleted loses
 * its last finalizer. Per-kind decisions come from the kind's strategy; the store commits the outcome.
 */
final class UpdateRules {
    /** Which part of the object an update writes. */
    enum Part { MAIN, STATUS }

    private static final List<String> SYSTEM_FIELDS =
            List.of("uid", "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds");

    private final ReferenceStore store;
    private final Validators validators;

    UpdateRules(ReferenceStore store, Validators validators) {
        this.store = store;
        this.validators = validators;
    }

    /** What writing {@code obj} over the newest version {@code cur} does: store it, remove the object, or nothing. */
    Outcome update(Resolved r, String ns, String name, StoredObject cur, ObjectNode obj, Part part,
                   ServiceAllocator.Reservation reservation, Ownership who, boolean dryRun) {
        if (cur == null) {
            throw KubeApiException.of(Status.notFound(r.type().named(name)));
        }
        RequestChecks.checkTypeMeta(r, obj);
        RequestChecks.checkDecodable(r, obj);
        validators.pruneAndDefault(r.resource(), obj);
        r.strategy().applyDefaults(obj);
        obj = MutatingAdmission.apply(store, validators, r, new AdmissionRequest(AdmissionRequest.Operation.UPDATE, r.type(),
                part == Part.STATUS ? "status" : "", ns, name, obj, cur.tree(), dryRun));
        ObjectNode meta = RequestChecks.metadataOf(obj);
        RequestChecks.checkUpdateTarget(r, ns, name, meta);
        checkPreconditions(r, name, cur, meta);
        ObjectNode old = cur.tree();
        JsonNode oldMeta = old.path("metadata");
        ObjectNode next = part == Part.STATUS
                ? withNewStatus(r, name, old, obj)
                : withNewMain(r, ns, name, old, obj, reservation);
        if (part == Part.STATUS && !who.tracked()) {
            // an apply to status computed the managed fields itself
            JsonNode mf = meta.get("managedFields");
            ObjectNode nextMeta = RequestChecks.metadataOf(next);
            if (mf == null) {
                nextMeta.remove("managedFields");
            } else {
                nextMeta.set("managedFields", mf);
            }
        }
        RequestChecks.metadataOf(next).put("resourceVersion", cur.resourceVersion());
        if (who.tracked()) {
            store.managedFields.track(r, cur, next, who, store.now());
        }
        ObjectNode canonical = Draft.canonical(next);
        // Validating admission sees every update, a no-op included (as kube-apiserver's).
        store.admission.validate(new AdmissionRequest(AdmissionRequest.Operation.UPDATE, r.type(),
                part == Part.STATUS ? "status" : "", ns, name, canonical, old, dryRun));
        if (canonical.equals(old)) {
            return new Outcome.NoOp(cur);
        }
        JsonNode nm = canonical.path("metadata");
        if (oldMeta.hasNonNull("deletionTimestamp") && nm.path("finalizers").isEmpty()
                && oldMeta.path("deletionGracePeriodSeconds").asLong(0) == 0 && !r.strategy().keepsDeletedObject(canonical)) {
            return new Outcome.Remove(ReferenceStore.deletionDraft(canonical));
        }
        return new Outcome.Put(store.draft(r, canonical), StoreEvent.Type.MODIFIED);
    }

    /** The body's resourceVersion and uid, when set, must be the stored object's. */
    private static void checkPreconditions(Resolved r, String name, StoredObject cur, ObjectNode meta) {
        String rv = meta.path("resourceVersion").asText("");
        if (!rv.isEmpty() && !rv.equals(cur.resourceVersion())) {
            throw KubeApiException.of(Status.staleResourceVersion(r.type().named(name)));
        }
        String uid = meta.path("uid").asText("");
        String storedUid = cur.tree().path("metadata").path("uid").asText();
        if (!uid.isEmpty() && !uid.equals(storedUid)) {
            throw StoreErrors.uidPrecondition(r.type(), name, uid, storedUid);
        }
    }

    /**
     * PUT/PATCH .../status: the stored object with the body's status (or none). Stored trees are
     * never changed, so the new version shares the parts a status write leaves alone (spec...) with
     * the stored one; only the top level and {@code metadata} (whose managedFields and
     * resourceVersion are set next) are new objects. A deep copy was the largest cost of a status write.
     */
    private ObjectNode withNewStatus(Resolved r, String name, ObjectNode old, ObjectNode obj) {
        ObjectNode next = old.objectNode();
        next.setAll(old);
        if (old.get("metadata") instanceof ObjectNode oldMeta) {
            ObjectNode meta = next.objectNode();
            meta.setAll(oldMeta);
            next.set("metadata", meta);
        }
        JsonNode status = obj.get("status");
        if (status == null || status.isNull()) {
            next.remove("status");
        } else {
            next.set("status", status);
        }
        ReferenceStore.throwIfInvalid(r, name, validators.validateStatusUpdate(r.resource(), r.validationVersion(), r.forValidation(next), r.forValidation(old)));
        return next;
    }

    /** PUT/PATCH of the main resource: the body, with system fields (and a status subresource's status) as stored. */
    private ObjectNode withNewMain(Resolved r, String ns, String name, ObjectNode old, ObjectNode next,
                                   ServiceAllocator.Reservation reservation) {
        ObjectNode meta = RequestChecks.metadataOf(next);
        JsonNode oldMeta = old.path("metadata");
        meta.put("name", name);
        if (r.type().namespaced()) {
            meta.put("namespace", ns);
        } else {
            meta.remove("namespace");
        }
        for (String system : SYSTEM_FIELDS) {
            JsonNode v = oldMeta.get(system);
            if (v == null) {
                meta.remove(system);
            } else {
                meta.set(system, v);
            }
        }
        if (r.type().hasStatus()) {
            JsonNode status = old.get("status");
            if (status == null) {
                next.remove("status");
            } else {
                next.set("status", status);
            }
        }
        r.strategy().prepareForUpdate(next, old);
        if (oldMeta.hasNonNull("deletionTimestamp")) {
            checkNoNewFinalizers(r, name, oldMeta, meta);
        }
        if (r.strategy().tracksGeneration() && r.strategy().bumpsGeneration(next, old, r.type().hasStatus())) {
            meta.put("generation", oldMeta.path("generation").asLong(0) + 1);
        }
        if (reservation != null && r.resource().equals("services")) {
            ReferenceStore.throwIfInvalid(r, name, store.serviceAllocator.allocate(ns, name, next, old, reservation));
        }
        ReferenceStore.throwIfInvalid(r, name, validators.validateUpdate(r.resource(), r.validationVersion(), r.type().namespaced(), r.forValidation(next), r.forValidation(old)));
        return next;
    }

    /** An object being deleted may lose finalizers but gain none. */
    private static void checkNoNewFinalizers(Resolved r, String name, JsonNode oldMeta, ObjectNode meta) {
        Set<String> before = new HashSet<>();
        oldMeta.path("finalizers").forEach(f -> before.add(f.asText()));
        List<String> added = new ArrayList<>();
        meta.path("finalizers").forEach(f -> {
            if (!before.contains(f.asText())) {
                added.add(f.asText());
            }
        });
        if (!added.isEmpty()) {
            throw KubeApiException.of(Status.invalid(r.type().named(name), r.qualifiedKind(), List.of(
                    new Status.Cause("FieldValueForbidden", "Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers "
                            + added, "metadata.finalizers"))));
        }
    }
}
