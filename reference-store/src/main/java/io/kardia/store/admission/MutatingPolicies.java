package io.kardia.store.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.runtime.CelEvaluationException;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.model.Status;
import io.kardia.store.cel.KubeCel;
import io.kardia.store.merge.Merge;
import io.kardia.store.merge.MergeException;
import io.kardia.store.patch.JsonPatch;
import io.kardia.store.patch.PatchException;
import io.kardia.store.patch.PatchTestFailedException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * admissionregistration.k8s.io MutatingAdmissionPolicies and their bindings (v1, v1beta1),
 * applied on every create and update as kube-apiserver's MutatingAdmissionPolicy plugin applies
 * them, before the mutating webhooks: policies by name whose matchConstraints match, each of their
 * bindings whose matchResources match, once per param; matchConditions; then the policy's
 * mutations in order, each seeing the object as the previous one left it: an ApplyConfiguration
 * ({@code Object{...}}) merged into the object as server-side apply merges (no field ownership;
 * atomic lists, maps and structs may not be set), or a list of {@code JSONPatch{...}} operations (a
 * failed {@code test} leaves the object as it was). Errors (evaluation, configuration, a patch that
 * does not apply) follow the policy's failurePolicy; under Fail the write is refused, after every
 * policy ran, with kube's {@code policy 'p' with binding 'b' denied request: ...}.
 */
public final class MutatingPolicies {
    static final String POLICIES = "mutatingadmissionpolicies.admissionregistration.k8s.io";
    static final String BINDINGS = "mutatingadmissionpolicybindings.admissionregistration.k8s.io";
    private static final Logger LOG = LoggerFactory.getLogger(MutatingPolicies.class);

    private final AdmissionContext context;
    private final PolicyCatalog<CompiledMutatingPolicy> catalog = new PolicyCatalog<>("MutatingAdmissionPolicy", POLICIES, BINDINGS,
            CompiledMutatingPolicy::new);

    MutatingPolicies(AdmissionContext context) {
        this.context = context;
    }

    /** True for the two resources this keeps in step with. */
    public static boolean isPolicyResource(String groupResource) {
        return groupResource.equals(POLICIES) || groupResource.equals(BINDINGS);
    }

    /** A policy or binding written ({@code object}) or removed ({@code null}); policies are compiled here, once. */
    public void onChange(String groupResource, String name, ObjectNode object) {
        catalog.onChange(groupResource, name, object);
    }

    /** A policy error: the policy and binding it concerns, kube's message and status reason (null: Forbidden). */
    private record PolicyError(CompiledMutatingPolicy policy, String binding, String message, String reason) {
        String text() {
            return "policy '" + policy.name + "' with binding '" + binding + "' denied request: " + message;
        }
    }

    /** One policy applied through one binding with one param. */
    private record Invocation(CompiledMutatingPolicy policy, String binding, ObjectNode param) {
        Object key() {
            JsonNode meta = param == null ? null : param.path("metadata");
            return List.of(policy.name, binding, meta == null ? "" : meta.path("namespace").asText(""),
                    meta == null ? "" : meta.path("name").asText(""));
        }
    }

    /**
     * One round of the plugin over {@code object} (the request's object as the chain left it): the
     * object after the matching policies mutated it ({@code object} itself when none changed it).
     */
    ObjectNode mutate(AdmissionRequest r, ObjectNode object, Reinvocation round) {
        if (catalog.isEmpty()) {
            return object;
        }
        List<PolicyError> errors = new ArrayList<>();
        List<Invocation> invocations = invocations(r, errors);
        if (!invocations.isEmpty()) {
            object = dispatch(r, object, invocations, round, errors);
        }
        List<PolicyError> failing = errors.stream().filter(e -> !e.policy.failOpen).toList();
        for (PolicyError e : errors) {
            if (e.policy.failOpen) {
                LOG.debug("MutatingAdmissionPolicy error ignored (failurePolicy Ignore): {}", e.text());
            }
        }
        if (!failing.isEmpty()) {
            throw denial(r, failing);
        }
        return object;
    }

    private List<Invocation> invocations(AdmissionRequest r, List<PolicyError> errors) {
        List<Invocation> out = new ArrayList<>();
        catalog.forEachMatch(r, context, (p, binding) -> {
            try {
                for (ObjectNode param : PolicyParams.collect(p.spec, binding.spec(), r, context)) {
                    out.add(new Invocation(p, binding.name(), param));
                }
            } catch (IllegalStateException e) {
                errors.add(new PolicyError(p, binding.name(), "failed to configure binding: " + e.getMessage(), null));
            }
        });
        return out;
    }

