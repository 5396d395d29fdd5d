package io.kardia.store.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.validation.Causes;
import io.kardia.store.validation.NameRules;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A namespace's {@code spec.finalizers}, which only the {@code finalize} subresource changes:
 * what a finalize request may set, and the namespace with its finalizers replaced.
 */
public final class NamespaceFinalizers {
    private NamespaceFinalizers() {
    }

    /** What is wrong with the {@code spec.finalizers} of a finalize request body (empty: nothing). */
    public static List<io.kardia.core.model.Status.Cause> validate(ObjectNode body) {
        JsonNode finalizers = body.path("spec").path("finalizers");
        Causes causes = new Causes();
        if (!finalizers.isMissingNode() && !finalizers.isNull() && !finalizers.isArray()) {
            causes.invalid("spec.finalizers", finalizers, "must be a list of finalizer names");
        }
        int i = 0;
        for (JsonNode f : finalizers) {
            for (String e : NameRules.qualifiedName(f.asText())) {
                causes.invalid("spec.finalizers[" + i + "]", f.asText(), e);
            }
            i++;
        }
        return causes.list();
    }

    /** A copy of {@code namespace} whose spec.finalizers are those of {@code body} (duplicates dropped). */
    public static ObjectNode replaced(ObjectNode namespace, ObjectNode body) {
        Set<String> wanted = new LinkedHashSet<>();
        body.path("spec").path("finalizers").forEach(f -> wanted.add(f.asText()));
        return with(namespace, wanted);
    }

    /** A copy of {@code namespace} without the spec finalizer {@code finalizer}. */
    public static ObjectNode without(ObjectNode namespace, String finalizer) {
        Set<String> kept = new LinkedHashSet<>();
        namespace.path("spec").path("finalizers").forEach(f -> kept.add(f.asText()));
        kept.remove(finalizer);
        return with(namespace, kept);
    }

    private static ObjectNode with(ObjectNode namespace, Set<String> finalizers) {
        ObjectNode next = namespace.deepCopy();
        ObjectNode spec = next.with("spec");
        if (finalizers.isEmpty()) {
            spec.remove("finalizers");
        } else {
            ArrayNode list = spec.putArray("finalizers");
            finalizers.forEach(list::add);
        }
        return next;
    }
}
