package io.kardia.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.model.Status;
import io.kardia.store.ReferenceStore.Resolved;
import io.kardia.store.patch.JsonPatch;
import java.util.List;

/**
 * The limits every object the store writes is held to before the write is acknowledged: the
 * shared {@link WriteLimits} (checked on the tree, before serializing it) and the size limit; and
 * what a JSON patch may add while it is applied. Deletions are exempt (see
 * {@link ReferenceStore#deletionDraft}).
 */
final class DraftChecks {
    private final WriteLimits limits;
    private final int maxObjectBytes;

    DraftChecks(WriteLimits limits, int maxObjectBytes) {
        this.limits = limits;
        this.maxObjectBytes = maxObjectBytes;
    }

    Draft draft(Resolved r, ObjectNode obj) {
        checkLimits(r, obj);
        Draft d = Draft.of(obj);
        if (d.size() > maxObjectBytes) {
            throw KubeApiException.of(Status.tooLarge("Request entity too large: limit is " + maxObjectBytes));
        }
        return d;
    }

    /**
     * Refuses {@code obj} (422, the first limit it breaks) when it breaks the write limits. Also
     * run on what mutating admission returns, before the store prunes, defaults and validates it,
     * so a mutation cannot hand those recursive walks an object nested without bound.
     */
    void checkLimits(Resolved r, ObjectNode obj) {
        Status.Cause broken = limits.firstViolation(obj);
        if (broken != null) {
            throw KubeApiException.of(Status.invalid(r.type().named(obj.path("metadata").path("name").asText("")),
                    r.qualifiedKind(), List.of(broken)));
        }
    }

    /**
     * What a JSON patch may add while it is applied: no more nodes than an object of the size limit
     * can hold (a node takes at least two bytes), nested no deeper than the write limits allow.
     */
    JsonPatch.Budget patchBudget() {
        return new JsonPatch.Budget(maxObjectBytes / 2, limits.maxDepth());
    }
}