    private ObjectNode dispatch(AdmissionRequest r, ObjectNode original, List<Invocation> invocations, Reinvocation round,
                                List<PolicyError> errors) {
        Reinvocation.Plugin state = round.policies;
        if (round.reinvoking() && state.changedSinceLastOutput(original)) {
            state.reinvokePreviouslyInvoked(); // a later plugin changed the object: every IfNeeded policy runs again
        }
        ObjectNode object = original;
        for (Invocation inv : invocations) {
            CompiledMutatingPolicy p = inv.policy();
            long[] budget = {KubeCel.RUNTIME_BUDGET};
            Map<String, Object> vars = variables(r, object, inv.param());
            String conditionError = conditionsMatch(p, vars, budget);
            if (conditionError == null) {
                continue; // a false condition (or an error under Ignore): the policy does not apply
            }
            if (!conditionError.isEmpty()) {
                errors.add(new PolicyError(p, inv.binding(), conditionError, "Invalid"));
                continue;
            }
            if (round.reinvoking() && !state.shouldReinvoke(inv.key())) {
                continue;
            }
            ObjectNode before = object;
            for (CompiledMutatingPolicy.Mutation m : p.mutations) {
                if (object == null) {
                    continue; // DELETE: nothing to patch
                }
                Map<String, Object> current = new HashMap<>(vars);
                current.put("object", CelJson.value(object)); // each mutation sees the previous ones' result
                try {
                    object = apply(r, m, object, current, budget);
                } catch (MutationException e) {
                    errors.add(new PolicyError(p, inv.binding(), e.getMessage(), "Invalid"));
                }
            }
            if (object != null && !object.equals(before)) {
                state.reinvokePreviouslyInvoked();
                round.require();
            }
            if (p.reinvokeIfNeeded) {
                state.invokedIfNeeded(inv.key());
            }
        }
        if (object != null && !object.equals(original)) {
            // kube: a round that changed the object reinvokes every IfNeeded policy of it, the last one included
            state.reinvokePreviouslyInvoked();
            round.require();
        }
        state.output(object);
        return object == null || object.equals(original) ? original : object;
    }

