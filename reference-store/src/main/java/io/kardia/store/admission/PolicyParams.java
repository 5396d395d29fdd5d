package io.kardia.store.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.model.ResourceType;
import java.util.Collections;
import java.util.List;

/**
 * The params a policy binding evaluates its policy with, as kube's CollectParams finds them for
 * both kinds of admission policy: one evaluation without params when the policy has no paramKind
 * or the binding no paramRef; otherwise the object named by {@code paramRef.name}, or those its
 * {@code selector} matches, in {@code paramRef.namespace} (the request's namespace when unset) for
 * a namespaced paramKind; none found is an error under {@code parameterNotFoundAction: Deny}.
 */
final class PolicyParams {
    private PolicyParams() {
    }

    /**
     * @throws IllegalStateException the binding cannot be configured (kube's words; the policy's failurePolicy decides)
     */
    static List<ObjectNode> collect(JsonNode policySpec, JsonNode bindingSpec, AdmissionRequest r, AdmissionContext context) {
        JsonNode kind = policySpec.get("paramKind");
        JsonNode ref = bindingSpec.get("paramRef");
        if (kind == null || kind.isNull() || ref == null || ref.isNull()) {
            return Collections.singletonList(null);
        }
        ResourceType<?> type = context.typeOf(kind.path("apiVersion").asText(), kind.path("kind").asText())
                .orElseThrow(() -> new IllegalStateException("failed to find resource referenced by paramKind: '"
                        + kind.path("apiVersion").asText() + ", Kind=" + kind.path("kind").asText() + "'"));
        String ns = null;
        if (type.namespaced()) {
            ns = ref.hasNonNull("namespace") ? ref.get("namespace").asText() : r.namespace();
            if (ns == null || ns.isEmpty()) {
                throw new IllegalStateException("cannot use namespaced paramRef in policy binding that matches cluster-scoped resources");
            }
        } else if (ref.hasNonNull("namespace") && !ref.get("namespace").asText().isEmpty()) {
            throw new IllegalStateException("paramRef.namespace must not be provided for a cluster-scoped `paramKind`");
        }
        List<ObjectNode> found;
        if (ref.hasNonNull("name")) {
            found = context.get(type, ns, ref.get("name").asText()).map(List::of).orElse(List.of());
        } else {
            found = context.list(type, ns, ref.path("selector"));
        }
        if (found.isEmpty()) {
            if ("Deny".equals(ref.path("parameterNotFoundAction").asText("Deny"))) {
                throw new IllegalStateException("no params found for policy binding with `Deny` parameterNotFoundAction");
            }
            return List.of();
        }
        return found;
    }
}
