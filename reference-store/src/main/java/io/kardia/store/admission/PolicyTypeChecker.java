package io.kardia.store.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.SimpleType;
import io.kardia.core.model.ResourceType;
import io.kardia.store.cel.CatalogCelTypes;
import io.kardia.store.cel.CombinedCelTypes;
import io.kardia.store.cel.KubeCel;
import io.kardia.store.cel.SchemaCelTypes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * kube-apiserver's ValidatingAdmissionPolicy type checker: the expressions of {@code
 * spec.validations} (and their messageExpressions) are compiled again with {@code object} and
 * {@code oldObject} typed as each kind the policy's {@code matchConstraints.resourceRules} name
 * (at most 10, rules with wildcards left out, subresources skipped) and {@code params} as its
 * {@code paramKind} ({@code dyn} when that kind has no schema), its variables composed with their
 * types; what does not compile is an {@link ExpressionWarning}, one line per kind, e.g. {@code
 * apps/v1, Kind=Deployment: ERROR: <input>:1:8: undefined field 'replicas'} with the source line and
 * caret. Kinds the store does not serve are skipped. The warnings never change what the policy does.
 */
final class PolicyTypeChecker {
    /** kube's maxTypesToCheck. */
    static final int MAX_TYPES_TO_CHECK = 10;

    /** One warning: the expression's field path ({@code spec.validations[0].expression}) and what the checker said. */
    record ExpressionWarning(String fieldRef, String warning) {
    }

    private record Gvk(String group, String version, String kind) {
        @Override
        public String toString() {
            return group + "/" + version + ", Kind=" + kind; // apimachinery's GroupVersionKind.String()
        }
    }

    /** A kind to check against: its name and the type of its objects, with the provider of its struct types. */
    private record Checked(Gvk gvk, CelType type, CelTypeProvider types) {
    }

    private final AdmissionContext context;

    PolicyTypeChecker(AdmissionContext context) {
        this.context = context;
    }

    /** The warnings for {@code spec} (a ValidatingAdmissionPolicy's); empty when everything type-checks or nothing is typed. */
    List<ExpressionWarning> check(JsonNode spec) {
        List<Checked> kinds = new ArrayList<>();
        for (Gvk gvk : typesToCheck(spec.path("matchConstraints"))) {
            resolve(gvk).ifPresent(kinds::add);
        }
        if (kinds.isEmpty()) {
            return List.of();
        }
        boolean hasParams = spec.path("paramKind").isObject();
        Optional<Checked> params = hasParams ? paramsKind(spec.path("paramKind")) : Optional.empty();
        List<KubeCel> envs = new ArrayList<>();
        for (Checked k : kinds) {
            envs.add(environment(k, hasParams, params, spec.path("variables")));
        }
        List<ExpressionWarning> warnings = new ArrayList<>();
        JsonNode validations = spec.path("validations");
        for (int i = 0; i < validations.size(); i++) {
            JsonNode v = validations.get(i);
            warn("spec.validations[" + i + "].expression", v.path("expression").asText(""), kinds, envs, warnings);
            String message = v.path("messageExpression").asText("");
            if (!message.isEmpty()) {
                warn("spec.validations[" + i + "].messageExpression", message, kinds, envs, warnings);
            }
        }
        return warnings;
    }

    private static void warn(String fieldRef, String expression, List<Checked> kinds, List<KubeCel> envs, List<ExpressionWarning> out) {
        List<String> results = new ArrayList<>();
        for (int k = 0; k < kinds.size(); k++) {
            KubeCel.Checked c = envs.get(k).check(expression);
            if (c.issues() != null) {
                results.add(kinds.get(k).gvk() + ": " + c.issues() + "\n"); // kube: "%v: %s\n" per kind, joined by "\n"
            }
        }
        if (!results.isEmpty()) {
            out.add(new ExpressionWarning(fieldRef, String.join("\n", results)));
        }
    }

