package io.kardia.store.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.kardia.store.cel.KubeCel;
import io.kardia.store.cel.RuntimeCost;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A ValidatingAdmissionPolicy's expressions, compiled once when the policy is written: its
 * matchConditions, variables, validations (with messageExpression) and auditAnnotations, over
 * {@code object}, {@code oldObject}, {@code request}, {@code params}, {@code namespaceObject} and
 * {@code variables}. As kube-apiserver, a policy whose expressions do not compile is stored; an
 * expression that did not compile fails when evaluated, and the policy's failurePolicy decides.
 */
final class CompiledPolicy implements PolicyCatalog.Policy {
    final String name;
    final JsonNode spec;
    final boolean failOpen;
    final List<Expr> matchConditions = new ArrayList<>();
    final List<Expr> variables = new ArrayList<>();
    final List<Validation> validations = new ArrayList<>();
    final List<Expr> auditAnnotations = new ArrayList<>();

    /** One compiled expression: a program, or the compile error it fails with. */
    record Expr(String name, String expression, CelRuntime.Program program, String error) {
        Object eval(Map<String, Object> vars, RuntimeCost cost) throws CelEvaluationException {
            if (program == null) {
                throw new IllegalStateException(error);
            }
            return KubeCel.eval(program, vars, cost);
        }
    }

    record Validation(Expr expression, String message, Expr messageExpression, String reason) {
    }

    CompiledPolicy(ObjectNode policy) {
        this.name = policy.path("metadata").path("name").asText();
        this.spec = policy.path("spec");
        this.failOpen = "Ignore".equals(spec.path("failurePolicy").asText("Fail"));
        // kube compiles the variables first, each seeing those before it; the rest sees them all
        PolicyEnvironment env = PolicyEnvironment.untyped(spec.path("paramKind").isObject());
        for (JsonNode v : spec.path("variables")) {
            KubeCel.Compiled c = env.env().compile(v.path("expression").asText(""), null, null);
            variables.add(new Expr(v.path("name").asText(), v.path("expression").asText(""), c.program(), c.ok() ? null : c.error()));
            env.addVariable(v.path("name").asText(), c.ok() ? c.ast().getResultType() : null);
        }
        for (JsonNode c : spec.path("matchConditions")) {
            matchConditions.add(compile(env.env(), c.path("name").asText(), c.path("expression").asText(""), SimpleType.BOOL,
                    "must evaluate to bool"));
        }
        for (JsonNode v : spec.path("validations")) {
            Expr message = v.hasNonNull("messageExpression")
                    ? compile(env.env(), "", v.get("messageExpression").asText(), SimpleType.STRING, "must evaluate to string")
                    : null;
            validations.add(new Validation(compile(env.env(), "", v.path("expression").asText(""), SimpleType.BOOL, "must evaluate to bool"),
                    v.hasNonNull("message") ? v.get("message").asText() : null, message,
                    v.hasNonNull("reason") ? v.get("reason").asText() : null));
        }
        for (JsonNode a : spec.path("auditAnnotations")) {
            auditAnnotations.add(compile(env.env(), a.path("key").asText(), a.path("valueExpression").asText(""), null, null));
        }
    }

    private static Expr compile(KubeCel env, String name, String expression, CelType type, String typeError) {
        KubeCel.Compiled c = env.compile(expression, type, typeError);
        return new Expr(name, expression, c.program(), c.ok() ? null : c.error());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public JsonNode spec() {
        return spec;
    }

    /** The compile errors of this policy's expressions, as kube's type checking reports them (field path and error). */
    @Override
    public List<String> compileErrors() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < validations.size(); i++) {
            if (validations.get(i).expression().error() != null) {
                out.add("spec.validations[" + i + "].expression: " + validations.get(i).expression().error());
            }
        }
        return out;
    }
}
