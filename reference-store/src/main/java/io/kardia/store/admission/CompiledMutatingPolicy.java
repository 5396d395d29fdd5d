package io.kardia.store.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import io.kardia.store.cel.KubeCel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A MutatingAdmissionPolicy's expressions, compiled once when the policy is written: its
 * matchConditions, variables and mutations (an ApplyConfiguration expression evaluating to an
 * {@code Object{...}}, or a JSONPatch expression evaluating to a list of {@code JSONPatch{...}}).
 * As kube-apiserver, a policy whose expressions do not compile is stored; such an expression fails
 * when it is evaluated, and the policy's failurePolicy decides.
 */
final class CompiledMutatingPolicy implements PolicyCatalog.Policy {
    enum PatchType { APPLY_CONFIGURATION, JSON_PATCH }

    record Mutation(PatchType type, CompiledPolicy.Expr expression) {
    }

    final String name;
    final JsonNode spec;
    final boolean failOpen;
    final boolean reinvokeIfNeeded;
    final List<CompiledPolicy.Expr> matchConditions = new ArrayList<>();
    final List<CompiledPolicy.Expr> variables = new ArrayList<>();
    final List<Mutation> mutations = new ArrayList<>();

    CompiledMutatingPolicy(ObjectNode policy) {
        this.name = policy.path("metadata").path("name").asText();
        this.spec = policy.path("spec");
        this.failOpen = "Ignore".equals(spec.path("failurePolicy").asText("Fail"));
        this.reinvokeIfNeeded = "IfNeeded".equals(spec.path("reinvocationPolicy").asText("Never"));
        // kube compiles the variables first, each seeing those before it; the rest sees them all
        PolicyEnvironment env = PolicyEnvironment.untyped(spec.path("paramKind").isObject());
        for (JsonNode v : spec.path("variables")) {
            KubeCel.Compiled c = MutationCel.compile(v.path("expression").asText(""), env);
            variables.add(new CompiledPolicy.Expr(v.path("name").asText(), v.path("expression").asText(""), c.program(),
                    c.ok() ? null : "compilation error: " + c.error()));
            env.addVariable(v.path("name").asText(), c.ok() ? c.ast().getResultType() : null);
        }
        for (JsonNode c : spec.path("matchConditions")) {
            matchConditions.add(compile(env, c.path("name").asText(), c.path("expression").asText(""),
                    t -> t.equals(SimpleType.BOOL), "must evaluate to bool"));
        }
        for (JsonNode m : spec.path("mutations")) {
            switch (m.path("patchType").asText()) {
                case "ApplyConfiguration" -> mutations.add(new Mutation(PatchType.APPLY_CONFIGURATION,
                        compile(env, "", m.path("applyConfiguration").path("expression").asText(""), MutationCel::isObjectType,
                                "must evaluate to Object")));
                case "JSONPatch" -> mutations.add(new Mutation(PatchType.JSON_PATCH,
                        compile(env, "", m.path("jsonPatch").path("expression").asText(""), MutationCel::isPatchListType,
                                "must evaluate to list(JSONPatch)")));
                default -> { } // refused when the policy is written; an unknown type has nothing to run
            }
        }
    }

    private static CompiledPolicy.Expr compile(PolicyEnvironment env, String name, String expression, Predicate<CelType> resultOk,
                                               String typeError) {
        KubeCel.Compiled c = MutationCel.compile(expression, env);
        if (!c.ok()) {
            return new CompiledPolicy.Expr(name, expression, null, "compilation error: " + c.error());
        }
        CelType result = c.ast().getResultType();
        if (!result.equals(SimpleType.DYN) && !resultOk.test(result)) {
            return new CompiledPolicy.Expr(name, expression, null, "compilation error: " + typeError + " but got " + result.name());
        }
        return new CompiledPolicy.Expr(name, expression, c.program(), null);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public JsonNode spec() {
        return spec;
    }

    /** The compile errors of this policy's expressions, for the log when it is written. */
    @Override
    public List<String> compileErrors() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < mutations.size(); i++) {
            String e = mutations.get(i).expression().error();
            if (e != null) {
                out.add("spec.mutations[" + i + "]: " + e);
            }
        }
        for (CompiledPolicy.Expr c : matchConditions) {
            if (c.error() != null) {
                out.add("spec.matchConditions[" + c.name() + "]: " + c.error());
            }
        }
        return out;
    }
}