    /** The environment of one kind: typed object, oldObject and params, and the variables composed with their types. */
    private static KubeCel environment(Checked kind, boolean hasParams, Optional<Checked> params, JsonNode variables) {
        List<CelTypeProvider> providers = new ArrayList<>(List.of(kind.types()));
        params.ifPresent(p -> providers.add(p.types()));
        providers.add(CatalogCelTypes.get());
        CelType paramsType = hasParams ? params.map(Checked::type).orElse(SimpleType.DYN) : null;
        PolicyEnvironment env = new PolicyEnvironment(kind.type(), paramsType, false, providers, KubeCel::of);
        for (JsonNode v : variables) {
            env.addVariable(v.path("name").asText(), env.env().check(v.path("expression").asText("")).resultType());
        }
        return env.env();
    }

    /** kube's typesToCheck: the kinds behind the resource rules, without wildcards and subresources, sorted, at most 10. */
    private Set<Gvk> typesToCheck(JsonNode matchConstraints) {
        Set<Gvk> gvks = new LinkedHashSet<>();
        int count = 0;
        for (JsonNode rule : matchConstraints.path("resourceRules")) {
            List<String> groups = names(rule.path("apiGroups"), "*", true);
            List<String> versions = names(rule.path("apiVersions"), "*", true);
            List<String> resources = names(rule.path("resources"), "*/", false);
            if (groups.isEmpty() || versions.isEmpty() || resources.isEmpty()) {
                continue;
            }
            for (String group : groups) {
                for (String version : versions) {
                    for (String resource : resources) {
                        Optional<ResourceType<?>> t = context.find(group, version, resource);
                        if (t.isEmpty()) {
                            continue;
                        }
                        gvks.add(new Gvk(t.get().group(), t.get().version(), t.get().kind()));
                        if (++count == MAX_TYPES_TO_CHECK) {
                            return sorted(gvks);
                        }
                    }
                }
            }
        }
        return sorted(gvks);
    }

    /**
     * A rule's names, sorted. {@code giveUp}: any name with one of {@code wildcards} makes the whole
     * list empty (groups, versions); otherwise such names are skipped (resources).
     */
    private static List<String> names(JsonNode list, String wildcards, boolean giveUp) {
        TreeSet<String> out = new TreeSet<>();
        for (JsonNode n : list) {
            String s = n.asText();
            if (s.chars().anyMatch(c -> wildcards.indexOf(c) >= 0)) {
                if (giveUp) {
                    return List.of();
                }
                continue;
            }
            out.add(s);
        }
        return new ArrayList<>(out);
    }

    private static Set<Gvk> sorted(Set<Gvk> gvks) {
        TreeSet<Gvk> out = new TreeSet<>(Comparator.comparing(Gvk::group).thenComparing(Gvk::version).thenComparing(Gvk::kind));
        out.addAll(gvks);
        return out;
    }

    private Optional<Checked> paramsKind(JsonNode paramKind) {
        String apiVersion = paramKind.path("apiVersion").asText("");
        String kind = paramKind.path("kind").asText("");
        int slash = apiVersion.indexOf('/');
        Gvk gvk = slash < 0 ? new Gvk("", apiVersion, kind) : new Gvk(apiVersion.substring(0, slash), apiVersion.substring(slash + 1), kind);
        return context.typeOf(apiVersion, kind).isPresent() ? resolve(gvk) : Optional.empty();
    }

    /** The schema of a served kind: the catalog's for built-in kinds, the CRD version's for custom resources. */
    private Optional<Checked> resolve(Gvk gvk) {
        String apiVersion = gvk.group().isEmpty() ? gvk.version() : gvk.group() + "/" + gvk.version();
        Optional<ResourceType<?>> type = context.typeOf(apiVersion, gvk.kind());
        if (type.isEmpty()) {
            return Optional.empty();
        }
        Optional<JsonNode> custom = context.customSchema(type.get());
        if (custom.isPresent()) {
            SchemaCelTypes.Rooted r = SchemaCelTypes.forPublishedSchema(custom.get(), CatalogCelTypes.get().objectMeta());
            return Optional.of(new Checked(gvk, r.root(), r.types()));
        }
        return CatalogCelTypes.get().kind(gvk.group(), gvk.version(), gvk.kind())
                .map(t -> new Checked(gvk, t, CatalogCelTypes.get()));
    }
}