    private Map<String, Object> variables(AdmissionRequest r, ObjectNode object, ObjectNode param) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("object", CelJson.value(object));
        vars.put("oldObject", CelJson.value(r.oldObject()));
        vars.put("params", CelJson.value(param));
        vars.put("request", ValidatingPolicies.requestValue(r));
        vars.put("namespaceObject", r.type().namespaced() && r.namespace() != null
                ? CelJson.value(context.namespace(r.namespace()).orElse(null)) : CelJson.value(null));
        vars.put("variables", new LinkedHashMap<String, Object>());
        AdmissionUser.putAuthorizer(vars, r);
        return vars;
    }

    /**
     * kube's match condition matcher: null when a condition is false (or failed under Ignore), ""
     * when all are true, else the error (under Fail). Then the policy's variables are evaluated.
     */
    private static String conditionsMatch(CompiledMutatingPolicy p, Map<String, Object> vars, long[] budget) {
        List<String> failures = new ArrayList<>();
        for (CompiledPolicy.Expr c : p.matchConditions) {
            try {
                if (Boolean.FALSE.equals(ValidatingPolicies.run(c, vars, budget))) {
                    return null;
                }
            } catch (RuntimeException | CelEvaluationException e) {
                failures.add(evaluationError(c, e));
            }
        }
        if (!failures.isEmpty()) {
            return p.failOpen ? null : String.join(", ", failures);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> variables = (Map<String, Object>) vars.get("variables");
        for (CompiledPolicy.Expr v : p.variables) {
            try {
                variables.put(v.name(), ValidatingPolicies.run(v, vars, budget));
            } catch (RuntimeException | CelEvaluationException e) {
                LOG.debug("variable {} of MutatingAdmissionPolicy {} failed: {}", v.name(), p.name, ValidatingPolicies.message(e));
            }
        }
        return "";
    }

    /** Why a mutation failed, in kube's words. */
    private static final class MutationException extends Exception {
        MutationException(String message) {
            super(message, null, false, false);
        }
    }

    /** One mutation; {@code vars}' variables were evaluated against the object the policy started with (kube caches them). */
    private ObjectNode apply(AdmissionRequest r, CompiledMutatingPolicy.Mutation m, ObjectNode object, Map<String, Object> vars,
                             long[] budget) throws MutationException {
        Object result;
        try {
            result = ValidatingPolicies.run(m.expression(), vars, budget);
        } catch (RuntimeException | CelEvaluationException e) {
            throw new MutationException(evaluationError(m.expression(), e));
        }
        return switch (m.type()) {
            case APPLY_CONFIGURATION -> applyConfiguration(r, object, result);
            case JSON_PATCH -> jsonPatch(object, result);
        };
    }

    private static String evaluationError(CompiledPolicy.Expr e, Throwable t) {
        if (e.program() == null) {
            return e.error();
        }
        return "expression '" + e.expression() + "' resulted in error: " + ValidatingPolicies.message(t);
    }

    private ObjectNode applyConfiguration(AdmissionRequest r, ObjectNode object, Object result) throws MutationException {
        if (!(result instanceof MutationCel.TypedObject t) || !t.typeName.equals(MutationCel.OBJECT)) {
            throw new MutationException("unsupported return type from ApplyConfiguration expression: "
                    + (result == null ? "null" : result.getClass().getSimpleName()));
        }
        List<String> typeErrors = MutationCel.typeNameErrors(t, MutationCel.OBJECT);
        if (!typeErrors.isEmpty()) {
            throw new MutationException("type mismatch: " + String.join("\n", typeErrors));
        }
        JsonNode patch;
        try {
            patch = MutationCel.toJson(t);
        } catch (IllegalArgumentException e) {
            throw new MutationException("error applying patch: " + e.getMessage());
        }
        ObjectNode config = (ObjectNode) patch;
        config.set("apiVersion", object.get("apiVersion"));
        config.set("kind", object.get("kind"));
        var schema = context.schemaOf(r.type());
        String schemaErrors = ApplyConfigurations.typeErrors(config, schema);
        if (schemaErrors != null) {
            throw new MutationException("error applying patch: failed to convert patch object to typed object: " + schemaErrors);
        }
        List<String> atomics = ApplyConfigurations.atomics(config, schema);
        if (!atomics.isEmpty()) {
            throw new MutationException("error applying patch: invalid ApplyConfiguration: may not mutate atomic arrays, maps or structs: "
                    + String.join(", ", atomics));
        }
        try {
            JsonNode merged = Merge.merge(object, config, schema);
            if (!(merged instanceof ObjectNode o)) {
                throw new MutationException("error applying patch: the merged object is not a JSON object");
            }
            return o;
        } catch (MergeException e) {
            throw new MutationException("error applying patch: failed to merge patch: " + e.getMessage());
        }
    }

    private static ObjectNode jsonPatch(ObjectNode object, Object result) throws MutationException {
        if (!(result instanceof List<?> ops)) {
            throw new MutationException("type mismatch: JSONPatchType.expression should evaluate to array");
        }
        ArrayNode patch = JsonNodeFactory.instance.arrayNode();
        for (Object o : ops) {
            if (!(o instanceof MutationCel.TypedObject op) || !op.typeName.equals(MutationCel.JSON_PATCH)) {
                throw new MutationException("type mismatch: JSONPatchType.expression should evaluate to array of JSONPatch");
            }
            ObjectNode out = patch.addObject();
            out.put("op", String.valueOf(op.getOrDefault("op", "")));
            out.put("path", String.valueOf(op.getOrDefault("path", "")));
            if (op.get("from") instanceof String from && !from.isEmpty()) {
                out.put("from", from);
            }
            if (op.containsKey("value")) {
                Object value = op.get("value");
                if (value instanceof MutationCel.TypedObject v) {
                    List<String> typeErrors = MutationCel.typeNameErrors(v, v.typeName);
                    if (!typeErrors.isEmpty()) {
                        throw new MutationException("type mismatch: " + String.join("\n", typeErrors));
                    }
                }
                try {
                    out.set("value", MutationCel.toJson(value));
                } catch (IllegalArgumentException e) {
                    throw new MutationException("JSONPath valueExpression evaluated to a type that could not marshal to JSON: "
                            + e.getMessage());
                }
            }
        }
        try {
            JsonNode patched = JsonPatch.apply(object, patch);
            if (!(patched instanceof ObjectNode p)) {
                throw new MutationException("JSONPath: the patched document is not a JSON object");
            }
            return p;
        } catch (PatchTestFailedException e) {
            return object; // kube: a failed test operation applies none of the patch
        } catch (PatchException | KubeApiException e) {
            throw new MutationException("JSONPath: " + e.getMessage());
        }
    }

    /**
     * kube's policy denial: 403 with the first error's message (reason Invalid for evaluation and
     * patch errors, Forbidden for binding configuration), every error one cause.
     */
    private static KubeApiException denial(AdmissionRequest r, List<PolicyError> errors) {
        PolicyError first = errors.get(0);
        List<Status.Cause> causes = errors.stream().map(e -> new Status.Cause(null, e.text(), null)).toList();
        Status.Details details = new Status.Details(r.name(), r.type().group(), r.type().plural(), null, causes, null, null);
        return KubeApiException.of(Status.failure(403, first.reason == null ? "Forbidden" : first.reason, first.text(), details));
    }
}
