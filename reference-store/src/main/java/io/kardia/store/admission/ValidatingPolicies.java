package io.kardia.store.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.Status;
import io.kardia.store.cel.KubeCel;
import io.kardia.store.cel.RuntimeCost;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * admissionregistration.k8s.io/v1 ValidatingAdmissionPolicies and their bindings, evaluated on
 * every write as kube-apiserver's ValidatingAdmissionPolicy plugin does: policies (by name) whose
 * matchConstraints match, each binding of the policy whose matchResources match, once per param
 * (paramKind + paramRef: by name or selector, the request's namespace when the ref names none,
 * parameterNotFoundAction); matchConditions, variables, validations and auditAnnotations; the
 * binding's validationActions (Deny: the request is refused with kube's Status; Warn: a Warning;
 * Audit: logged, as the store keeps no audit log) and the policy's failurePolicy for errors.
 */
public final class ValidatingPolicies {
    static final String POLICIES = "validatingadmissionpolicies.admissionregistration.k8s.io";
    static final String BINDINGS = "validatingadmissionpolicybindings.admissionregistration.k8s.io";
    private static final Logger LOG = LoggerFactory.getLogger(ValidatingPolicies.class);

    private final AdmissionContext context;
    private final PolicyCatalog<CompiledPolicy> catalog = new PolicyCatalog<>("ValidatingAdmissionPolicy", POLICIES, BINDINGS,
            CompiledPolicy::new);

    ValidatingPolicies(AdmissionContext context) {
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

    /** A denial: the first one found refuses the request. */
    private record Denial(String policy, String binding, String message, String reason) {
    }

    void validate(AdmissionRequest r) {
        if (catalog.isEmpty()) {
            return;
        }
        List<Denial> denied = new ArrayList<>();
        catalog.forEachMatch(r, context, (p, binding) -> {
            List<ObjectNode> params;
            try {
                params = PolicyParams.collect(p.spec, binding.spec(), r, context);
            } catch (IllegalStateException e) {
                if (!p.failOpen) {
                    denied.add(new Denial(p.name, binding.name(), "failed to configure binding: " + e.getMessage(), null));
                }
                return;
            }
            for (ObjectNode param : params) {
                evaluate(p, binding.name(), binding.spec(), r, param, denied);
            }
        });
        if (!denied.isEmpty()) {
            throw denial(r, denied.get(0));
        }
    }

    private void evaluate(CompiledPolicy p, String binding, JsonNode bindingSpec, AdmissionRequest r, ObjectNode param,
                          List<Denial> denied) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("object", CelJson.value(r.object()));
        vars.put("oldObject", CelJson.value(r.oldObject()));
        vars.put("params", CelJson.value(param));
        vars.put("request", requestValue(r));
        vars.put("namespaceObject", r.type().namespaced() && r.namespace() != null
                ? CelJson.value(context.namespace(r.namespace()).orElse(null)) : CelJson.value(null));
        AdmissionUser.putAuthorizer(vars, r);
        Map<String, Object> variables = new LinkedHashMap<>();
        vars.put("variables", variables);
        long[] budget = {KubeCel.RUNTIME_BUDGET};
        List<String> actions = new ArrayList<>();
        bindingSpec.path("validationActions").forEach(a -> actions.add(a.asText()));
        for (CompiledPolicy.Expr c : p.matchConditions) {
            Object result;
            try {
                result = run(c, vars, budget);
            } catch (RuntimeException | dev.cel.runtime.CelEvaluationException e) {
                if (!p.failOpen) {
                    denied.add(new Denial(p.name, binding, "failed to evaluate matchCondition '" + c.name() + "': " + message(e), null));
                }
                return;
            }
            if (!Boolean.TRUE.equals(result)) {
                return; // a false match condition: the policy does not apply
            }
        }
        for (CompiledPolicy.Expr v : p.variables) {
            try {
                variables.put(v.name(), run(v, vars, budget));
            } catch (RuntimeException | dev.cel.runtime.CelEvaluationException e) {
                LOG.debug("variable {} of ValidatingAdmissionPolicy {} failed: {}", v.name(), p.name, message(e));
            }
        }
        for (CompiledPolicy.Validation v : p.validations) {
            String failure;
            String reason = v.reason();
            try {
                Object ok = run(v.expression(), vars, budget);
                if (Boolean.TRUE.equals(ok)) {
                    continue;
                }
                failure = failureMessage(v, vars, budget);
            } catch (RuntimeException | dev.cel.runtime.CelEvaluationException e) {
                if (p.failOpen) {
                    continue;
                }
                failure = "expression '" + v.expression().expression().strip() + "' resulted in error: " + message(e);
                reason = null;
            }
            act(p, binding, actions, failure, reason, denied);
        }
        for (CompiledPolicy.Expr a : p.auditAnnotations) {
            try {
                Object value = run(a, vars, budget);
                if (value instanceof String s) {
                    LOG.debug("audit annotation {}/{}={} (the store keeps no audit log)", p.name, a.name(), s);
                }
            } catch (RuntimeException | dev.cel.runtime.CelEvaluationException e) {
                if (!p.failOpen) {
                    denied.add(new Denial(p.name, binding, "valueExpression '" + a.expression() + "' resulted in error: " + message(e), null));
                }
            }
        }
    }

