package io.kardia.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.store.ReferenceStore.Resolved;
import io.kardia.store.admission.AdmissionRequest;
import io.kardia.store.validation.Validators;
import java.util.List;

/**
 * Runs mutating admission on a create or update and takes its result back into the write: the
 * fields the server owns (name, namespace, uid, creationTimestamp, generation, resourceVersion)
 * stay as they were, and the mutated object is pruned and defaulted again, as kube-apiserver
 * decodes a mutating webhook's result. The write then validates the object as usual. A result
 * that breaks the store's write limits (nesting, field counts, string lengths) is refused at once;
 * the size limit is checked when the write is drafted, as for every write.
 */
final class MutatingAdmission {
    private static final List<String> SERVER_OWNED =
            List.of("name", "namespace", "uid", "creationTimestamp", "generation", "resourceVersion");

    private MutatingAdmission() {
    }

    static ObjectNode apply(ReferenceStore store, Validators validators, Resolved r, AdmissionRequest request) {
        ObjectNode before = request.object();
        ObjectNode after = store.admission.mutate(request, mutated -> store.checkLimits(r, mutated));
        if (after == before) {
            return before;
        }
        store.checkLimits(r, after); // before the recursive walks below see what a mutation built (checked per plugin too)
        JsonNode beforeMeta = before.path("metadata");
        ObjectNode meta = RequestChecks.metadataOf(after);
        for (String field : SERVER_OWNED) {
            JsonNode v = beforeMeta.get(field);
            if (v == null) {
                meta.remove(field);
            } else {
                meta.set(field, v);
            }
        }
        validators.pruneAndDefault(r.resource(), after);
        r.strategy().applyDefaults(after);
        return after;
    }
}
