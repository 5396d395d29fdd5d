package io.kardia.store.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stored admission policies of one kind (validating or mutating), compiled once when written,
 * and their bindings, kept in step with the store; and which of them apply to a request, as
 * kube-apiserver's policy plugins pick them: policies by name whose {@code matchConstraints} match,
 * each binding of the policy (by name) whose {@code matchResources} match.
 *
 * @param <P> the compiled policy
 */
final class PolicyCatalog<P extends PolicyCatalog.Policy> {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyCatalog.class);

    /** What the catalog needs of a compiled policy. */
    interface Policy {
        String name();

        JsonNode spec();

        /** Why some of its expressions do not compile (logged when it is written; its failurePolicy applies). */
        List<String> compileErrors();
    }

    /** A binding of a policy that applies to a request: the binding's name and spec. */
    record Binding(String name, JsonNode spec) {
    }

    private final String kind;
    private final String policiesResource;
    private final String bindingsResource;
    private final Function<ObjectNode, P> compiler;
    private final Map<String, P> policies = new ConcurrentSkipListMap<>();
    private final Map<String, ObjectNode> bindings = new ConcurrentSkipListMap<>();

    /**
     * A catalog of the {@code kind} policies stored as {@code policiesResource} and bound by
     * {@code bindingsResource} (group-resources), compiled by {@code compiler}.
     */
    PolicyCatalog(String kind, String policiesResource, String bindingsResource, Function<ObjectNode, P> compiler) {
        this.kind = kind;
        this.policiesResource = policiesResource;
        this.bindingsResource = bindingsResource;
        this.compiler = compiler;
    }

    boolean handles(String groupResource) {
        return groupResource.equals(policiesResource) || groupResource.equals(bindingsResource);
    }

    /** A policy or binding written ({@code object}) or removed ({@code null}); policies are compiled here, once. */
    void onChange(String groupResource, String name, ObjectNode object) {
        if (groupResource.equals(policiesResource)) {
            if (object == null) {
                policies.remove(name);
            } else {
                P p = compiler.apply(object);
                if (!p.compileErrors().isEmpty()) {
                    LOG.info("{} {} has expressions that do not compile (its failurePolicy applies): {}", kind, name, p.compileErrors());
                }
                policies.put(name, p);
            }
        } else if (groupResource.equals(bindingsResource)) {
            if (object == null) {
                bindings.remove(name);
            } else {
                bindings.put(name, object.deepCopy());
            }
        }
    }

    /** True when no policy can apply (no policy, or no binding). */
    boolean isEmpty() {
        return policies.isEmpty() || bindings.isEmpty();
    }

    /** Called for each policy (by name) and each of its bindings (by name) that match {@code r}. */
    interface MatchVisitor<P> {
        void visit(P policy, Binding binding);
    }

    /** Visits every (policy, binding) pair that applies to {@code r}, policies and bindings in name order. */
    void forEachMatch(AdmissionRequest r, AdmissionContext context, MatchVisitor<P> visitor) {
        if (isEmpty()) {
            return;
        }
        for (P p : policies.values()) {
            if (!PolicyMatcher.matches(p.spec().get("matchConstraints"), r, context)) {
                continue;
            }
            for (ObjectNode b : bindings.values()) {
                JsonNode spec = b.path("spec");
                if (!spec.path("policyName").asText().equals(p.name())
                        || spec.has("matchResources") && !PolicyMatcher.matches(spec.get("matchResources"), r, context)) {
                    continue;
                }
                visitor.visit(p, new Binding(b.path("metadata").path("name").asText(), spec));
            }
        }
    }
}