    private static void act(CompiledPolicy p, String binding, List<String> actions, String failure, String reason, List<Denial> denied) {
        for (String action : actions) {
            switch (action) {
                case "Deny" -> denied.add(new Denial(p.name, binding, failure, reason));
                case "Warn" -> {
                    String w = "Validation failed for ValidatingAdmissionPolicy '" + p.name + "' with binding '" + binding + "': " + failure;
                    if (!AdmissionWarnings.add(w)) {
                        LOG.warn(w);
                    }
                }
                case "Audit" -> LOG.info("audit: ValidatingAdmissionPolicy '{}' with binding '{}' failed: {}", p.name, binding, failure);
                default -> { }
            }
        }
    }

    private static String failureMessage(CompiledPolicy.Validation v, Map<String, Object> vars, long[] budget) {
        if (v.messageExpression() != null) {
            try {
                Object m = run(v.messageExpression(), vars, budget);
                if (m instanceof String s && !s.isBlank() && !s.contains("\n")) {
                    return s.strip();
                }
            } catch (RuntimeException | dev.cel.runtime.CelEvaluationException e) {
                LOG.debug("messageExpression failed: {}", message(e));
            }
        }
        if (v.message() != null && !v.message().isBlank()) {
            return v.message();
        }
        return "failed expression: " + v.expression().expression().strip();
    }

    static Object run(CompiledPolicy.Expr e, Map<String, Object> vars, long[] budget) throws dev.cel.runtime.CelEvaluationException {
        RuntimeCost cost = new RuntimeCost(Math.min(KubeCel.PER_CALL_LIMIT, budget[0]));
        try {
            return e.eval(vars, cost);
        } finally {
            budget[0] -= cost.spent();
        }
    }

    static String message(Throwable e) {
        if (e instanceof RuntimeCost.LimitExceeded || e.getCause() instanceof RuntimeCost.LimitExceeded) {
            return "operation cancelled: actual cost limit exceeded";
        }
        return e.getMessage();
    }

    static Map<String, Object> requestValue(AdmissionRequest r) {
        ResourceType<?> t = r.type();
        Map<String, Object> kind = Map.of("group", t.group(), "version", t.version(), "kind", t.kind());
        Map<String, Object> resource = Map.of("group", t.group(), "version", t.version(), "resource", t.plural());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("resource", resource);
        m.put("requestKind", kind);
        m.put("requestResource", resource);
        m.put("subResource", Optional.ofNullable(r.subresource()).orElse(""));
        m.put("requestSubResource", Optional.ofNullable(r.subresource()).orElse(""));
        m.put("name", Optional.ofNullable(r.name()).orElse(""));
        m.put("namespace", Optional.ofNullable(r.namespace()).orElse(""));
        m.put("operation", r.operation().name());
        m.put("userInfo", AdmissionUser.celValue());
        m.put("dryRun", r.dryRun());
        return m;
    }

    /** kube-apiserver's denial: admission's Forbidden wording, with the reason (default Invalid) and its code. */
    private static KubeApiException denial(AdmissionRequest r, Denial d) {
        String message = "ValidatingAdmissionPolicy '" + d.policy + "' with binding '" + d.binding + "' denied request: " + d.message;
        String reason = d.reason == null || d.reason.isEmpty() ? "Invalid" : d.reason;
        int code = switch (reason) {
            case "Unauthorized" -> 401;
            case "Forbidden" -> 403;
            case "RequestEntityTooLarge" -> 413;
            case "Invalid" -> 422;
            default -> 400;
        };
        Status.ResourceName what = new Status.ResourceName(r.type().group(), r.type().plural(), r.name());
        Status.Details details = new Status.Details(r.name(), r.type().group(), r.type().plural(), null,
                List.of(new Status.Cause(null, message, null)), null, null);
        return KubeApiException.of(Status.failure(code, reason, what.quoted() + " is forbidden: " + message, details));
    }
}
