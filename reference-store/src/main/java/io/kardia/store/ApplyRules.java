package io.kardia.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.json.CodecException;
import io.kardia.core.json.Json;
import io.kardia.core.model.Status;
import io.kardia.store.ReferenceStore.Outcome;
import io.kardia.store.ReferenceStore.Resolved;
import io.kardia.store.fieldpath.ManagedFieldsEntry;
import io.kardia.store.merge.ApplyConflictException;
import io.kardia.store.merge.Conflict;
import io.kardia.store.merge.FieldManager;
import io.kardia.store.merge.MergeException;
import java.util.ArrayList;
import java.util.List;

/**
 * Server-side apply ({@code PATCH} with {@code application/apply-patch+yaml}): checks the applied
 * configuration, merges it into the live object (or creates the object), moves field ownership,
 * and hands the result to the generic create or update rules, so every limit, default and
 * validation of other writes applies to it too.
 */
final class ApplyRules {
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    /** The manager whose applies take over client-side apply's fields (kube-apiserver's rule). */
    private static final String KUBECTL = "kubectl";
    private static final int MAX_MANAGER_LENGTH = 128;

    private final ReferenceStore store;
    private final UpdateRules updateRules;
    private final CreateRules createRules;

    ApplyRules(ReferenceStore store, UpdateRules updateRules, CreateRules createRules) {
        this.store = store;
        this.updateRules = updateRules;
        this.createRules = createRules;
    }

    /** Checks the request before anything is read: a manager is required, the body must name the object. */
    static void checkRequest(Resolved r, String name, ObjectNode config, String manager) {
        if (manager == null || manager.isEmpty()) {
            throw KubeApiException.of(Status.invalid(new Status.ResourceName("meta.k8s.io", "PatchOptions", ""), "PatchOptions.meta.k8s.io",
                    List.of(new Status.Cause("FieldValueRequired", "Required value: is required for apply patch", "fieldManager"))));
        }
        if (manager.length() > MAX_MANAGER_LENGTH) {
            throw KubeApiException.of(Status.invalid(new Status.ResourceName("meta.k8s.io", "PatchOptions", ""), "PatchOptions.meta.k8s.io",
                    List.of(new Status.Cause("FieldValueTooLong", "Too long: may not be more than 128 bytes", "fieldManager"))));
        }
        requireText(config, "apiVersion", "apiVersion");
        requireText(config, "kind", "kind");
        JsonNode meta = config.get("metadata");
        if (meta == null || !meta.isObject()) {
            throw badRequest("metadata.name", "metadata.name is required in an applied configuration");
        }
        JsonNode n = meta.get("name");
        if (n == null || !n.isTextual() || n.asText().isEmpty()) {
            throw badRequest("metadata.name", "metadata.name is required in an applied configuration");
        }
        if (!n.asText().equals(name)) {
            throw badRequest("metadata.name", "the name of the object (" + n.asText() + ") does not match the name on the URL ("
                    + name + ")");
        }
        if (meta.has("managedFields")) {
            throw badRequest("metadata.managedFields", "metadata.managedFields must be nil");
        }
    }

    private static void requireText(ObjectNode config, String field, String display) {
        JsonNode v = config.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw badRequest(display, display + " must be set in an applied configuration (Object '" + (field.equals("kind")
                    ? "Kind" : "apiVersion") + "' is missing)");
        }
    }

    static KubeApiException badRequest(String field, String message) {
        Status.Details d = new Status.Details(null, null, null, null,
                List.of(new Status.Cause("FieldValueInvalid", message, field)), null, null);
        return KubeApiException.of(Status.failure(400, "BadRequest", message, d));
    }

    /** One attempt of an apply over the newest version {@code cur} (null: the object is created). */
    Outcome apply(Resolved r, String ns, String name, StoredObject cur, ObjectNode config, String manager, String subresource,
                  boolean force, ServiceAllocator.Reservation reservation, boolean dryRun) {
        if (cur == null && !subresource.isEmpty()) {
            throw KubeApiException.of(Status.notFound(r.type().named(name)));
        }
        ObjectNode live = cur == null ? JsonNodeFactory.instance.objectNode()
                : (ObjectNode) ManagedFieldsTracker.withoutManagedFields(cur.tree());
        List<ManagedFieldsEntry> managers = ManagedFieldsTracker.stored(cur == null ? null : cur.tree());
        String lastAppliedText = live.path("metadata").path("annotations").path(LAST_APPLIED).asText("");
        JsonNode lastApplied = manager.equals(KUBECTL) ? parseLastApplied(lastAppliedText) : null;
        FieldManager.Applied applied;
        try {
            applied = FieldManager.apply(live, config, store.managedFields.schemaFor(r), managers,
                    new FieldManager.Writer(manager, r.type().apiVersion(), subresource, store.now()), force,
                    ManagedFieldsTracker.scope(r, subresource), lastApplied);
        } catch (ApplyConflictException e) {
            throw KubeApiException.of(conflictStatus(e));
        } catch (MergeException e) {
            throw badRequest(e.field().startsWith(".") ? e.field().substring(1) : e.field(),
                    "failed to create typed patch object (" + r.type().apiVersion() + ", Kind=" + r.type().kind() + "): "
                            + e.getMessage());
        }
        ObjectNode obj = (ObjectNode) applied.object();
        ObjectNode meta = RequestChecks.metadataOf(obj);
        ManagedFieldsTracker.set(meta, applied.managers());
        if (manager.equals(KUBECTL) && !lastAppliedText.isEmpty() && subresource.isEmpty()) {
            // kube-apiserver keeps kubectl's client-side-apply annotation in step with its server-side applies
            meta.with("annotations").put(LAST_APPLIED, lastAppliedOf(config));
        }
        if (cur == null) {
            RequestChecks.checkTypeMeta(r, obj);
            RequestChecks.checkDecodable(r, obj);
            String createNs = RequestChecks.createNamespace(r, ns, meta);
            return new Outcome.Put(createRules.prepare(r, createNs, obj, reservation, dryRun, Ownership.applied(manager, subresource)),
                    StoreEvent.Type.ADDED);
        }
        return updateRules.update(r, ns, name, cur, obj, subresource.equals("status") ? UpdateRules.Part.STATUS
                : UpdateRules.Part.MAIN, reservation, Ownership.applied(manager, subresource), dryRun);
    }

    private static JsonNode parseLastApplied(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return Json.tree(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (CodecException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The applied configuration as kubectl would record it: without the annotation itself. */
    private static String lastAppliedOf(ObjectNode config) {
        ObjectNode c = config.deepCopy();
        JsonNode annotations = c.path("metadata").get("annotations");
        if (annotations instanceof ObjectNode a) {
            a.remove(LAST_APPLIED);
            if (a.isEmpty()) {
                ((ObjectNode) c.get("metadata")).remove("annotations");
            }
        }
        return Json.toString(c) + "\n";
    }

    /** 409 with one {@code FieldManagerConflict} cause per field and manager, worded as kube-apiserver words them. */
    static Status conflictStatus(ApplyConflictException e) {
        List<Status.Cause> causes = new ArrayList<>();
        for (Conflict c : e.conflicts()) {
            causes.add(new Status.Cause("FieldManagerConflict", "conflict with " + c.describeOwner(), c.field()));
        }
        Status.Details d = new Status.Details(null, null, null, null, causes, null, null);
        return Status.failure(409, "Conflict", e.getMessage(), d);
    }
}
